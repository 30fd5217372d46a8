"""Safe HTML for Markdown written by a model, in the HTML subset QTextDocument can show.

This module owns the markdown-it configuration, the safety rules for rendered model output
(design.md §3: it "never fetches remote resources and never runs anything"), code highlighting and
the copy-anchor scheme. It renders one piece of Markdown at a time; cutting a streamed answer into
blocks is :mod:`sfdesk.core.markdown_stream`'s job.

Safety rules (every one is enforced here, not left to the widget):

- Raw HTML is never interpreted (markdown-it ``html=False``): ``<script>``, ``<iframe>``, ``<img>``
  written by the model show up as text.
- Images are never ``<img>``, which would fetch them. ``![alt](https://…)`` becomes a link reading
  ``[image: alt]``; an image with any other source (``data:``, relative, …) is only that text.
- A link keeps its ``href`` only for ``http``, ``https`` and ``mailto``. Anything else
  (``javascript:``, ``data:``, ``file:``, relative paths, and ``copy:``, which is ours) renders as
  the bare link text, so a model cannot forge a copy button either.
- The only attributes written are ``href``/``name`` on ``<a>``, ``style`` (Pygments colours,
  table-cell alignment, margins, code-block shading), table layout attributes (``border``,
  ``cellspacing``, ``cellpadding``), ``align`` and ``start`` on ``<ol>``.

HTML used: p, h1–h6, ul/ol/li, blockquote, pre, code, table/thead/tbody/tr/th/td, a, em, strong,
s, br, hr, span. No CSS classes, no stylesheet: code colours are inline (Pygments ``noclasses``)
so a bare ``QTextBrowser`` shows them.

Copy anchors. Every code block (fenced or indented) renders as two shaded blocks::

    <p align="right" style="… background-color:#f8f8f8">python &nbsp; <a name="code-N"
      href="copy:N">Copy</a>&nbsp;</p>
    <pre style="… background-color:#f8f8f8">…highlighted code…</pre>

``N`` numbers the code blocks of one message from 0 in document order. With a ``scope`` (to tell
messages apart in one document) the href is ``copy:SCOPE/N`` and the name ``code-SCOPE-N``. The
raw source of block ``N`` is ``code_sources[N]`` (see :class:`RenderedBlock`): the view copies
that, never text scraped from the HTML. The view turns off QTextBrowser's own link handling
(``setOpenLinks(False)``) and handles ``anchorClicked``: ``copy:`` copies, http/https/mailto open
in the system browser; no other href can occur.

Highlighting cost. Pygments runs at roughly 3–4 ms per KB of code, too slow to redo a whole growing
code block on every repaint. Code is therefore highlighted in segments cut at blank lines (see
:func:`code_segments`) and each segment's HTML is cached, so a repaint re-highlights only the
segment still being written. Segmenting depends only on the code itself, so a block renders the
same whether it streamed in or was rendered whole. A construct that spans a cut (a docstring
with a blank line in a block over ~1 KB) may be coloured imperfectly after the cut; the text is
always exact.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_all_lexers, get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import Token as PygmentsToken
from pygments.util import ClassNotFound

__all__ = [
    "COMMON_LANGUAGES",
    "MarkdownRenderer",
    "RenderOptions",
    "RenderedBlock",
    "code_segments",
    "copy_href",
    "is_safe_href",
    "warm_up",
]

#: Schemes a rendered link may point to. Everything else loses its href.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

# Segment sizes for highlighting (characters). A cut is made at a blank line followed by a line
# that starts in column 0 (nearly always the top level of the language, so the lexer loses no
# state) once a segment holds SEGMENT_SOFT; at any blank line from SEGMENT_MEDIUM; at any line
# end from SEGMENT_HARD. SEGMENT_HARD bounds one repaint's highlighting to a few milliseconds.
SEGMENT_SOFT = 768
SEGMENT_MEDIUM = 1536
SEGMENT_HARD = 3072
#: A segment longer than this (one enormous line: minified JSON, base64) is shown unhighlighted.
SEGMENT_MAX = 6144

_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_SCOPE_RE = re.compile(r"[A-Za-z0-9_\-]*")
# Info strings are short; anything else is not a language name Pygments could know.
_LANG_RE = re.compile(r"[\w+#.\-]{1,32}")


@dataclass(frozen=True, slots=True)
class _Palette:
    style: str
    background: str
    foreground: str
    muted: str


_LIGHT = _Palette(style="default", background="#f6f8fa", foreground="#1f2328", muted="#6e7781")
_DARK = _Palette(style="github-dark", background="#161b22", foreground="#e6edf3", muted="#8b949e")


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How a message is rendered. ``copy_label``/``image_label`` are shown to the user, so the
    view passes them already translated (``tr("Copy")``)."""

    dark: bool = False
    copy_label: str = "Copy"
    image_label: str = "image"
    #: Distinguishes the copy anchors of several messages shown in one document.
    scope: str = ""

    def __post_init__(self) -> None:
        # The scope is written into an href unescaped by URL rules; keep it to safe characters.
        if not _SCOPE_RE.fullmatch(self.scope):
            raise ValueError(f"scope must match [A-Za-z0-9_-]*, got {self.scope!r}")


