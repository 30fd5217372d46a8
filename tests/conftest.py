"""Fixtures shared by every test package: an isolated user data dir and one sandbox server.

The sandbox is real HTTP on a loopback port (design.md §4); tests reset it instead of starting
a new one, so the whole suite pays for one server start.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from sfdesk.sandbox import SandboxServer

# The fake PortAudio and the real PulseAudio virtual microphone, for the audio and the
# Microphone panel tests alike.
pytest_plugins = ["audio.fixtures"]

# Per-example deadlines measure the machine, not the code: a loaded CI runner would fail them.
settings.register_profile("sfdesk", deadline=None)
settings.load_profile("sfdesk")

# Qt must never need a display in the non-e2e tests, whatever imports Qt first.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's data, key or base URL.

    Returns the data dir every path resolves under; it does not exist until something creates it.
    """
    data = tmp_path / "sfdesk-data"
    monkeypatch.setenv("SFDESK_DATA_DIR", str(data))
    monkeypatch.delenv("SILICONFLOW_API_KEY", raising=False)
    monkeypatch.delenv("SFDESK_BASE_URL", raising=False)
    return data


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    server = SandboxServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> Iterator[SandboxServer]:
    """The shared sandbox, with faults, request log and settings cleared around each test."""
    sandbox_server.reset()
    yield sandbox_server
    sandbox_server.reset()
