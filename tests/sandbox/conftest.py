"""Fixtures for the sandbox's own tests: one server for the session, reset around each test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sfdesk.sandbox import SANDBOX_API_KEY, SandboxServer

AUTH = {"Authorization": f"Bearer {SANDBOX_API_KEY}"}


@pytest.fixture(scope="session")
def server() -> Iterator[SandboxServer]:
    with SandboxServer() as srv:
        yield srv


@pytest.fixture
def srv(server: SandboxServer) -> Iterator[SandboxServer]:
    server.reset()
    yield server
    server.reset()


@pytest.fixture
def client(srv: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=srv.base_url, headers=AUTH, timeout=10) as http:
        yield http
