"""Qt-free async client of the SiliconFlow HTTP API.

Typed results, one error hierarchy (:class:`ApiError`), retries, timeouts and cancellation.
Knows nothing of widgets, settings or storage. See ``design.md`` §2 for the public surface.
"""

from __future__ import annotations

from ._errors import (
    ApiConnectionError,
    ApiError,
    ApiStatusError,
    ApiTimeoutError,
    AuthenticationError,
    BadRequestError,
    ContentFilteredError,
    GatewayTimeoutError,
    ImageDownloadError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    ProtocolError,
    RateLimitError,
    ServerError,
    ServerOverloadedError,
    StreamInterrupted,
)
from ._transport import DEFAULT_BASE_URL, RetryPolicy, Timeouts
from ._types import (
    ChatDelta,
    ChatEvent,
    ChatFinished,
    ChatReply,
    Embeddings,
    GeneratedImage,
    Images,
    Rerank,
    RerankHit,
    RerankUsage,
    ToolCall,
    ToolCallDelta,
    Transcription,
    Usage,
    UserInfo,
)
from .chat import ChatStream, build_chat_body
from .client import SiliconFlowClient
from .images import build_image_body
from .rerank import build_rerank_body

__all__ = [
    "DEFAULT_BASE_URL",
    "ApiConnectionError",
    "ApiError",
    "ApiStatusError",
    "ApiTimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ChatDelta",
    "ChatEvent",
    "ChatFinished",
    "ChatReply",
    "ChatStream",
    "ContentFilteredError",
    "Embeddings",
    "GatewayTimeoutError",
    "GeneratedImage",
    "ImageDownloadError",
    "Images",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "ProtocolError",
    "RateLimitError",
    "Rerank",
    "RerankHit",
    "RerankUsage",
    "RetryPolicy",
    "ServerError",
    "ServerOverloadedError",
    "SiliconFlowClient",
    "StreamInterrupted",
    "Timeouts",
    "ToolCall",
    "ToolCallDelta",
    "Transcription",
    "Usage",
    "UserInfo",
    "build_chat_body",
    "build_image_body",
    "build_rerank_body",
]
