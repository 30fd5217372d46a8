"""SandboxServer's lifecycle and helpers, the command line, and the no-Qt rule."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest

from sfdesk.sandbox import SANDBOX_API_KEY, SandboxServer

from .helpers import wait_until

AUTH = {"Authorization": f"Bearer {SANDBOX_API_KEY}"}
CHAT = {
    "model": "Qwen/Qwen2.5-7B-Instruct",
    "messages": [{"role": "user", "content": "hi"}],
    "stream": True,
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_start_serves_at_once_and_stop_frees_the_port() -> None:
    server = SandboxServer()
    with pytest.raises(RuntimeError):
        _ = server.base_url  # no address before it starts
    assert server.start() is server
    assert server.base_url == f"http://127.0.0.1:{server.port}/v1"
    assert server.root_url == f"http://127.0.0.1:{server.port}"
    assert httpx.get(server.base_url + "/models", headers=AUTH).status_code == 200
    with pytest.raises(RuntimeError):
        server.start()
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 2
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.base_url + "/models", headers=AUTH)
    server.stop()  # idempotent


def test_a_fixed_port_and_the_context_manager() -> None:
    port = _free_port()
    with SandboxServer(port=port) as server:
        assert server.port == port
        assert httpx.get(f"http://127.0.0.1:{port}/v1/models", headers=AUTH).status_code == 200
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/v1/models")


def test_stop_ends_in_flight_streams_promptly() -> None:
    outcome: list[BaseException | None] = []
    server = SandboxServer(tokens_per_second=20).start()

    def consume() -> None:
        try:
            with httpx.Client(timeout=10) as http:
                http.post(server.base_url + "/chat/completions", json=CHAT, headers=AUTH)
            outcome.append(None)
        except httpx.HTTPError as error:
            outcome.append(error)

    reader = threading.Thread(target=consume)
    reader.start()
    wait_until(lambda: server.requests() and server.requests()[-1]["frames_sent"] > 0)
    started = time.monotonic()
    server.stop()
    reader.join(5)
    assert time.monotonic() - started < 1.5
    assert isinstance(outcome[0], httpx.RemoteProtocolError)  # cut off, not politely finished


def test_reset_restores_the_constructor_settings() -> None:
    custom = SandboxServer(tokens_per_second=7, image_ttl_seconds=9)
    custom.configure(tokens_per_second=1, image_ttl_seconds=2)
    custom.queue_fault("*", "500")
    custom.reset()
    assert (custom.state.config.tokens_per_second, custom.state.config.image_ttl_seconds) == (7, 9)
    assert custom.state.faults.take("/v1/models") is None


def test_helpers_validate_their_arguments(srv: SandboxServer) -> None:
    with pytest.raises(ValueError):
        srv.queue_fault("/v1/models", "teapot")
    with pytest.raises(ValueError):
        srv.queue_fault("/v1/models", "500", count=0)
    with pytest.raises(ValueError):
        srv.configure(speed=3)
    with pytest.raises(ValueError):
        srv.configure(tokens_per_second=-1)


def test_requests_returns_copies(srv: SandboxServer) -> None:
    httpx.get(srv.base_url + "/models", headers=AUTH)
    snapshot = srv.requests()
    snapshot[0]["status"] = 999
    snapshot.clear()
    assert srv.requests()[0]["status"] == 200


def test_intentional_drops_log_no_traceback(
    srv: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG), pytest.raises(httpx.RemoteProtocolError):
        httpx.post(
            srv.base_url + "/chat/completions",
            json=CHAT,
            headers={**AUTH, "X-Sandbox-Fault": "drop-after:2"},
        )
    wait_until(lambda: srv.requests()[-1]["finished"])
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_the_command_line_serves_until_interrupted() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "sfdesk.sandbox", "--port", "0", "--rate", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        base_url = first.split()[-1]
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/v1")
        assert process.stdout.readline().strip() == f"API key: {SANDBOX_API_KEY}"
        assert httpx.get(base_url + "/models", headers=AUTH).status_code == 200
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert "Traceback" not in errors


def test_the_sandbox_imports_no_qt() -> None:
    code = (
        "import sys, sfdesk.sandbox, sfdesk.sandbox.__main__\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'PySide6', 'shiboken6', 'qasync', 'pyqtgraph'})\n"
        "assert not bad, bad\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_an_added_key_is_accepted_until_reset(srv: SandboxServer) -> None:
    url = f"{srv.base_url}/user/info"
    key = {"Authorization": "Bearer sk-added-for-a-test"}
    assert httpx.get(url, headers=key).status_code == 401
    srv.add_key("sk-added-for-a-test")
    info = httpx.get(url, headers=key)
    assert info.status_code == 200
    assert info.json() == httpx.get(url, headers=AUTH).json()  # the sandbox key's account
    srv.reset()
    assert httpx.get(url, headers=key).status_code == 401


def test_a_queued_reply_is_given_once_word_for_word(srv: SandboxServer) -> None:
    url = f"{srv.base_url}/chat/completions"
    body = {**CHAT, "stream": False}
    srv.queue_reply("<b>exactly</b> this, 一字不差")
    first = httpx.post(url, headers=AUTH, json=body).json()
    second = httpx.post(url, headers=AUTH, json=body).json()
    assert first["choices"][0]["message"]["content"] == "<b>exactly</b> this, 一字不差"
    assert second["choices"][0]["message"]["content"] != first["choices"][0]["message"]["content"]
