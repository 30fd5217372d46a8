"""Incremental Markdown for answers that are still streaming in.

This module owns cutting a Markdown text into *blocks* as it arrives (:class:`BlockSplitter`) and
the stream object the chat view drives (:class:`MarkdownStream`). Rendering a block, and every
safety rule for model output, belongs to :mod:`sfdesk.core.markdown_render`.

Why blocks. An answer may be 100k tokens long and arrive at thousands of tokens per second, while
the event loop must not stall (design.md §3, §5). Re-rendering the whole text per repaint is
quadratic. Instead the text is cut into blocks; a block that is *finished* is rendered once and
appended to the view, and only the *open* last block (the "tail") is re-rendered on repaints.
Every cost is proportional to the new text plus the open block, never to the whole answer.

How the view uses it (GUI thread only; not thread-safe)::

    stream = MarkdownStream(options=RenderOptions(dark=..., copy_label=tr("Copy"), scope="m42"))
    # on every delta from the service layer — cheap, renders nothing:
    stream.feed(delta.content)
    # on a coalesced repaint tick (30–60 Hz), only if something was fed since the last tick:
    update = stream.update()
    for fragment in update.finished_html:   # append once, never touch again
        append_before_tail(fragment)
    if update.tail_changed:
        replace_tail(update.tail_html)      # the open block, re-rendered
    # when the stream ends, is stopped or breaks:
    update = stream.finish()                # remaining blocks; tail_html == ""

``update()`` renders the blocks finished since the previous call (each exactly once) and the
tail. :meth:`MarkdownStream.render_tail` renders only the tail. Rendering the tail costs about
1 ms per KB of the open block, more inside a code block being highlighted; ``tail_chars`` lets the
view space out repaints if a single block grows very large (a long code block is still cheap:
see the highlighting note in :mod:`~sfdesk.core.markdown_render`).

Copy buttons: see :mod:`~sfdesk.core.markdown_render`. ``code_blocks()[N]`` is the source for the
anchor ``copy:N`` (``copy:SCOPE/N`` with a scope), including blocks still streaming. Give every
message shown in one document its own scope, and the reasoning section its own stream and scope.

A stopped or broken stream is finished like a complete one (``finish()``): what arrived is
rendered as final. ``markdown_render.warm_up()`` once at idle time after start keeps the first
code block of each common language from paying for its lexer's import during a repaint.

Where blocks end (outside fenced code; all decisions are made on complete lines):

- at a blank line, once the next non-blank line has arrived and starts something new;
- a fenced code block (``` or ~~~, any info string) is one block: blank lines inside it never cut,
  and a fence that opens a block ends it at its closing fence;
- after an ATX heading line (``# …``), which is a block by itself;
- the items of one list stay together across blank lines, as do the paragraphs and code inside an
  item (lines indented under it), until the open block passes ``LIST_SPLIT_CHARS``; then a new
  top-level item of the same list may start a new block (the list continues, numbering kept);
- consecutive indented code (4 spaces) stays together across blank lines.

Keeping more together is always safe (the block is parsed as one); cutting is what must match
CommonMark, so the rules only cut where a new top-level block certainly starts. One simplification:
a fence opened inside a list item counts as closed by a closing fence at any indentation up to 3
columns past where it opened, even one outside the item.

Invariants (tested):

1. Lossless: the finished blocks followed by the tail are exactly the text fed so far.
2. Chunking independence: the blocks — hence the HTML — do not depend on how the text was cut
   into ``feed`` calls.
3. ``render_markdown(text)`` renders the blocks of ``text`` one after the other, so it equals the
   concatenated ``finished_html`` of a stream fed ``text`` and finished: a reopened conversation
   looks exactly like the answer did when it finished streaming.
4. Fidelity "modulo block boundaries": the result equals markdown-it rendering the whole text at
   once whenever each cut falls where the whole-text parse also starts a new top-level block —
   true of ordinary model output (paragraphs, headings, lists, fenced code, tables, quotes
   separated by blank lines). Constructs that need context across a cut differ: reference-style
   link definitions (``[x]: url``) only apply inside their own block, and a list cut because it
   passed ``LIST_SPLIT_CHARS`` shows as two lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .markdown_render import MarkdownRenderer, RenderOptions

__all__ = [
    "BlockSplitter",
    "MarkdownStream",
    "StreamUpdate",
    "render_markdown",
    "split_blocks",
]

#: An open list block larger than this may be cut at its next top-level item, so the tail
#: re-rendered on every repaint stays a few milliseconds.
LIST_SPLIT_CHARS = 3000

_HEADING_RE = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
# A list item: bullet or ordered marker, then whitespace or the end of the line.
_ITEM_RE = re.compile(r"[ \t]*(?:([-+*])|(\d{1,9})([.)]))(?:[ \t]|$)")
# A fence opening: indentation, any list markers (a fence may open a list item), the fence.
_FENCE_OPEN_RE = re.compile(r"((?:[ \t]*(?:[-+*]|\d{1,9}[.)])(?=[ \t]))*[ \t]*)(`{3,}|~{3,})(.*)")
_FENCE_CLOSE_RE = re.compile(r"([ \t]*)(`{3,}|~{3,})[ \t\r]*")
_THEMATIC_BREAK_RE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t\r]*")


def _indent(line: str) -> int:
    """Columns of leading whitespace, tabs to the next multiple of 4 (as CommonMark counts)."""
    column = 0
    for char in line:
        if char == " ":
            column += 1
        elif char == "\t":
            column += 4 - column % 4
        else:
            break
    return column


@dataclass(frozen=True, slots=True)
class _Fence:
    char: str
    length: int
    #: A closing fence indented more than this is code (CommonMark: 3 beyond the opener's
    #: container, i.e. 3 at the top level).
    max_close_indent: int


def _closes(line: str, fence: _Fence) -> bool:
    match = _FENCE_CLOSE_RE.fullmatch(line.rstrip("\n"))
    if match is None:
        return False
    run = match.group(2)
    return (
        run[0] == fence.char
        and len(run) >= fence.length
        and _indent(match.group(1)) <= fence.max_close_indent
    )


def _item_kind(line: str) -> str | None:
    """The marker of a list item line: its bullet, or ``.``/``)`` for an ordered item."""
    match = _ITEM_RE.match(line)
    if match is None:
        return None
    return match.group(1) or match.group(3)


def _item_has_text(line: str) -> bool:
    match = _ITEM_RE.match(line)
    return match is not None and line[match.end() :].strip() != ""


class BlockSplitter:
    """Cuts Markdown into blocks as it arrives (rules in the module docstring).

    ``feed`` returns the blocks that became finished; ``finish`` returns the rest. The cost of a
    call is proportional to the text given plus, for each completed line, that line.
    """

    def __init__(self) -> None:
        self._partial: list[str] = []  # the incomplete last line, in pieces
        self._done = False
        self._reset()

    def _reset(self) -> None:
        self._lines: list[str] = []
        self._size = 0
        self._has_content = False
        self._blank_after = False
        self._fence: _Fence | None = None
        self._fence_only = False  # the block is one top-level fenced code block
        self._list_seen = False
        self._indented_code = False
        # Set while the block is provably still the one top-level list it started with: only
        # then can a new top-level item start a new block without changing how it parses.
        self._list_kind: str | None = None
        self._list_content_column = 0

    @property
    def tail(self) -> str:
        """The open block: complete lines not yet in a finished block plus the partial line."""
        return "".join(self._lines) + "".join(self._partial)

    @property
    def tail_chars(self) -> int:
        return self._size + sum(len(piece) for piece in self._partial)

    def feed(self, text: str) -> list[str]:
        if self._done:
            raise RuntimeError("feed() after finish()")
        finished: list[str] = []
        end = text.find("\n")
        if end < 0:
            if text:
                self._partial.append(text)
            return finished
        self._partial.append(text[: end + 1])
        line = "".join(self._partial)
        self._partial = []
        self._take(line, finished)
        start = end + 1
        while (end := text.find("\n", start)) >= 0:
            self._take(text[start : end + 1], finished)
            start = end + 1
        if start < len(text):
            self._partial.append(text[start:])
        return finished

    def finish(self) -> list[str]:
        """End of text: the partial line counts as a line and every block is finished."""
        if self._done:
            return []
        self._done = True
        finished: list[str] = []
        if self._partial:
            line = "".join(self._partial)
            self._partial = []
            self._take(line, finished)
        if self._lines:
            self._close(finished)
        return finished

    def _close(self, finished: list[str]) -> None:
        finished.append("".join(self._lines))
        self._reset()

    def _append(self, line: str) -> None:
        self._lines.append(line)
        self._size += len(line)

    def _take(self, line: str, finished: list[str]) -> None:
        """Process one complete line (it ends with a newline unless it is the last)."""
        if self._fence is not None:
            self._append(line)
            if _closes(line, self._fence):
                self._fence = None
                if self._fence_only:
                    self._close(finished)
                elif _indent(line) < self._list_content_column:
                    # Closed outside the item it opened in: CommonMark may read this line as a
                    # new fence instead, so don't cut the list any more.
                    self._list_kind = None
            return
        if not line.strip():
            self._append(line)
            if self._has_content:
                self._blank_after = True
            return

        indent = _indent(line)
        heading = _HEADING_RE.match(line) is not None and not (self._list_seen and indent > 0)
        if self._has_content:
            if self._blank_after:
                if not self._continues(line, indent):
                    self._close(finished)
            elif heading or self._splits_list(line, indent):
                self._close(finished)

        first = not self._has_content
        self._has_content = True
        self._blank_after = False
        self._append(line)
        self._track_list(line, indent, first)
        if first and indent >= 4 and not self._list_seen:
            self._indented_code = True
        self._open_fence(line, first)
        if first and heading:
            self._close(finished)

    def _continues(self, line: str, indent: int) -> bool:
        """After blank lines: does ``line`` still belong to the open block?"""
        if self._splits_list(line, indent):
            return False
        if self._list_seen and (indent > 0 or _item_kind(line) is not None):
            return True
        return self._indented_code and indent >= 4

    def _splits_list(self, line: str, indent: int) -> bool:
        """A big top-level list may be cut before a new item of its own kind."""
        return (
            self._size >= LIST_SPLIT_CHARS
            and self._list_kind is not None
            and indent == 0
            and _item_kind(line) == self._list_kind
            # An empty item cannot interrupt a paragraph, so it may be paragraph text.
            and _item_has_text(line)
            and _THEMATIC_BREAK_RE.fullmatch(line.rstrip("\n")) is None
        )

    def _track_list(self, line: str, indent: int, first: bool) -> None:
        kind = _item_kind(line)
        if kind is not None:
            self._list_seen = True
        if first:
            if kind is not None and indent == 0:
                self._list_kind = kind
                self._list_content_column = self._content_column(line)
            return
        if self._list_kind is None:
            return
        if indent == 0 and kind == self._list_kind:
            self._list_content_column = self._content_column(line)
        elif indent < self._list_content_column:
            # A lazy line, a nested construct at a shallow indent or something that ends the
            # list: the list's extent is no longer obvious, so stop cutting this block.
            self._list_kind = None

    @staticmethod
    def _content_column(line: str) -> int:
        match = _ITEM_RE.match(line)
        assert match is not None
        marker_end = match.end(1) if match.group(1) else match.end(3)
        rest = line[marker_end:].rstrip("\n")
        spaces = len(rest) - len(rest.lstrip(" "))
        return marker_end + (spaces if 1 <= spaces <= 4 else 1)

    def _open_fence(self, line: str, first: bool) -> None:
        match = _FENCE_OPEN_RE.match(line)
        if match is None:
            return
        run, info = match.group(2), match.group(3)
        if run[0] == "`" and "`" in info:
            return  # ```code``` on one line is inline code, not a fence
        column = len(match.group(1).expandtabs(4))
        in_item = bool(match.group(1).strip())
        if not in_item and column >= 4 and not self._list_seen:
            return  # indented code that happens to contain a fence marker
        top_level = not in_item and column <= 3
        self._fence = _Fence(
            char=run[0],
            length=len(run),
            max_close_indent=3 if top_level and not self._list_seen else column + 3,
        )
        self._fence_only = first and top_level


def split_blocks(text: str) -> list[str]:
    """The blocks of a whole text, as a stream fed ``text`` would produce them."""
    splitter = BlockSplitter()
    return splitter.feed(text) + splitter.finish()


@dataclass(frozen=True, slots=True)
class StreamUpdate:
    """What changed since the previous update.

    ``finished_html``: fragments of blocks that just finished, in order — append them once.
    ``tail_html``: the open block's HTML, replacing the previous tail ("" when there is none).
    ``tail_changed``: False when ``tail_html`` is the same as in the previous update.
    """

    finished_html: list[str] = field(default_factory=list)
    tail_html: str = ""
    tail_changed: bool = True


class MarkdownStream:
    """One streamed message: feed text, take rendered updates on repaint (see module docstring)."""

    def __init__(self, options: RenderOptions | None = None) -> None:
        self._renderer = MarkdownRenderer(options)
        self._splitter = BlockSplitter()
        self._pending: list[str] = []  # finished blocks not rendered yet
        self._ready: list[str] = []  # rendered, not yet handed out by update()
        self._code_sources: list[str] = []  # of rendered blocks
        self._version = 0  # bumped whenever the tail may have changed
        self._tail_cache: tuple[int, str] = (-1, "")
        self._last_tail_version = -1
        self._finished = False

    @property
    def finished(self) -> bool:
        return self._finished

    @property
    def tail_chars(self) -> int:
        """Size of the open block: what one :meth:`render_tail` has to render."""
        return self._splitter.tail_chars

    def feed(self, text: str) -> None:
        """Add text. Only splits (cost ∝ ``len(text)`` plus completed lines); renders nothing."""
        if self._finished:
            raise RuntimeError("feed() after finish()")
        if not text:
            return
        self._pending.extend(self._splitter.feed(text))
        self._version += 1

    def update(self) -> StreamUpdate:
        """Render what changed: newly finished blocks (each once) and the open tail."""
        self._render_pending()
        ready, self._ready = self._ready, []
        tail = self.render_tail()
        changed = self._last_tail_version != self._version
        self._last_tail_version = self._version
        return StreamUpdate(finished_html=ready, tail_html=tail, tail_changed=changed)

    def render_tail(self) -> str:
        """HTML of the open block only (cached until more text is fed)."""
        version, html = self._tail_cache
        if version == self._version:
            return html
        self._render_pending()  # so the tail's code blocks are numbered after theirs
        tail = self._splitter.tail
        html = self._renderer.render(tail, code_base=len(self._code_sources)).html if tail else ""
        self._tail_cache = (self._version, html)
        return html

    def finish(self) -> StreamUpdate:
        """The text is complete (or was stopped): every remaining block, and no tail."""
        if self._finished:
            return StreamUpdate(tail_changed=False)
        self._finished = True
        self._pending.extend(self._splitter.finish())
        self._render_pending()
        ready, self._ready = self._ready, []
        self._version += 1
        self._tail_cache = (self._version, "")
        self._last_tail_version = self._version
        return StreamUpdate(finished_html=ready, tail_html="", tail_changed=True)

    def code_blocks(self) -> list[str]:
        """Raw source of every code block so far, by copy index, including an open one."""
        sources = list(self._code_sources)
        for block in self._pending:
            sources.extend(MarkdownRenderer.code_sources(block))
        tail = self._splitter.tail
        if tail and not self._finished:
            sources.extend(MarkdownRenderer.code_sources(tail))
        return sources

    def _render_pending(self) -> None:
        for block in self._pending:
            rendered = self._renderer.render(block, code_base=len(self._code_sources))
            self._code_sources.extend(rendered.code_sources)
            if rendered.html:
                self._ready.append(rendered.html)
        self._pending = []


def render_markdown(text: str, *, dark: bool = False, options: RenderOptions | None = None) -> str:
    """HTML of a whole finished message, exactly as a :class:`MarkdownStream` would show it.

    ``options`` (labels, scope) wins over ``dark`` when given.
    """
    renderer = MarkdownRenderer(options or RenderOptions(dark=dark))
    parts: list[str] = []
    code_count = 0
    for block in split_blocks(text):
        rendered = renderer.render(block, code_base=code_count)
        code_count += len(rendered.code_sources)
        parts.append(rendered.html)
    return "".join(parts)
