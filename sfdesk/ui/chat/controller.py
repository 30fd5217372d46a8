"""The Chat panel's controller: conversations, sending, and streaming replies into the store.

It owns the one reply task (slot ``"reply"``): a new send, Stop, or closing the panel cancels it.
A streamed answer is saved as it arrives, about once a second rather than per token, so a crash
loses at most the last second (the store marks such a reply ``interrupted`` at the next start).
Every reply ends in exactly one final status, saved and then announced with
``sig_reply_ended(message, error)``:

* ``complete``: the model finished (``finish_reason`` ``length`` means it was truncated);
* ``stopped``: the user pressed Stop; what arrived is kept;
* ``interrupted``: the stream broke or ended early; what arrived is kept and can be retried;
* ``error``: the request failed before any token; ``error`` (the :class:`ApiError`) says why.

Reasoning is stored beside the answer but never sent back to the model in later turns.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from sfdesk.api import ApiError, ChatDelta, ChatFinished, SiliconFlowClient, StreamInterrupted
from sfdesk.core.reply_stats import ReplyTimer
from sfdesk.store import ConversationStore, Message, title_from
from sfdesk.store.models import Status
from sfdesk.ui.tasks import Controller

log = logging.getLogger(__name__)

REPLY = "reply"
SAVE_INTERVAL_S = 1.0


class ChatController(Controller):
    sig_conversation_opened = Signal(object)  # int | None (None: a new, unsaved conversation)
    sig_message_added = Signal(object)  # Message: the user's, or the assistant placeholder
    sig_reply_delta = Signal(int, str, str)  # message id, new answer text, new reasoning text
    sig_reply_ended = Signal(object, object)  # final Message, ApiError | None

    def __init__(
        self,
        client: SiliconFlowClient,
        store: ConversationStore,
        *,
        save_interval: float = SAVE_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._store = store
        self._save_interval = save_interval
        self._clock = clock
        self._conversation_id: int | None = None

    # -- conversations -------------------------------------------------------------------------

    @property
    def conversation_id(self) -> int | None:
        return self._conversation_id

    def new_conversation(self) -> None:
        """Start afresh; the conversation is created in the store with its first message."""
        self.stop()
        self._conversation_id = None
        self.sig_conversation_opened.emit(None)

    def open_conversation(self, conversation_id: int) -> None:
        self.stop()
        self._conversation_id = conversation_id
        self.sig_conversation_opened.emit(conversation_id)

    # -- sending -------------------------------------------------------------------------------

    def send(
        self,
        text: str,
        *,
        model: str,
        system_prompt: str = "",
        params: Mapping[str, Any] | None = None,
        attachments: Iterable[Mapping[str, Any]] = (),
    ) -> Message | None:
        """Add the user's message and stream the reply; None when there is nothing to send."""
        files = [dict(a) for a in attachments]
        if not text.strip() and not files:
            return None
        conversation_id = self._ensure_conversation(text, model, system_prompt, params)
        user = self._store.add_message(conversation_id, "user", text, attachments=files)
        self.sig_message_added.emit(user)
        return self._start_reply(conversation_id, model, system_prompt, params)

    def regenerate(
        self,
        *,
        model: str,
        system_prompt: str = "",
        params: Mapping[str, Any] | None = None,
        message_id: int | None = None,
    ) -> Message | None:
        """Replace the last reply (also how an interrupted or failed reply is retried).

        With ``message_id`` (an assistant message of this conversation), that reply and
        everything after it are replaced instead.
        """
        conversation_id = self._conversation_id
        if conversation_id is None:
            return None
        history = self._store.messages(conversation_id)
        if message_id is not None:
            target = next((m for m in history if m.id == message_id), None)
            if target is None or target.role != "assistant":
                return None
            history = [m for m in history if m.position < target.position]
        last_user = next((m for m in reversed(history) if m.role == "user"), None)
        if last_user is None:
            return None
        self.stop()
        self._store.delete_messages_from(conversation_id, last_user.position + 1)
        return self._start_reply(conversation_id, model, system_prompt, params)

    def edit_and_resend(
        self,
        message_id: int,
        text: str,
        *,
        model: str,
        system_prompt: str = "",
        params: Mapping[str, Any] | None = None,
        attachments: Iterable[Mapping[str, Any]] | None = None,
    ) -> Message | None:
        """Replace a user message (and everything after it) with ``text``, then reply anew.

        ``attachments`` replace the original's images; None keeps them.
        """
        original = self._store.get_message(message_id)
        files = (
            list(original.attachments if attachments is None else attachments) if original else []
        )
        if original is None or original.role != "user" or not (text.strip() or files):
            return None
        self.stop()
        self._store.delete_messages_from(original.conversation_id, original.position)
        self._conversation_id = original.conversation_id
        return self.send(
            text,
            model=model,
            system_prompt=system_prompt,
            params=params,
            attachments=files,
        )

    def delete_message(self, message_id: int) -> bool:
        message = self._store.get_message(message_id)
        if message is not None and message.status == "streaming":
            self.stop()  # the reply being written: stop it before it disappears
        return self._store.delete_message(message_id)

    def stop(self) -> bool:
        """Stop the reply being streamed; what arrived is kept, marked ``stopped``."""
        return self.cancel(REPLY)

    # -- internals -----------------------------------------------------------------------------

    def _ensure_conversation(
        self, text: str, model: str, system_prompt: str, params: Mapping[str, Any] | None
    ) -> int:
        if self._conversation_id is None:
            conversation = self._store.create_conversation(
                title=title_from(text), model=model, system_prompt=system_prompt, params=params
            )
            self._conversation_id = conversation.id
            self.sig_conversation_opened.emit(conversation.id)
        else:
            self._store.update_conversation(
                self._conversation_id, model=model, system_prompt=system_prompt, params=params or {}
            )
        return self._conversation_id

    def _start_reply(
        self,
        conversation_id: int,
        model: str,
        system_prompt: str,
        params: Mapping[str, Any] | None,
    ) -> Message:
        request = request_messages(system_prompt, self._store.messages(conversation_id))
        reply = self._store.add_message(
            conversation_id, "assistant", status="streaming", model=model
        )
        self.sig_message_added.emit(reply)
        self.start(REPLY, self._stream(reply, model, request, dict(params or {})))
        return reply

    async def _stream(
        self,
        reply: Message,
        model: str,
        request: list[dict[str, Any]],
        params: dict[str, Any],
    ) -> None:
        timer = ReplyTimer()
        content: list[str] = []
        reasoning: list[str] = []
        finished: ChatFinished | None = None
        failure: ApiError | None = None
        status: Status = "interrupted"
        last_save = self._clock()
        try:
            async for event in self._client.chat.stream(model=model, messages=request, **params):
                if isinstance(event, ChatDelta):
                    timer.on_delta(content=bool(event.content), reasoning=bool(event.reasoning))
                    content.append(event.content)
                    reasoning.append(event.reasoning)
                    self._emit(self.sig_reply_delta, reply.id, event.content, event.reasoning)
                    if self._clock() - last_save >= self._save_interval:
                        self._store.update_message(
                            reply.id, content="".join(content), reasoning="".join(reasoning)
                        )
                        last_save = self._clock()
                else:
                    finished = event
            status = "complete"
        except asyncio.CancelledError:
            status = "stopped"
            raise
        except StreamInterrupted as exc:
            failure = exc
        except ApiError as exc:
            failure = exc
            status = "interrupted" if content or reasoning else "error"
        finally:
            self._finish(reply, status, content, reasoning, finished, failure, timer)

    def _finish(
        self,
        reply: Message,
        status: Status,
        content: list[str],
        reasoning: list[str],
        finished: ChatFinished | None,
        failure: ApiError | None,
        timer: ReplyTimer,
    ) -> None:
        usage = finished.usage if finished is not None else None
        stats = timer.stats(usage.completion_tokens if usage is not None else None)
        self._store.update_message(
            reply.id,
            content="".join(content),
            reasoning="".join(reasoning),
            status=status,
            finish_reason=finished.finish_reason if finished is not None else None,
            usage=dataclasses.asdict(usage) if usage is not None else None,
            stats=stats.as_dict(),
            error=error_record(failure) if failure is not None else None,
        )
        final = self._store.get_message(reply.id)
        if final is not None:
            self._emit(self.sig_reply_ended, final, failure)

    def _emit(self, signal: Any, *args: Any) -> None:
        # The panel may have been destroyed while its reply task unwinds.
        if shiboken6.isValid(self):
            signal.emit(*args)