@dataclass(frozen=True, slots=True)
class RenderedBlock:
    """HTML for one piece of Markdown and the raw source of each code block in it, in order.

    The first code block here has copy index ``code_base`` (the argument given to
    :meth:`MarkdownRenderer.render`)."""

    html: str
    code_sources: list[str] = field(default_factory=list)


def copy_href(index: int, scope: str = "") -> str:
    """The href of the copy anchor of code block ``index`` (see the module docstring)."""
    return f"copy:{scope}/{index}" if scope else f"copy:{index}"


def is_safe_href(href: str) -> bool:
    """True if a link to ``href`` may keep it: an absolute http, https or mailto URL."""
    match = _SCHEME_RE.match(href)
    return match is not None and match.group(1).lower() in SAFE_SCHEMES


def _is_web_url(href: str) -> bool:
    match = _SCHEME_RE.match(href)
    return match is not None and match.group(1).lower() in ("http", "https")


def _split_lines(text: str) -> list[str]:
    """Lines with their ``\\n`` kept. Only ``\\n`` ends a line: ``str.splitlines`` would also cut
    at form feeds and U+2028, which are text inside a code block."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def code_segments(code: str) -> list[str]:
    """Cut ``code`` into pieces highlighted separately; ``"".join(result) == code``.

    Depends only on ``code``'s own text, and a prefix of ``code`` is cut the same way as long as
    its last line is complete, which is what lets a streaming code block reuse earlier segments.
    """
    segments: list[str] = []
    current: list[str] = []
    size = 0
    previous_blank = False
    for line in _split_lines(code):
        if current:
            top_level = line[:1] not in ("", " ", "\t", "\n", "\r")
            at_blank = previous_blank and (
                (size >= SEGMENT_SOFT and top_level) or size >= SEGMENT_MEDIUM
            )
            if at_blank or size >= SEGMENT_HARD:
                segments.append("".join(current))
                current = []
                size = 0
        current.append(line)
        size += len(line)
        previous_blank = not line.strip()
    if current:
        segments.append("".join(current))
    return segments


@cache
def _known_languages() -> frozenset[str]:
    # Pygments' own table, read without importing any lexer. Plugins are left out on purpose:
    # looking up a name Pygments doesn't know scans every installed package's entry points
    # (~50 ms), too slow for a repaint, and "```ja" is a name while "```java" is being typed.
    return frozenset(
        alias.lower() for _, aliases, _, _ in get_all_lexers(plugins=False) for alias in aliases
    )


@cache
def _lexer(language: str) -> Lexer | None:
    if not _LANG_RE.fullmatch(language) or language not in _known_languages():
        return None
    try:
        # stripnl=False: leading and trailing blank lines of a segment are part of the code.
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@cache
def _formatter(style: str) -> HtmlFormatter[str]:
    return HtmlFormatter(nowrap=True, noclasses=True, style=style)


@cache
def _palette(dark: bool) -> _Palette:
    base = _DARK if dark else _LIGHT
    style = get_style_by_name(base.style)
    # The code box uses the Pygments style's own background so its colours stay readable.
    text_colour = style.style_for_token(PygmentsToken.Text).get("color")
    return _Palette(
        style=base.style,
        background=str(style.background_color or base.background),
        foreground=f"#{text_colour}" if text_colour else base.foreground,
        muted=base.muted,
    )


#: Languages worth loading before the first answer arrives (see :func:`warm_up`).
COMMON_LANGUAGES = (
    "python",
    "bash",
    "javascript",
    "typescript",
    "json",
    "java",
    "c",
    "cpp",
    "go",
    "rust",
    "sql",
    "html",
    "yaml",
)


def warm_up(languages: Sequence[str] = COMMON_LANGUAGES) -> None:
    """Build the parser and import the lexers for ``languages`` ahead of time.

    A lexer is imported the first time a code block in its language is shown (5–20 ms each, once
    per process). Call this once when the app is idle — it is safe in a worker thread — so no
    repaint pays for it.
    """
    _markdown()
    for style in (False, True):
        _palette(style)
        _formatter(_palette(style).style)
    for language in languages:
        _lexer(language.lower())


class _RenderState:
    """Per-render scratch space, carried through markdown-it's ``env``."""

    __slots__ = ("code_base", "code_sources", "links", "renderer")

    def __init__(self, renderer: MarkdownRenderer, code_base: int) -> None:
        self.renderer = renderer
        self.code_base = code_base
        self.code_sources: list[str] = []
        # One entry per open link: whether its <a> was written (so the close tag matches).
        self.links: list[bool] = []


_ENV_KEY = "sfdesk_render_state"


def _state(env: EnvType) -> _RenderState:
    state = env[_ENV_KEY]
    assert isinstance(state, _RenderState)
    return state


