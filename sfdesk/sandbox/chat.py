"""``POST /v1/chat/completions``: request validation and the plan of a reply.

A :class:`ChatPlan` fixes every piece of a reply before anything is sent — reasoning pieces,
content pieces, a tool call, the finish reason and usage — so the non-stream body and the SSE
stream (:mod:`.sse`) are two renderings of one thing and always agree.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

from . import errors, replies
from .catalogue import ModelInfo, Thinking, find
from .exchange import Call
from .sse import ChunkStream, chunk_frames
from .text import count_tokens, split_pieces

REPLY_TOKENS_HEADER = "x-sandbox-reply-tokens"
RATE_HEADER = "x-sandbox-rate"

THINKING_UNSUPPORTED = (
    "Value error, current model does not supportparameter `enable thinking`."  # sic, as served
)
MAX_THINKING_BUDGET = 32768
MIN_THINKING_BUDGET = 128
_ROLES = frozenset({"system", "user", "assistant", "tool"})
_TOOL_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")
_IMAGE_PROMPT_TOKENS = 256  # what one image "costs" in prompt tokens


@dataclass(frozen=True, slots=True)
class ToolCallPlan:
    id: str
    name: str
    arguments: str
    fragments: tuple[str, ...]  # how `arguments` is streamed


@dataclass(slots=True)
class ChatPlan:
    model: str
    prompt_tokens: int
    reasoning: list[str] = field(default_factory=list)  # reasoning_content pieces
    content: list[str] = field(default_factory=list)
    tool_call: ToolCallPlan | None = None
    finish_reason: str = "stop"
    reports_reasoning: bool = False  # usage carries completion_tokens_details
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created: int = field(default_factory=lambda: int(time.time()))

    @property
    def completion_tokens(self) -> int:
        tool = 1 + len(self.tool_call.fragments) if self.tool_call else 0
        return len(self.reasoning) + len(self.content) + tool

    def usage(self) -> dict[str, Any]:
        """The non-stream usage object (§3.2), with every detail the real API sends."""
        completion = self.completion_tokens
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": completion,
            "total_tokens": self.prompt_tokens + completion,
            "completion_tokens_details": {"reasoning_tokens": len(self.reasoning)},
            "prompt_tokens_details": {"cached_tokens": 0},
            "prompt_cache_hit_tokens": 0,
            "prompt_cache_miss_tokens": self.prompt_tokens,
        }

    def completion(self) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": "".join(self.content)}
        if self.reasoning:
            message["reasoning_content"] = "".join(self.reasoning)
        if self.tool_call is not None:
            message["content"] = None
            message["tool_calls"] = [
                {
                    "id": self.tool_call.id,
                    "type": "function",
                    "function": {
                        "name": self.tool_call.name,
                        "arguments": self.tool_call.arguments,
                    },
                }
            ]
        return {
            "id": self.id,
            "object": "chat.completion",
            "created": self.created,
            "model": self.model,
            "choices": [{"index": 0, "message": message, "finish_reason": self.finish_reason}],
            "usage": self.usage(),
            "system_fingerprint": "",
        }


async def handle(call: Call) -> Response:
    try:
        body = _require_object(call.body)
        scripted = call.state.scripted.popleft() if call.state.scripted else None
        plan = plan_reply(
            body,
            reply_tokens=_header_number(call, REPLY_TOKENS_HEADER, int),
            scripted=scripted,
        )
        rate = _header_number(call, RATE_HEADER, float)
    except errors.Invalid as invalid:
        return invalid.response
    if body.get("stream") is True:
        tokens_per_second = call.state.config.tokens_per_second if rate is None else rate
        return ChunkStream(
            call.exchange, chunk_frames(plan), rate=tokens_per_second, fault=call.fault
        )
    return errors.JSONResponse(plan.completion())


def _require_object(body: object) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise errors.Invalid(errors.invalid())
    return body


def _header_number(call: Call, name: str, kind: type[int] | type[float]) -> Any:
    value = call.headers.get(name)
    if value is None:
        return None
    try:
        number = kind(value)
    except ValueError:
        number = -1
    if number < 0:
        raise errors.Invalid(errors.invalid(f"[sandbox] {name} must be a number >= 0"))
    return number


# -- validation --------------------------------------------------------------------------------


def _check_model(body: Mapping[str, Any]) -> ModelInfo:
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise errors.Invalid(errors.invalid())
    info = find(model, "chat")
    if info is None:
        raise errors.Invalid(errors.unknown_model())
    return info


def _check_messages(body: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise errors.Invalid(errors.invalid())
    for message in messages:
        if not isinstance(message, Mapping) or message.get("role") not in _ROLES:
            raise errors.Invalid(errors.invalid())
        content = message.get("content")
        if content is None and message.get("role") != "assistant":
            raise errors.Invalid(errors.invalid())
        if content is not None and not isinstance(content, str | list):
            raise errors.Invalid(errors.invalid())
    return messages


def _optional(body: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    value = body.get(name)
    if value is None:
        return None
    # bool is an int in Python; JSON `true` is never a valid count.
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise errors.Invalid(errors.invalid())
    return value


def _check_thinking(body: Mapping[str, Any], info: ModelInfo) -> tuple[bool, int | None]:
    enable = _optional(body, "enable_thinking", bool)
    if enable is not None and info.thinking is not Thinking.HYBRID:
        raise errors.Invalid(errors.invalid(THINKING_UNSUPPORTED))
    budget = _optional(body, "thinking_budget", int)
    if budget is not None and budget > MAX_THINKING_BUDGET:
        raise errors.Invalid(
            errors.invalid(f"thinking_budget: Must be less than or equal to {MAX_THINKING_BUDGET}")
        )
    if budget is not None and budget < MIN_THINKING_BUDGET:
        raise errors.Invalid(
            errors.invalid(
                f"thinking_budget: Must be greater than or equal to {MIN_THINKING_BUDGET}"
            )
        )
    thinks = info.thinking in (Thinking.ALWAYS, Thinking.THINK_TAGS) or (
        info.thinking is Thinking.HYBRID and enable is True
    )
    return thinks, budget


def _check_tools(body: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], object]:
    tools = _optional(body, "tools", list) or []
    functions: list[Mapping[str, Any]] = []
    if len(tools) > 128:
        raise errors.Invalid(errors.invalid())
    for tool in tools:
        function = tool.get("function") if isinstance(tool, Mapping) else None
        if (
            not isinstance(tool, Mapping)
            or tool.get("type") != "function"
            or not isinstance(function, Mapping)
            or not isinstance(function.get("name"), str)
            or not _TOOL_NAME.fullmatch(function["name"])
        ):
            raise errors.Invalid(errors.invalid())
        functions.append(function)
    choice = body.get("tool_choice")
    if isinstance(choice, Mapping):
        forced = choice.get("function")
        name = forced.get("name") if isinstance(forced, Mapping) else None
        if not any(f["name"] == name for f in functions):
            raise errors.Invalid(errors.invalid())
    elif choice not in (None, "auto", "none", "required"):
        raise errors.Invalid(errors.invalid())
    return functions, choice


def _json_mode(body: Mapping[str, Any]) -> bool:
    fmt = _optional(body, "response_format", Mapping)
    if fmt is None:
        return False
    kind = fmt.get("type")
    if kind not in ("text", "json_object", "json_schema"):
        raise errors.Invalid(errors.invalid())
    return bool(kind != "text")


# -- planning ----------------------------------------------------------------------------------


def plan_reply(
    body: Mapping[str, Any],
    *,
    reply_tokens: int | None = None,
    scripted: tuple[str, str] | None = None,
) -> ChatPlan:
    """Validate a chat request and decide its whole reply (raises :class:`errors.Invalid`).

    ``scripted`` is ``(content, reasoning)`` queued with :meth:`SandboxServer.queue_reply`: the
    reply says exactly that (the reasoning only if the model thinks)."""
    info = _check_model(body)
    messages = _check_messages(body)
    _optional(body, "stream", bool)
    thinks, budget = _check_thinking(body, info)
    max_tokens = _optional(body, "max_tokens", int)
    if max_tokens is not None and max_tokens < 1:
        raise errors.Invalid(errors.invalid())
    functions, tool_choice = _check_tools(body)
    json_mode = _json_mode(body)

    conv = replies.read_conversation(messages)
    plan = ChatPlan(model=info.id, prompt_tokens=_prompt_tokens(messages, functions))

    reasoning: list[str] = []
    if thinks and scripted is not None:
        reasoning = split_pieces(scripted[1]) if scripted[1] else []
    elif thinks:
        length = replies.reasoning_length(conv, info.id)
        if budget is not None:
            length = min(length, budget)
        reasoning = replies.compose_reasoning(conv, info.id, length)
    if info.thinking is Thinking.THINK_TAGS:
        # R1-distills think inline: the reasoning is part of `content`, wrapped in tags.
        think_block = ["<think>", "\n", *reasoning, "\n", "</think>", "\n\n"]
    else:
        plan.reasoning = reasoning
        plan.reports_reasoning = thinks
        think_block = []

    function = _tool_to_call(functions, tool_choice, conv)
    if function is not None:
        arguments = replies.tool_arguments(function, conv.question)
        plan.tool_call = ToolCallPlan(
            id=uuid.uuid4().hex,
            name=str(function["name"]),
            arguments=arguments,
            fragments=tuple(arguments[i : i + 6] for i in range(0, len(arguments), 6)),
        )
        plan.content = think_block
        plan.finish_reason = "tool_calls"
        return plan

    if scripted is not None:
        text = scripted[0]
    elif json_mode:
        text = replies.compose_json(conv, info.id)
    else:
        text = replies.compose_answer(conv, info.id)
    if reply_tokens is not None:
        answer = replies.exact_pieces(text, reply_tokens, conv.zh)
    else:
        answer = split_pieces(text)
    content = think_block + answer
    if max_tokens is not None and max_tokens < len(content):
        content = content[:max_tokens]
        plan.finish_reason = "length"
    plan.content = content
    return plan


def _tool_to_call(
    functions: list[Mapping[str, Any]], choice: object, conv: replies.Conversation
) -> Mapping[str, Any] | None:
    """The function the "model" decides to call, if any."""
    if not functions or choice == "none" or conv.last_role != "user":
        return None
    if isinstance(choice, Mapping):
        name = choice["function"]["name"]
        return next(f for f in functions if f["name"] == name)
    question = conv.question.lower()
    mentioned = [f for f in functions if str(f["name"]).lower() in question]
    if mentioned:
        return mentioned[0]
    return functions[0] if choice == "required" else None


def _prompt_tokens(messages: list[Mapping[str, Any]], functions: list[Mapping[str, Any]]) -> int:
    total = 0
    for message in messages:
        text, images = replies.message_text(message.get("content"))
        total += 4 + count_tokens(text) + images * _IMAGE_PROMPT_TOKENS
    if functions:
        total += count_tokens(json.dumps(functions, ensure_ascii=False))
    return total
