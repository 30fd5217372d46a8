"""Typed results of the SiliconFlow client: immutable dataclasses built from the JSON bodies.

The parsing functions here are strict where the contract is firm (a frame without ``choices`` is
not a chat chunk) and lenient where SiliconFlow varies (usage shapes, ``meta.tokens`` vs ``tokens``,
``images`` vs ``data``). Anything malformed raises :class:`ProtocolError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from ._errors import ProtocolError

if TYPE_CHECKING:  # numpy costs ~160 ms to import; only embeddings need it at run time
    import numpy as np
    import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class Usage:
    """Token counts; for streams SiliconFlow reports them cumulatively in every chunk."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    reasoning_tokens: int = 0
    cached_tokens: int = 0

    @classmethod
    def from_json(cls, data: object) -> Usage | None:
        if not isinstance(data, dict):
            return None
        completion_details = data.get("completion_tokens_details") or {}
        prompt_details = data.get("prompt_tokens_details") or {}
        return cls(
            prompt_tokens=_int(data.get("prompt_tokens")),
            completion_tokens=_int(data.get("completion_tokens")),
            total_tokens=_int(data.get("total_tokens")),
            reasoning_tokens=_int(
                completion_details.get("reasoning_tokens")
                if isinstance(completion_details, dict)
                else 0
            ),
            cached_tokens=_int(
                prompt_details.get("cached_tokens") if isinstance(prompt_details, dict) else 0
            ),
        )


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    """A fragment of a streamed tool call; fragments with the same ``index`` belong together."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""


@dataclass(frozen=True, slots=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # JSON text exactly as the model produced it (it may not be valid JSON)


@dataclass(frozen=True, slots=True)
class ChatDelta:
    """New text of a streamed answer. ``reasoning`` is the model's thinking, kept apart."""

    content: str = ""
    reasoning: str = ""
    tool_calls: tuple[ToolCallDelta, ...] = ()


@dataclass(frozen=True, slots=True)
class ChatFinished:
    """The last event of a successful stream."""

    finish_reason: str
    usage: Usage | None
    trace_id: str | None
    model: str = ""
    tool_calls: tuple[ToolCall, ...] = ()

    @property
    def truncated(self) -> bool:
        """True when the answer stopped at ``max_tokens`` rather than finishing."""
        return self.finish_reason == "length"


ChatEvent = ChatDelta | ChatFinished


@dataclass(frozen=True, slots=True)
class ChatReply:
    content: str
    reasoning: str
    finish_reason: str
    usage: Usage | None
    tool_calls: tuple[ToolCall, ...] = ()
    trace_id: str | None = None
    model: str = ""

    @property
    def truncated(self) -> bool:
        return self.finish_reason == "length"


@dataclass(frozen=True, slots=True)
class Embeddings:
    vectors: npt.NDArray[np.float32]  # shape (n, d), rows in input order
    usage: Usage | None
    model: str = ""


@dataclass(frozen=True, slots=True)
class RerankHit:
    index: int
    relevance_score: float
    document: str | None = None


@dataclass(frozen=True, slots=True)
class RerankUsage:
    input_tokens: int = 0
    output_tokens: int = 0


@dataclass(frozen=True, slots=True)
class Rerank:
    results: tuple[RerankHit, ...]
    usage: RerankUsage | None
    trace_id: str | None = None


@dataclass(frozen=True, slots=True)
class GeneratedImage:
    url: str
    data: bytes = field(repr=False)
    mime: str


@dataclass(frozen=True, slots=True)
class Images:
    images: tuple[GeneratedImage, ...]
    seed: int | None
    inference_seconds: float | None
    trace_id: str | None = None
    filtered: int = 0  # images the service withheld (empty URL: moderation)


@dataclass(frozen=True, slots=True)
class Transcription:
    text: str
    trace_id: str | None = None


@dataclass(frozen=True, slots=True)
class UserInfo:
    """The account behind the key. Balances arrive as strings (CNY on .cn) and are kept exact."""

    total_balance: Decimal
    balance: Decimal
    charge_balance: Decimal
    name: str = ""
    status: str = ""
    id: str = ""


def _int(value: object) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    return 0


def decimal_from(value: object) -> Decimal:
    """Balances are strings like ``"88.88"``; tolerate numbers and reject nonsense."""
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ProtocolError(f"balance is not a number: {value!r}")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ProtocolError(f"balance is not a number: {value!r}") from exc


def require_dict(data: object, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ProtocolError(f"{what}: expected a JSON object, got {type(data).__name__}")
    return data
