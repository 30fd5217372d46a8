"""The conversation view (objectName ``chat.view``): stored messages and the reply being streamed.

Stored messages are rendered once with :func:`render_markdown`. The streamed reply is drawn in a
*live region* at the end of the document: finished Markdown blocks are appended once, and only the
open tail is replaced, on a repaint timer (≤ 30 Hz) rather than per token (design.md §3).

While the model thinks, the live region shows "Thinking… (N s)" and the latest reasoning in a
muted block; when the answer starts, the reasoning collapses to a "Thought for N s" line whose
link shows it again (``sig_reasoning_toggled``). A stopped, interrupted or failed reply ends with
a note and a Retry link (``sig_retry_requested``). Copy links (``copy:mID/N``) copy code blocks;
web links open in the browser; nothing else is ever followed.

Each finished message ends with a line of actions (``msg:ACTION:ID`` links): Copy and Copy as
Markdown are done here; Edit, Delete and Regenerate are asked of the panel through
``sig_message_action``. Images attached to a user message are shown as thumbnails, registered as
document resources (``attachment:ID/N``) — the document never loads anything by itself. When
older messages exist, a link at the top asks for them (``sig_earlier_requested``).
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QGuiApplication,
    QImage,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

from sfdesk.store import Message
from sfdesk.ui.errors import explain_record

REPAINT_INTERVAL_MS = 33  # ≈ 30 Hz
REASONING_TAIL_CHARS = 2000  # live reasoning shows its end; the whole text is one click away
HEADER_MARGINS = (16.0, 4.0)  # a message's "You" / "Assistant" line: space above, little below
ACTIONS_MARGINS = (4.0, 2.0)  # its Copy · Edit · Delete line
THUMBNAIL_SIZE = 160  # pixels: attached images in the conversation
#: Actions the panel carries out (the view only asks); copying is done by the view itself.
PANEL_ACTIONS = ("edit", "delete", "regenerate")
# A fragment's opening paragraph or heading tag, whose format insertHtml would drop.
_FIRST_BLOCK_RE = re.compile(r"<(p|h[1-6])\b[^>]*>")


if TYPE_CHECKING:
    from sfdesk.core.markdown_stream import MarkdownStream


def _markdown() -> tuple[ModuleType, ModuleType]:
    """The Markdown modules, imported on first use: markdown-it and Pygments cost ~26 ms of
    app start (design.md §5), and nothing is rendered before the first message."""
    from sfdesk.core import markdown_render, markdown_stream

    return markdown_render, markdown_stream


@dataclass
class _Live:
    """Bookkeeping of the reply being streamed (document positions of its live region)."""

    message_id: int
    stream: MarkdownStream
    reasoning_start: int  # where the reasoning zone begins
    tail_start: int = -1  # where the answer's open tail begins (-1: the answer has not started)
    answer_start: int = -1  # where the answer begins, after the collapsed reasoning line
    reasoning: list[str] = field(default_factory=list)
    thinking_since: float | None = None
    thought_s: float | None = None
    answered: bool = False
    dirty: bool = False


class ChatView(QTextBrowser):
    sig_retry_requested = Signal(int)  # message id
    sig_reasoning_toggled = Signal(int)  # message id
    sig_message_action = Signal(str, int)  # "edit" | "delete" | "regenerate", message id
    sig_earlier_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chat.view")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_view_anchor_clicked)
        self._messages: dict[int, Message] = {}  # finished messages shown (for copy links)
        self._block_formats: dict[str, QTextBlockFormat] = {}  # opening tag -> its format
        self._expanded: set[int] = set()
        self._live: _Live | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(REPAINT_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._retranslate()

    # -- whole conversations ------------------------------------------------------------------

    def show_messages(self, messages: Iterable[Message], *, earlier: int = 0) -> None:
        """Replace the document by ``messages`` (stored ones); ``earlier``: how many older
        messages are not shown (a link at the top asks for them)."""
        self._stop_live()
        self.clear()
        self._messages.clear()
        parts: list[str] = []
        if earlier > 0:
            label = self.tr("Show earlier messages (%1 more)").replace("%1", str(earlier))
            parts.append(f'<p align="center"><a href="earlier:">{html.escape(label)}</a></p>')
        live: Message | None = None
        for message in messages:
            if message.role == "assistant" and message.status == "streaming":
                live = message  # the last one: it becomes the live region, below
                continue
            self._messages[message.id] = message
            parts.append(_with_margins(self._header_html(message), HEADER_MARGINS))
            parts.append(self._body_html(message))
            parts.append(_with_margins(self._actions_html(message), ACTIONS_MARGINS))
        # The whole page in one parse and one layout. Appending it in pieces with insertHtml
        # (each parsed into a temporary document, copied in, its first block's format put back,
        # laid out) made opening a conversation about twice as slow (bench/chat_open.py).
        # setHtml keeps every block's own format, and the resources (thumbnails) added above.
        self.document().setHtml("".join(parts))
        if live is not None:
            self.add_message(live)
        self._scroll_to_end()

    def message(self, message_id: int) -> Message | None:
        """A finished message shown in the view."""
        return self._messages.get(message_id)

    def is_expanded(self, message_id: int) -> bool:
        return message_id in self._expanded

    def toggle_reasoning(self, message_id: int) -> None:
        self._expanded ^= {message_id}

    @property
    def streaming(self) -> bool:
        return self._live is not None

    # -- messages -----------------------------------------------------------------------------

    def add_message(self, message: Message) -> None:
        """Append a message; an assistant message still ``streaming`` starts the live region."""
        follow = self._at_end()
        self._insert(self._header_html(message), HEADER_MARGINS)
        if message.role == "assistant" and message.status == "streaming":
            self._stop_live()
            render, stream = _markdown()
            options = render.RenderOptions(
                dark=self._dark(), copy_label=self.tr("Copy"), scope=f"m{message.id}"
            )
            self._live = _Live(message.id, stream.MarkdownStream(options), self._end())
            self._timer.start()
        else:
            self._messages[message.id] = message
            self._insert(self._body_html(message))
            self._insert(self._actions_html(message), ACTIONS_MARGINS)
        if follow:
            self._scroll_to_end()

    def feed(self, message_id: int, content: str, reasoning: str) -> None:
        """A delta of the live reply; drawn on the next repaint tick."""
        live = self._live
        if live is None or live.message_id != message_id:
            return
        if reasoning:
            if live.thinking_since is None:
                live.thinking_since = time.monotonic()
            live.reasoning.append(reasoning)
        if content:
            if not live.answered and live.thinking_since is not None:
                live.thought_s = time.monotonic() - live.thinking_since
            live.answered = True
            live.stream.feed(content)
        live.dirty = True

    def end_reply(self, message: Message) -> None:
        """The live reply ended (any status): draw what is left and its final note."""
        live = self._live
        if live is None or live.message_id != message.id:
            return
        follow = self._at_end()
        self._timer.stop()
        self._live = None
        self._messages[message.id] = message
        if live.tail_start < 0:
            self._cut(live.reasoning_start)
            self._insert(self._reasoning_html(message))
            live.tail_start = self._end()
        self._cut(live.tail_start)
        for fragment in live.stream.finish().finished_html:
            self._insert(fragment)
        self._insert(self._status_html(message))
        if message.reasoning and live.answer_start > live.reasoning_start + 1:
            # The collapsed line, now with the thinking time the controller measured.
            cursor = QTextCursor(self.document())
            # +1: keep the block break that separates the line from the header.
            cursor.setPosition(live.reasoning_start + 1)
            cursor.setPosition(live.answer_start, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertHtml(self._reasoning_html(message))
        self._insert(self._actions_html(message), ACTIONS_MARGINS)
        if follow:
            self._scroll_to_end()

    # -- live drawing -------------------------------------------------------------------------

    def _on_timer_timeout(self) -> None:
        live = self._live
        if live is None or not live.dirty:
            return
        live.dirty = False
        follow = self._at_end()
        started = live.tail_start >= 0
        if not started and not live.answered:
            self._cut(live.reasoning_start)
            self._insert(self._live_reasoning_html(live))
        else:
            if not started:
                self._cut(live.reasoning_start)
                if live.thinking_since is not None:
                    self._insert(self._collapsed_html(live.message_id, live.thought_s))
                live.tail_start = self._end()
                live.answer_start = live.tail_start
            update = live.stream.update()
            if update.finished_html or update.tail_changed:
                self._cut(live.tail_start)
                for fragment in update.finished_html:
                    self._insert(fragment)
                live.tail_start = self._end()
                self._insert(update.tail_html)
        if follow:
            self._scroll_to_end()

    def _stop_live(self) -> None:
        self._timer.stop()
        self._live = None

    # -- HTML pieces --------------------------------------------------------------------------

    def _header_html(self, message: Message) -> str:
        if message.role == "user":
            who = self.tr("You")
        elif message.role == "assistant":
            who = self.tr("Assistant")
            if message.model:
                who += f" · {message.model}"
        else:
            who = message.role
        return f"<p><b>{html.escape(who)}</b></p>"

    def _body_html(self, message: Message) -> str:
        if message.role != "assistant":
            return f'<p style="margin-top:0">{_plain(message.content)}</p>' + self._thumbnails_html(
                message
            )
        render, stream = _markdown()
        options = render.RenderOptions(
            dark=self._dark(), copy_label=self.tr("Copy"), scope=f"m{message.id}"
        )
        parts = [self._reasoning_html(message)]
        if message.content:
            parts.append(stream.render_markdown(message.content, options=options))
        parts.append(self._status_html(message))
        return "".join(parts)

    def _thumbnails_html(self, message: Message) -> str:
        from sfdesk.core.image_attachments import decode_data_url

        cells: list[str] = []
        for n, attachment in enumerate(message.attachments):
            data = decode_data_url(str(attachment.get("url", "")))
            image = QImage.fromData(data) if data else QImage()
            if image.isNull():
                continue
            image = image.scaled(
                THUMBNAIL_SIZE,
                THUMBNAIL_SIZE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            url = f"attachment:{message.id}/{n}"
            self.document().addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)
            name = html.escape(str(attachment.get("name", "")))
            cells.append(
                f'<img src="{url}" width="{image.width()}" height="{image.height()}" '
                f'title="{name}"> '
            )
        return f"<p>{''.join(cells)}</p>" if cells else ""

    def _actions_html(self, message: Message) -> str:
        if message.role == "user":
            actions = [
                ("copy", self.tr("Copy")),
                ("edit", self.tr("Edit")),
                ("delete", self.tr("Delete")),
            ]
        elif message.role == "assistant":
            actions = [
                ("copy", self.tr("Copy")),
                ("markdown", self.tr("Copy as Markdown")),
                ("regenerate", self.tr("Regenerate")),
                ("delete", self.tr("Delete")),
            ]
        else:
            return ""
        links = " · ".join(
            f'<a href="msg:{action}:{message.id}">{html.escape(label)}</a>'
            for action, label in actions
        )
        return f'<p style="font-size:small; color:{self._muted()}">{links}</p>'

    def _reasoning_html(self, message: Message) -> str:
        if not message.reasoning:
            return ""
        thinking_ms = (message.stats or {}).get("thinking_ms")
        seconds = thinking_ms / 1000 if isinstance(thinking_ms, int | float) else None
        if message.id in self._expanded:
            head = self._collapsed_html(message.id, seconds, expanded=True)
            return head + self._muted_block(message.reasoning)
        return self._collapsed_html(message.id, seconds)

    def _collapsed_html(
        self, message_id: int, seconds: float | None, expanded: bool = False
    ) -> str:
        if seconds is None:
            label = self.tr("Thinking")
        else:
            label = self.tr("Thought for %1 s").replace("%1", f"{seconds:.1f}")
        action = self.tr("Hide") if expanded else self.tr("Show")
        return (
            f'<p style="color:{self._muted()}">{html.escape(label)} '
            f'<a href="reasoning:{message_id}">{html.escape(action)}</a></p>'
        )

    def _live_reasoning_html(self, live: _Live) -> str:
        seconds = time.monotonic() - live.thinking_since if live.thinking_since else 0.0
        head = self.tr("Thinking… (%1 s)").replace("%1", f"{seconds:.0f}")
        text = "".join(live.reasoning)
        if len(text) > REASONING_TAIL_CHARS:
            text = "…" + text[-REASONING_TAIL_CHARS:]
        return f'<p style="color:{self._muted()}"><i>{html.escape(head)}</i></p>' + (
            self._muted_block(text)
        )

    def _muted_block(self, text: str) -> str:
        return f'<blockquote style="color:{self._muted()}">{_plain(text)}</blockquote>'

    def _status_html(self, message: Message) -> str:
        retry = f' <a href="retry:{message.id}">{html.escape(self.tr("Retry"))}</a>'
        if message.status == "stopped":
            note = html.escape(self.tr("■ Stopped"))
        elif message.status == "interrupted":
            note = html.escape(self.tr("⚠ Interrupted: the answer was cut off."))
        elif message.status == "error":
            if message.error:
                title, text = explain_record(message.error)
            else:
                title, text = self.tr("Request failed"), ""
            note = f"<b>{html.escape(title)}</b><br>{_plain(text)}"
        elif message.finish_reason == "length":
            note = html.escape(self.tr("⚠ Truncated: the answer reached max_tokens."))
            retry = ""
        else:
            return ""
        return f'<p style="color:#c0392b">{note}{retry}</p>'

    # -- document helpers ---------------------------------------------------------------------

    def _end(self) -> int:
        return self.document().characterCount() - 1

    def _insert(self, fragment: str, margins: tuple[float, float] | None = None) -> None:
        """Append ``fragment``; ``margins`` (top, bottom) for its first paragraph."""
        if not fragment:
            return
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if cursor.block().length() > 1:
            # insertHtml merges its first paragraph into a non-empty block: start a fresh one.
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        first = cursor.block().blockNumber()
        cursor.insertHtml(fragment)
        # The merge above also drops the first paragraph's own format (its margins, a heading's
        # level): put back the one it has when parsed alone, so a streamed answer is laid out
        # like the same answer rendered whole.
        block_format = self._first_block_format(fragment)
        if margins is not None:
            block_format = QTextBlockFormat(block_format or QTextBlockFormat())
            block_format.setTopMargin(margins[0])
            block_format.setBottomMargin(margins[1])
        if block_format is not None:
            QTextCursor(self.document().findBlockByNumber(first)).mergeBlockFormat(block_format)

    def _first_block_format(self, fragment: str) -> QTextBlockFormat | None:
        """The block format of ``fragment``'s first paragraph or heading (cached per tag)."""
        match = _FIRST_BLOCK_RE.match(fragment)
        if match is None:
            return None
        tag = match.group(0)
        block_format = self._block_formats.get(tag)
        if block_format is None:
            probe = QTextDocument()
            probe.setHtml(f"{tag}x</{match.group(1)}>")
            block_format = probe.begin().blockFormat()
            self._block_formats[tag] = block_format
        return block_format

    def _cut(self, position: int) -> None:
        """Remove everything from ``position`` to the end."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(position, self._end()))
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()

    def _at_end(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 4

    def _scroll_to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _dark(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Base).lightness() < 128

    def _muted(self) -> str:
        return "#8b949e" if self._dark() else "#6e7781"

    # -- links --------------------------------------------------------------------------------

    def _on_view_anchor_clicked(self, url: QUrl) -> None:
        href = url.toString()
        scheme, _, rest = href.partition(":")
        if scheme in ("http", "https"):
            QDesktopServices.openUrl(url)
        elif scheme == "copy":
            source = self._code_source(rest)
            if source is not None:
                QGuiApplication.clipboard().setText(source)
        elif scheme == "retry" and rest.isdigit():
            self.sig_retry_requested.emit(int(rest))
        elif scheme == "reasoning" and rest.isdigit():
            self.sig_reasoning_toggled.emit(int(rest))
        elif scheme == "earlier":
            self.sig_earlier_requested.emit()
        elif scheme == "msg":
            action, _, message_id = rest.partition(":")
            if message_id.isdigit():
                self._on_message_action(action, int(message_id))

    def _on_message_action(self, action: str, message_id: int) -> None:
        if action in PANEL_ACTIONS:
            self.sig_message_action.emit(action, message_id)
            return
        message = self._messages.get(message_id)
        if message is None:
            return
        if action == "markdown":
            QGuiApplication.clipboard().setText(message.content)
        elif action == "copy":
            QGuiApplication.clipboard().setText(self.plain_text(message))

    def plain_text(self, message: Message) -> str:
        """A message as the reader sees it: an answer's Markdown without its markup."""
        if message.role != "assistant" or not message.content:
            return message.content
        document = QTextDocument()
        # Qt's own parser is enough for plain text; raw HTML in the answer stays text.
        features = (
            QTextDocument.MarkdownFeature.MarkdownDialectGitHub
            | QTextDocument.MarkdownFeature.MarkdownNoHTML
        )
        document.setMarkdown(message.content, features)
        return document.toPlainText().strip()

    def _code_source(self, target: str) -> str | None:
        scope, _, index = target.rpartition("/")
        if not (scope.startswith("m") and scope[1:].isdigit() and index.isdigit()):
            return None
        message_id, n = int(scope[1:]), int(index)
        live = self._live
        if live is not None and live.message_id == message_id:
            sources = live.stream.code_blocks()
        else:
            render, _stream = _markdown()
            shown = self._messages.get(message_id)
            sources = render.MarkdownRenderer.code_sources(shown.content if shown else "")
        return sources[n] if n < len(sources) else None

    # -- language -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setAccessibleName(self.tr("Conversation"))


def _plain(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _with_margins(fragment: str, margins: tuple[float, float]) -> str:
    """``fragment`` with these (top, bottom) margins on its first paragraph, for a document
    built in one go (``_insert`` sets them on the block instead)."""
    if not fragment.startswith("<p"):
        return fragment
    style = f"margin-top:{margins[0]:g}px; margin-bottom:{margins[1]:g}px"
    if fragment.startswith('<p style="'):
        return f'<p style="{style}; ' + fragment.removeprefix('<p style="')
    return f'<p style="{style}"' + fragment.removeprefix("<p")
