"""Command line entry point: ``sfdesk`` and ``python -m sfdesk``.

Qt is imported only once the options are parsed, so ``sfdesk --version`` and ``--help`` are
instant and work without a display.
"""

from __future__ import annotations

import argparse

from sfdesk import __version__

LANGUAGES = ("system", "en", "zh_CN")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sfdesk",
        description="Desktop playground for the SiliconFlow model API.",
    )
    parser.add_argument("--version", action="version", version=f"sfdesk {__version__}")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="run against the built-in sandbox server (no account, no network)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check the whole app offscreen against the built-in sandbox, print a report, exit "
        "0 when every check passes (uses a temporary data folder)",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="user interface language for this run (default: the setting, else the system's)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.self_test:
        from sfdesk.ui.selftest import run_self_test  # Qt only from here on

        return run_self_test(args.lang if args.lang != "system" else None)
    from sfdesk.app import Options, run  # Qt only from here on

    return run(Options(sandbox=args.sandbox, language=args.lang))


if __name__ == "__main__":
    raise SystemExit(main())
