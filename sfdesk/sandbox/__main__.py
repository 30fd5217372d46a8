"""``python -m sfdesk.sandbox [--host H] [--port N] [--rate TOKENS_PER_S]``: serve until Ctrl+C."""

from __future__ import annotations

import argparse
import logging
import threading

from .auth import EMPTY_BALANCE_KEY, OTHER_SITE_KEY, SANDBOX_API_KEY
from .server import SandboxServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sfdesk.sandbox",
        description="Serve a local stand-in for the SiliconFlow API.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    parser.add_argument(
        "--rate",
        type=float,
        default=120.0,
        metavar="TOKENS_PER_S",
        help="chat streaming speed; 0 = as fast as possible (default 120)",
    )
    parser.add_argument(
        "--image-ttl",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="how long image URLs stay valid (default 3600)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    server = SandboxServer(
        host=args.host,
        port=args.port,
        tokens_per_second=args.rate,
        image_ttl_seconds=args.image_ttl,
    ).start()
    print(f"sfdesk sandbox serving the SiliconFlow API at {server.base_url}", flush=True)
    print(f"API key: {SANDBOX_API_KEY}", flush=True)
    print(
        f"  (also {EMPTY_BALANCE_KEY}: zero balance; {OTHER_SITE_KEY}: a key of the other site)",
        flush=True,
    )
    print("Press Ctrl+C to stop.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