def request_messages(system_prompt: str, history: Iterable[Message]) -> list[dict[str, Any]]:
    """The ``messages`` sent for the next reply: the system prompt, then the conversation.

    Reasoning is never sent back, and failed replies with no text are left out: the model should
    see what the user saw, not our bookkeeping.
    """
    messages: list[dict[str, Any]] = []
    if system_prompt.strip():
        messages.append({"role": "system", "content": system_prompt})
    for message in history:
        if message.role == "assistant" and (message.status == "streaming" or not message.content):
            continue
        messages.append(
            {"role": message.role, "content": _content(message.content, message.attachments)}
        )
    return messages


def user_message(text: str, attachments: Iterable[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """The ``messages`` entry for a user turn not yet stored (what Send is about to post)."""
    return {"role": "user", "content": _content(text, attachments)}


def _content(text: str, attachments: Iterable[Mapping[str, Any]]) -> str | list[dict[str, Any]]:
    """Plain text, or text and ``image_url`` parts when images are attached."""
    images = [a for a in attachments if str(a.get("url", "")).startswith("data:image/")]
    if not images:
        return text
    parts: list[dict[str, Any]] = [{"type": "text", "text": text}]
    parts += [{"type": "image_url", "image_url": {"url": a["url"]}} for a in images]
    return parts


def error_record(error: ApiError) -> dict[str, Any]:
    """What is stored about a failure: enough to explain it again after a restart."""
    return {
        "type": type(error).__name__,
        "reason": error.reason,
        "message": error.message,
        "status": error.status,
        "code": error.code,
        "trace_id": error.trace_id,
    }
