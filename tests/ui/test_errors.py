"""errors.explain: every ApiError reason gets its own plain, translated explanation."""

from __future__ import annotations

import pytest

from sfdesk.api import (
    ApiConnectionError,
    ApiError,
    AuthenticationError,
    PermissionDeniedError,
    RateLimitError,
)
from sfdesk.ui.errors import KNOWN_REASONS, explain
from sfdesk.ui.i18n import Translations

# The reasons the service layer promises (the brief's list); explain() must know each one.
API_REASONS = (
    "invalid_key",
    "wrong_site",
    "no_balance",
    "verification_required",
    "model_disabled",
    "forbidden",
    "unknown_model",
    "bad_request",
    "not_found",
    "too_large",
    "rate_limited",
    "overloaded",
    "gateway_timeout",
    "server_error",
    "connection",
    "timeout",
    "interrupted",
    "protocol",
    "content_filtered",
    "download_failed",
)


def test_every_reason_has_its_own_title_and_explanation(translations: Translations) -> None:
    assert set(API_REASONS) <= KNOWN_REASONS
    titles = {explain(ApiError("", reason=reason))[0] for reason in API_REASONS}
    explanations = {explain(ApiError("", reason=reason))[1] for reason in API_REASONS}
    assert len(titles) == len(API_REASONS)
    assert len(explanations) == len(API_REASONS)


def test_wrong_key_and_wrong_site_say_what_to_do(translations: Translations) -> None:
    title, text = explain(AuthenticationError("Api key is invalid", status=401))
    assert title == "Invalid API key"
    assert text.startswith("The API key was rejected")
    _, text = explain(
        AuthenticationError("Token is invalid.", status=401, code=30014, reason="wrong_site")
    )
    assert "siliconflow.cn and siliconflow.com" in text and "separate accounts" in text


def test_details_include_server_message_status_and_trace_id(translations: Translations) -> None:
    error = PermissionDeniedError(
        "Sorry, your account balance is insufficient",
        status=403,
        code=30001,
        trace_id="trace-abc",
        reason="no_balance",
    )
    title, text = explain(error)
    assert title == "Balance insufficient"
    assert "Recharge" in text
    assert "Server message: Sorry, your account balance is insufficient" in text
    assert "HTTP status: 403" in text
    assert text.rstrip().endswith("Trace ID: trace-abc")


def test_unknown_reason_falls_back_to_a_generic_text(translations: Translations) -> None:
    title, text = explain(ApiError("teapot", status=418, reason="http_error"))
    assert title == "Request failed"
    assert "teapot" in text


def test_unexpected_exceptions_point_to_the_log_never_a_traceback(
    translations: Translations,
) -> None:
    try:
        raise KeyError("internal detail")
    except KeyError as exc:
        title, text = explain(exc)
    assert title == "Unexpected error"
    assert "log" in text and "KeyError" in text
    assert "Traceback" not in text and "internal detail" not in text


@pytest.mark.parametrize(
    ("error", "chinese_title"),
    [
        (AuthenticationError("x", status=401), "API 密钥无效"),
        (RateLimitError("x", status=429), "请求过于频繁"),
        (ApiConnectionError("x"), "无法连接"),
    ],
)
def test_explanations_follow_the_ui_language(
    translations: Translations, error: ApiError, chinese_title: str
) -> None:
    translations.apply("zh_CN")
    title, text = explain(error)
    assert title == chinese_title
    assert text.isascii() is False


def test_connection_failures_are_not_called_server_messages(translations: Translations) -> None:
    _, text = explain(ApiConnectionError("ConnectError: [Errno 111] Connection refused"))
    assert "Details: ConnectError" in text
    assert "Server message" not in text and "HTTP status" not in text
