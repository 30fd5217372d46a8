"""Fixtures for the sandbox's own tests: the shared sandbox and an HTTP client for it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sfdesk.sandbox import SANDBOX_API_KEY, SandboxServer

AUTH = {"Authorization": f"Bearer {SANDBOX_API_KEY}"}


@pytest.fixture
def srv(sandbox: SandboxServer) -> SandboxServer:
    """The suite's shared sandbox (tests/conftest.py), already reset around each test."""
    return sandbox


@pytest.fixture
def client(srv: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=srv.base_url, headers=AUTH, timeout=10) as http:
        yield http