class _SafeMarkdownIt(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        # Accept every destination while parsing so an unsafe link still renders as its plain
        # text (markdown-it would otherwise show the raw "[text](javascript:…)" source); the
        # href is vetted when rendering.
        return True


def _render_link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    state = _state(env)
    href = tokens[idx].attrGet("href")
    keep = isinstance(href, str) and is_safe_href(href)
    state.links.append(keep)
    return f'<a href="{escapeHtml(str(href))}">' if keep else ""


def _render_link_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    state = _state(env)
    kept = state.links.pop() if state.links else False
    return "</a>" if kept else ""


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    state = _state(env)
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children, options, env).strip()
    label = state.renderer.options.image_label
    text = escapeHtml(f"[{label}: {alt}]" if alt else f"[{label}]")
    src = token.attrGet("src")
    # A link the user may click is fine (nothing is fetched until then); an <a> inside an <a>
    # is not valid HTML, so an image inside a link is just its text.
    if isinstance(src, str) and _is_web_url(src) and not any(state.links):
        return f'<a href="{escapeHtml(src)}">{text}</a>'
    return text


def _render_fence(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    info = unescapeAll(token.info).strip() if token.info else ""
    language = info.split(maxsplit=1)[0] if info else ""
    return _state(env).renderer._code_block(_state(env), token.content, language)


def _render_code_block(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return _state(env).renderer._code_block(_state(env), tokens[idx].content, "")


def _render_table_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    # QTextDocument draws no cell borders without these attributes (it ignores CSS borders).
    return '<table border="1" cellspacing="0" cellpadding="4">\n'


@cache
def _markdown() -> MarkdownIt:
    """The one configured parser; rendering state lives in ``env``, so sharing it is safe."""
    md = _SafeMarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_block", _render_code_block)
    md.add_render_rule("table_open", _render_table_open)
    return md


class MarkdownRenderer:
    """Renders Markdown with one set of :class:`RenderOptions`.

    Keeps a small cache of highlighted code segments, which is what makes re-rendering a code
    block that is still streaming cheap. One instance per message stream; not thread-safe.
    """

    #: Highlighted segments kept (each at most a few KB of HTML).
    CACHE_SIZE = 64

    def __init__(self, options: RenderOptions | None = None) -> None:
        self.options = options or RenderOptions()
        self._palette = _palette(self.options.dark)
        self._segment_cache: OrderedDict[tuple[str, str], str] = OrderedDict()

    def render(self, source: str, *, code_base: int = 0) -> RenderedBlock:
        """Render ``source``; its first code block gets copy index ``code_base``."""
        state = _RenderState(self, code_base)
        env: dict[str, Any] = {_ENV_KEY: state}
        html = _markdown().render(source, env)
        assert isinstance(html, str)
        return RenderedBlock(html=html, code_sources=state.code_sources)

    @staticmethod
    def code_sources(source: str) -> list[str]:
        """The raw source of each code block in ``source``, without rendering anything."""
        return [
            token.content
            for token in _markdown().parse(source)
            if token.type in ("fence", "code_block")
        ]

    def _code_block(self, state: _RenderState, code: str, language: str) -> str:
        index = state.code_base + len(state.code_sources)
        state.code_sources.append(code)
        options, palette = self.options, self._palette
        scope = options.scope
        name = f"code-{scope}-{index}" if scope else f"code-{index}"
        label = f"{escapeHtml(language)} &nbsp; " if language else ""
        # A trailing newline would show as an empty last line inside <pre>.
        body = self._highlight(code, language.lower())
        body = body.removesuffix("\n")
        # Two shaded blocks, not a one-cell table: every table is a QTextFrame, and Qt's cost
        # per document edit grows with the frames in the document, so a long streamed answer
        # with hundreds of code blocks slowed down token by token (bench/chat_stream.py).
        shade = f"background-color:{palette.background}"
        return (
            f'<p align="right" style="margin-top:8px; margin-bottom:0; font-size:small;'
            f' color:{palette.muted}; {shade}">{label}'
            f'<a name="{name}" href="{copy_href(index, scope)}">'
            f"{escapeHtml(options.copy_label)}</a>&nbsp;</p>"
            f'<pre style="margin-top:0; margin-bottom:8px; color:{palette.foreground};'
            f' {shade}">{body}</pre>\n'
        )

    def _highlight(self, code: str, language: str) -> str:
        # No code yet: the info string may still be arriving, so don't look the name up.
        lexer = _lexer(language) if language and code else None
        if lexer is None:
            return escapeHtml(code)
        return "".join(
            self._highlight_segment(segment, language) for segment in code_segments(code)
        )

    def _highlight_segment(self, segment: str, language: str) -> str:
        if len(segment) > SEGMENT_MAX:
            return escapeHtml(segment)
        key = (language, segment)
        cached = self._segment_cache.get(key)
        if cached is not None:
            self._segment_cache.move_to_end(key)
            return cached
        lexer = _lexer(language)
        assert lexer is not None
        html = highlight(segment, lexer, _formatter(self._palette.style))
        assert isinstance(html, str)
        # Pygments ends the last line with a newline even when the segment had none.
        if not segment.endswith("\n"):
            html = html.removesuffix("\n")
        self._segment_cache[key] = html
        if len(self._segment_cache) > self.CACHE_SIZE:
            self._segment_cache.popitem(last=False)
        return html
