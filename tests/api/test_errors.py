"""Every error status and body shape of siliconflow-api.md §2 becomes the right typed error."""

from __future__ import annotations

import socket

import pytest

from sfdesk.api import (
    ApiConnectionError,
    ApiError,
    ApiStatusError,
    AuthenticationError,
    BadRequestError,
    ContentFilteredError,
    GatewayTimeoutError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ServerOverloadedError,
    SiliconFlowClient,
)
from sfdesk.api._errors import error_from_response, parse_error_body
from sfdesk.sandbox import SandboxServer

from .conftest import make_client
from .helpers import requests_to

pytestmark = pytest.mark.anyio

HELLO = [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize(
    ("key", "reason", "code", "message"),
    [
        ("sk-not-a-real-key-123456", "invalid_key", None, "Api key is invalid"),
        ("sk-sandbox-othersite", "wrong_site", 30014, "Token is invalid."),
    ],
)
async def test_rejected_keys_explain_why_and_never_echo_the_key(
    sandbox: SandboxServer, key: str, reason: str, code: int | None, message: str
) -> None:
    async with make_client(sandbox, api_key=key) as sf:
        with pytest.raises(AuthenticationError) as caught:
            await sf.user.info()
    error = caught.value
    assert (error.status, error.code, error.reason, error.message) == (401, code, reason, message)
    assert key not in str(error) and key not in repr(error)
    assert len(requests_to(sandbox, "/v1/user/info")) == 1  # 401 is never retried


async def test_empty_key_is_a_missing_token(sandbox: SandboxServer) -> None:
    async with make_client(sandbox, api_key="") as sf:
        with pytest.raises(AuthenticationError) as caught:
            await sf.models.list()
    assert caught.value.message == "Invalid token"


async def test_zero_balance_is_permission_denied_with_a_balance_reason(
    sandbox: SandboxServer,
) -> None:
    async with make_client(sandbox, api_key="sk-sandbox-empty") as sf:
        info = await sf.user.info()
        assert info.total_balance == 0
        with pytest.raises(PermissionDeniedError) as caught:
            await sf.chat.create(model="Qwen/Qwen2.5-7B-Instruct", messages=HELLO)
    assert (caught.value.status, caught.value.code, caught.value.reason) == (
        403,
        30001,
        "no_balance",
    )


async def test_wrong_path_is_not_found_with_the_plain_text_body(sandbox: SandboxServer) -> None:
    async with make_client(sandbox, base_url=sandbox.root_url + "/v2") as sf:
        with pytest.raises(NotFoundError) as caught:
            await sf.models.list()
    assert caught.value.message == "404 page not found"


@pytest.mark.parametrize(
    ("fault", "error_type", "code", "message"),
    [
        ("400", BadRequestError, 20015, "The parameter is invalid. Please check again."),
        ("403", PermissionDeniedError, None, "Forbidden"),
        ("404", NotFoundError, None, "404 page not found"),
        ("413", PayloadTooLargeError, 20042, None),
        ("451", ContentFilteredError, 20021, None),
        ("429", RateLimitError, None, "Request was rejected due to rate limiting."),
        ("500", ServerError, 50507, None),
        ("502", ServerError, None, "Bad Gateway"),
        ("503", ServerOverloadedError, 50505, "Model service overloaded."),
        ("504", GatewayTimeoutError, None, "Gateway Timeout"),
    ],
)
async def test_each_status_and_body_shape_maps_to_its_error(
    sf: SiliconFlowClient,
    sandbox: SandboxServer,
    fault: str,
    error_type: type[ApiStatusError],
    code: int | None,
    message: str | None,
) -> None:
    sandbox.queue_fault("/v1/models", fault, count=5)
    with pytest.raises(error_type) as caught:
        await sf.models.list()
    error = caught.value
    assert type(error) is error_type
    assert error.status == int(fault) and error.code == code
    if message:
        assert error.message.startswith(message)
    assert error.trace_id
    retried = int(fault) in (429, 502, 503, 504)
    assert len(requests_to(sandbox, "/v1/models")) == (3 if retried else 1)


def test_body_parser_reads_every_documented_shape() -> None:
    assert parse_error_body(b'{"code":20012,"message":"Model does not exist.","data":null}') == (
        20012,
        "Model does not exist.",
    )
    assert parse_error_body(b'"Invalid token"') == (None, "Invalid token")
    assert parse_error_body(b"404 page not found") == (None, "404 page not found")
    assert parse_error_body(b'{"error":{"message":"bad","code":"42"}}') == (42, "bad")
    assert parse_error_body(b"") == (None, "")
    assert parse_error_body(b"\xff\xfe garbage")[0] is None


def test_402_on_the_international_site_means_balance() -> None:
    error = error_from_response(
        402, b'{"code":30001,"message":"Sorry, your account balance is insufficient"}', "t"
    )
    assert isinstance(error, PermissionDeniedError) and error.reason == "no_balance"


def test_unknown_statuses_still_get_a_typed_error() -> None:
    assert type(error_from_response(418, b"teapot", None)) is ApiStatusError
    assert type(error_from_response(507, b"", None)) is ServerError


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "base_url",
    [f"http://127.0.0.1:{_closed_port()}/v1", "not a url", "ftp://example.invalid/v1"],
)
async def test_unreachable_or_malformed_base_url_is_a_connection_error(base_url: str) -> None:
    async with SiliconFlowClient(api_key="sk-x", base_url=base_url) as sf:
        with pytest.raises(ApiConnectionError):
            await sf.user.info()


@pytest.mark.parametrize(
    "key", ["sk-with a-space-123456", "sk-newline\nsk-123456", "sk-密钥123456"]
)
async def test_unsendable_key_is_refused_without_quoting_it(
    sandbox: SandboxServer, key: str
) -> None:
    async with make_client(sandbox, api_key=key) as sf:
        with pytest.raises(AuthenticationError) as caught:
            await sf.user.info()
    assert caught.value.reason == "invalid_key"
    assert "123456" not in str(caught.value)
    assert requests_to(sandbox, "/v1/user/info") == []


async def test_client_repr_and_errors_never_show_the_key(sandbox: SandboxServer) -> None:
    key = "sk-secretsecretsecret"
    async with make_client(sandbox, api_key=key) as sf:
        assert key not in repr(sf)
        with pytest.raises(ApiError) as caught:
            await sf.chat.create(model="Qwen/Qwen2.5-7B-Instruct", messages=HELLO)
        assert key not in str(caught.value) and key not in repr(caught.value)
