"""Streaming Markdown: where blocks end, the invariants of the module docstring, and safety.

The invariants, precisely:

1. lossless — the finished blocks followed by the tail are the text fed so far;
2. chunking independence — any cutting of a text into ``feed`` calls gives the same blocks, and
   the concatenation of every ``finished_html`` (through ``finish()``) is the same HTML;
3. that HTML is ``render_markdown(text)``, the renderer used for stored messages;
4. modulo block boundaries — for documents whose blocks are separated the way model output is
   (paragraphs, headings, lists, fences, tables, quotes, blank lines between), the result is
   byte-identical to markdown-it rendering the whole text at once.
"""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfdesk.core.markdown_render import (
    SEGMENT_HARD,
    MarkdownRenderer,
    RenderedBlock,
    RenderOptions,
    code_segments,
    warm_up,
)
from sfdesk.core.markdown_stream import (
    LIST_SPLIT_CHARS,
    BlockSplitter,
    MarkdownStream,
    render_markdown,
    split_blocks,
)

# ---------------------------------------------------------------------------------------------
# Where blocks end


def test_blank_lines_inside_a_fence_do_not_split() -> None:
    text = "Intro.\n\n```python\ndef f():\n\n\n    return 1\n```\n\nAfter.\n"
    assert split_blocks(text) == [
        "Intro.\n\n",
        "```python\ndef f():\n\n\n    return 1\n```\n",
        "\nAfter.\n",
    ]


def test_tilde_fences_and_longer_fences_need_their_own_closer() -> None:
    text = "~~~ js\na\n```\n\nb\n~~~\n\n````\n```\n\n````\nend\n"
    assert split_blocks(text) == [
        "~~~ js\na\n```\n\nb\n~~~\n",
        "\n````\n```\n\n````\n",
        "end\n",
    ]


def test_a_fence_is_finished_when_its_closing_line_arrives() -> None:
    splitter = BlockSplitter()
    assert splitter.feed("```py\nx = 1\n\n") == []
    assert splitter.feed("y = 2\n``") == []
    assert splitter.tail == "```py\nx = 1\n\ny = 2\n``"
    assert splitter.feed("`\n") == ["```py\nx = 1\n\ny = 2\n```\n"]
    assert splitter.tail == ""


def test_an_unclosed_fence_stays_open_until_finish() -> None:
    splitter = BlockSplitter()
    assert splitter.feed("```\na\n\n\nb\n\n") == []
    assert splitter.finish() == ["```\na\n\n\nb\n\n"]


def test_inline_triple_backticks_are_not_a_fence() -> None:
    assert split_blocks("Use ```x``` here.\n\nNext.\n") == ["Use ```x``` here.\n\n", "Next.\n"]


def test_indented_fence_marker_in_indented_code_is_not_a_fence() -> None:
    assert split_blocks("    ```\n    code\n\npara\n") == ["    ```\n    code\n\n", "para\n"]


def test_headings_are_single_line_blocks() -> None:
    assert split_blocks("# A\ntext\nmore\n## B\n- x\n#tag\n") == [
        "# A\n",
        "text\nmore\n",
        "## B\n",
        "- x\n#tag\n",
    ]


def test_a_heading_is_finished_as_soon_as_its_line_ends() -> None:
    splitter = BlockSplitter()
    assert splitter.feed("# Tit") == []
    assert splitter.feed("le\nNext") == ["# Title\n"]


def test_a_block_is_finished_only_when_the_next_one_starts() -> None:
    splitter = BlockSplitter()
    assert splitter.feed("one\n\n") == []
    assert splitter.feed("tw") == []  # the next line is not complete yet
    assert splitter.feed("o\n") == ["one\n\n"]
    assert splitter.finish() == ["two\n"]


def test_list_items_stay_together_across_blank_lines() -> None:
    text = "- a\n- b\n\n- c\n\n  more of c\n\n      code in c\n1. x\n\nAfter.\n"
    assert split_blocks(text) == [
        "- a\n- b\n\n- c\n\n  more of c\n\n      code in c\n1. x\n\n",
        "After.\n",
    ]


def test_a_fence_inside_a_list_item_keeps_its_blank_lines() -> None:
    text = "1. Install:\n\n   ```bash\n   pip install x\n\n   x --help\n   ```\n2. Run.\n\nDone.\n"
    assert split_blocks(text) == [text.removesuffix("Done.\n"), "Done.\n"]


def test_indented_code_stays_together_across_blank_lines() -> None:
    assert split_blocks("Para.\n\n    a\n\n    b\n\nEnd.\n") == [
        "Para.\n\n",
        "    a\n\n    b\n\n",
        "End.\n",
    ]


def test_a_long_list_is_cut_at_a_top_level_item_and_keeps_its_numbering() -> None:
    items = [f"{n}. item number {n} " + "x" * 60 + "\n" for n in range(1, 120)]
    blocks = split_blocks("".join(items))
    assert len(blocks) > 1
    assert "".join(blocks) == "".join(items)
    assert all(len(block) < LIST_SPLIT_CHARS + 200 for block in blocks)
    second = blocks[1]
    html = render_markdown(second)
    assert re.match(r'<ol start="\d+">', html)


def test_a_long_list_is_not_cut_where_the_cut_would_change_the_parse() -> None:
    # After a lazy paragraph line in column 0, "57. x" may be paragraph text: never cut there.
    head = "- " + "y" * (LIST_SPLIT_CHARS + 10) + "\nlazy line\n"
    text = head + "- next\n"
    assert split_blocks(text) == [text]


def test_chinese_text_splits_like_any_other() -> None:
    text = "# 标题\n第一段，包含**加粗**。\n\n第二段：\n- 项目一\n- 项目二\n"
    assert split_blocks(text) == [
        "# 标题\n",
        "第一段，包含**加粗**。\n\n",
        "第二段：\n- 项目一\n- 项目二\n",
    ]
    html = render_markdown(text)
    assert "<h1>标题</h1>" in html
    assert "<strong>加粗</strong>" in html
    assert "<li>项目二</li>" in html


def test_crlf_line_endings() -> None:
    text = "a\r\n\r\n```\r\nx\r\n\r\ny\r\n```\r\nb\r\n"
    assert split_blocks(text) == ["a\r\n\r\n", "```\r\nx\r\n\r\ny\r\n```\r\n", "b\r\n"]


# ---------------------------------------------------------------------------------------------
# The invariants, on arbitrary text

FRAGMENTS = [
    "\n",
    "\n\n",
    " ",
    "   ",
    "    ",
    "\t",
    "```",
    "```python\n",
    "~~~",
    "````",
    "- ",
    "* ",
    "1. ",
    "2) ",
    "# ",
    "## ",
    "> ",
    "| a | b |\n|---|---|\n",
    "|",
    "---",
    "a",
    "b c",
    "中文，段落。",
    "**",
    "_",
    "`",
    "[x](http://e.com)",
    "![i](http://e.com/i.png)",
    "[j](javascript:alert(1))",
    "<script>",
    "\\",
    "[r]: http://x\n",
    "[r]",
    "&amp;",
    "\r\n",
]

markdownish = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=5), max_size=60).map("".join)


@st.composite
def text_and_chunks(draw: st.DrawFn) -> tuple[str, list[str]]:
    text = draw(markdownish)
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=20)))
    bounds = [0, *cuts, len(text)]
    return text, [text[a:b] for a, b in itertools.pairwise(bounds)]


@settings(max_examples=300, deadline=None)
@given(text_and_chunks())
def test_blocks_are_lossless_and_independent_of_chunking(case: tuple[str, list[str]]) -> None:
    text, chunks = case
    splitter = BlockSplitter()
    blocks: list[str] = []
    fed = ""
    for chunk in chunks:
        blocks.extend(splitter.feed(chunk))
        fed += chunk
        assert "".join(blocks) + splitter.tail == fed
        assert splitter.tail_chars == len(splitter.tail)
    blocks.extend(splitter.finish())
    assert splitter.tail == ""
    assert "".join(blocks) == text
    assert blocks == split_blocks(text)


@settings(max_examples=200, deadline=None)
@given(text_and_chunks(), st.lists(st.booleans(), max_size=25))
def test_streamed_html_equals_render_markdown(
    case: tuple[str, list[str]], repaints: list[bool]
) -> None:
    text, chunks = case
    stream = MarkdownStream()
    html: list[str] = []
    for i, chunk in enumerate(chunks):
        stream.feed(chunk)
        if i < len(repaints) and repaints[i]:
            update = stream.update()
            html.extend(update.finished_html)
            # What the view shows now: what is finished, then the open tail.
            assert update.tail_html == stream.render_tail()
    final = stream.finish()
    assert final.tail_html == ""
    html.extend(final.finished_html)
    assert "".join(html) == render_markdown(text)
    assert stream.code_blocks() == code_sources_of(text)


# ---------------------------------------------------------------------------------------------
# Fidelity to a whole-document render ("modulo block boundaries")

words = st.sampled_from(["alpha", "beta", "中文", "`code`", "**bold**", "[l](https://e.com)"])
line = st.lists(words, min_size=1, max_size=5).map(" ".join)
paragraph = st.lists(line, min_size=1, max_size=3).map("\n".join)
heading = st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 6), line)
bullet_list = st.lists(line, min_size=1, max_size=4).map(
    lambda items: "\n".join(f"- {item}" for item in items)
)
ordered_list = st.lists(line, min_size=1, max_size=4).map(
    lambda items: "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1))
)
nested_list = st.builds(lambda a, b: f"- {a}\n  - {b}\n- {a}", line, line)
code_line = st.sampled_from(["x = 1", "", "def f():", "    return 2", "# not a heading", "- no"])
fence = st.builds(
    lambda mark, lang, body: f"{mark}{lang}\n" + "\n".join(body) + f"\n{mark}",
    st.sampled_from(["```", "~~~", "````"]),
    st.sampled_from(["", "python", "js", "nosuchlanguage"]),
    st.lists(code_line, max_size=6),
)
fence_in_list = st.builds(
    lambda a, body: f"- {a}\n\n  ```python\n" + "".join(f"  {b}\n" for b in body) + "  ```",
    line,
    st.lists(code_line, max_size=4),
)
table = st.builds(
    lambda head, rows: f"| {head} | h |\n|---|:-:|\n" + "\n".join(f"| {r} | 1 |" for r in rows),
    line,
    st.lists(line, max_size=3),
)
quote = st.lists(line, min_size=1, max_size=3).map(lambda ls: "\n".join(f"> {x}" for x in ls))
rule = st.just("***")
block = st.one_of(
    paragraph,
    heading,
    bullet_list,
    ordered_list,
    nested_list,
    fence,
    fence_in_list,
    table,
    quote,
    rule,
)


@st.composite
def document(draw: st.DrawFn) -> str:
    parts = draw(st.lists(block, min_size=1, max_size=8))
    out = ""
    for part in parts:
        if out:
            # A heading needs no blank line after it; everything else is separated by one or more.
            tight = out.lstrip("\n").split("\n")[-1].startswith("#") and draw(st.booleans())
            out += "\n" if tight else draw(st.sampled_from(["\n\n", "\n\n\n"]))
        out += part
    return out + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=300, deadline=None)
@given(document())
def test_blockwise_rendering_equals_a_whole_document_render(doc: str) -> None:
    assert render_markdown(doc) == MarkdownRenderer().render(doc).html


# ---------------------------------------------------------------------------------------------
# Safety: nothing is fetched, nothing runs

ALLOWED_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "em",
    "strong",
    "s",
    "br",
    "hr",
    "span",
}
ALLOWED_ATTRS = {
    "href",
    "name",
    "style",
    "border",
    "cellspacing",
    "cellpadding",
    "bgcolor",
    "width",
    "align",
    "start",
}


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((name, value or "") for name, value in attrs)


def assert_safe(html: str, *, code_blocks: int | None = None) -> None:
    audit = _Audit()
    audit.feed(html)
    audit.close()
    assert set(audit.tags) <= ALLOWED_TAGS, html
    assert {name for name, _ in audit.attrs} <= ALLOWED_ATTRS, html
    lowered = html.lower()
    for tag in ("<img", "<script", "<iframe", "<object", "<embed", "<link", "<style", "<svg"):
        assert tag not in lowered, html
    hrefs = [value for name, value in audit.attrs if name == "href"]
    for href in hrefs:
        assert re.match(r"(https?|mailto|copy):", href, re.IGNORECASE), href
    for name, value in audit.attrs:
        if name == "style":
            assert "url(" not in value.lower() and "expression" not in value.lower()
    if code_blocks is not None:
        # copy: anchors are ours alone, one per code block.
        assert sum(href.startswith("copy:") for href in hrefs) == code_blocks


HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<iframe src="http://evil.example/"></iframe>',
    "![](http://x/y.png)",
    "![alt *text*](https://x/y.png 'title')",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](&#106;avascript:alert(1))",
    "[a](java\tscript:alert(1))",
    "<javascript:alert(1)>",
    "[a](data:text/html;base64,PHNjcmlwdD4=)",
    "[a](file:///etc/passwd)",
    "[a](//evil.example/x)",
    "[a](relative/path)",
    "[copy me](copy:0)",
    "[![img](http://x/i.png)](https://ok.example/)",
    '<div onclick="alert(1)">x</div>',
    "<style>body{background:url(http://x)}</style>",
    '[t](https://ok.example/ "<script>")',
    "```html\n<script>alert(1)</script>\n```",
    '```"><script>alert(1)</script>\ncode\n```',
    "| <img src=x> | [a](javascript:x) |\n|---|---|\n| ![](http://x) | b |",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_renders_inert(source: str) -> None:
    html = render_markdown(source)
    assert_safe(html, code_blocks=len(MarkdownRenderer.code_sources(source)))


def test_raw_html_is_shown_as_text() -> None:
    html = render_markdown("<script>alert(1)</script> and <b>bold</b>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_images_become_links_or_text_never_img() -> None:
    assert render_markdown("![a cat](https://x/cat.png)") == (
        '<p><a href="https://x/cat.png">[image: a cat]</a></p>\n'
    )
    assert render_markdown("![](data:image/png;base64,AAAA)") == "<p>[image]</p>\n"
    html = render_markdown(
        "![猫](http://x/cat.png)", options=RenderOptions(image_label="图片", copy_label="复制")
    )
    assert html == '<p><a href="http://x/cat.png">[图片: 猫]</a></p>\n'


def test_unsafe_links_keep_only_their_text() -> None:
    assert render_markdown("[click](javascript:alert(1))") == "<p>click</p>\n"
    assert render_markdown("[home](https://e.com/?a=1&b=2)") == (
        '<p><a href="https://e.com/?a=1&amp;b=2">home</a></p>\n'
    )
    assert render_markdown("<me@example.com>") == (
        '<p><a href="mailto:me@example.com">me@example.com</a></p>\n'
    )


@settings(max_examples=200, deadline=None)
@given(markdownish)
def test_any_text_renders_to_the_allowed_subset(text: str) -> None:
    assert_safe(render_markdown(text), code_blocks=len(code_sources_of(text)))


def code_sources_of(text: str) -> list[str]:
    return [source for b in split_blocks(text) for source in MarkdownRenderer.code_sources(b)]


# ---------------------------------------------------------------------------------------------
# Code blocks: highlighting, copy anchors, sources


def test_code_is_highlighted_with_inline_styles() -> None:
    light = render_markdown("```python\ndef f(x):\n    return x  # done\n```")
    dark = render_markdown("```python\ndef f(x):\n    return x  # done\n```", dark=True)
    assert '<span style="color:' in light
    assert 'class="' not in light
    assert light != dark
    assert "background-color:#0d1117" in dark
    assert '<a name="code-0" href="copy:0">Copy</a>' in light
    # Shaded blocks, not a table: tables are frames, which make long documents slow to edit.
    assert "<table" not in light and light.count("background-color:") == 2


def test_unknown_or_missing_language_is_escaped_without_highlighting() -> None:
    for info in ("", "no-such-language", 'x"><b>'):
        html = render_markdown(f"```{info}\nif a < b && c > d: pass\n```")
        assert "if a &lt; b &amp;&amp; c &gt; d: pass</pre>" in html
        assert "<span" not in html
        assert_safe(html, code_blocks=1)


def test_copy_anchors_count_code_blocks_across_blocks_and_respect_a_scope() -> None:
    text = "```\na\n```\n\ntext\n\n    indented\n\n- item\n\n  ```sh\n  echo hi\n  ```\n"
    html = render_markdown(text, options=RenderOptions(scope="m7", copy_label="复制"))
    assert re.findall(r'href="(copy:[^"]*)"', html) == ["copy:m7/0", "copy:m7/1", "copy:m7/2"]
    assert 'name="code-m7-2"' in html
    assert ">复制</a>" in html
    stream = MarkdownStream()
    stream.feed(text)
    stream.finish()
    assert stream.code_blocks() == ["a\n", "indented\n", "echo hi\n"]


def test_scope_is_restricted_to_safe_characters() -> None:
    with pytest.raises(ValueError):
        RenderOptions(scope='x"><script>')


def test_code_blocks_include_the_one_still_streaming() -> None:
    stream = MarkdownStream()
    stream.feed("```py\nfirst\n```\n\nThen:\n\n```js\nconsole.log(1)\n")
    assert stream.code_blocks() == ["first\n", "console.log(1)\n"]
    update = stream.update()
    assert 'href="copy:1"' in update.tail_html
    assert 'href="copy:0"' in "".join(update.finished_html)


def test_code_segments_are_lossless_and_stable_for_a_growing_prefix() -> None:
    code = "".join(f"def f{i}():\n    return {i}\n\n" for i in range(400))
    segments = code_segments(code)
    assert "".join(segments) == code
    assert len(segments) > 1
    assert max(len(s) for s in segments) <= SEGMENT_HARD + 100
    # A longer text (cut at a line end) starts with the same finished segments.
    prefix = code[: len(code) // 2]
    prefix = prefix[: prefix.rfind("\n") + 1]
    assert code_segments(prefix)[:-1] == segments[: len(code_segments(prefix)) - 1]


@given(st.text(alphabet="ab \n\t\r\f\u2028", max_size=300))
def test_code_segments_join_back(code: str) -> None:
    assert "".join(code_segments(code)) == code


def test_a_long_streaming_code_block_renders_like_the_finished_one() -> None:
    body = "".join(f"def f{i}(x):\n    return x * {i}\n\n" for i in range(300))
    text = f"```python\n{body}```\n"
    stream = MarkdownStream()
    for start in range(0, len(text), 37):
        stream.feed(text[start : start + 37])
        tail = stream.render_tail()
        assert "<span" in tail or start < 40 or not tail
    final = stream.finish()
    assert "".join(final.finished_html) == render_markdown(text)


# ---------------------------------------------------------------------------------------------
# The stream object


def test_update_reports_whether_the_tail_changed() -> None:
    stream = MarkdownStream()
    stream.feed("Hello")
    first = stream.update()
    assert first.finished_html == []
    assert first.tail_html == "<p>Hello</p>\n"
    assert first.tail_changed
    again = stream.update()
    assert not again.tail_changed
    assert again.tail_html == first.tail_html
    stream.feed(" world\n\nNext\n")
    third = stream.update()
    assert third.finished_html == ["<p>Hello world</p>\n"]
    assert third.tail_html == "<p>Next</p>\n"
    final = stream.finish()
    assert final.finished_html == ["<p>Next</p>\n"]
    assert final.tail_html == ""
    assert final.tail_changed
    assert stream.finished
    with pytest.raises(RuntimeError):
        stream.feed("more")
    assert stream.finish().finished_html == []


def test_no_render_ever_sees_more_than_one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cost model: finished text is rendered once and a repaint renders only the open block,
    so no render is given more than the largest block however long the answer gets, and the
    total is the text once plus one open block per repaint."""
    seen: list[str] = []
    original = MarkdownRenderer.render

    def spy(self: MarkdownRenderer, source: str, *, code_base: int = 0) -> RenderedBlock:
        seen.append(source)
        return original(self, source, code_base=code_base)

    monkeypatch.setattr(MarkdownRenderer, "render", spy)
    section = (
        "Some words here, 一些中文。 " * 8
        + "\n\n- item\n- item\n\n```python\nx = 1\n\ny = 2\n```\n\n## Heading\n"
    )
    text = section * 80
    stream = MarkdownStream()
    updates = 0
    for i, start in enumerate(range(0, len(text), 4)):
        stream.feed(text[start : start + 4])
        if i % 16 == 0:
            stream.update()
            updates += 1
    stream.finish()
    largest = max(len(block) for block in split_blocks(text))
    assert largest < len(section)
    assert max(len(source) for source in seen) <= largest
    assert sum(len(source) for source in seen) <= len(text) + updates * largest


def test_partial_and_unknown_languages_are_cheap_and_unhighlighted() -> None:
    warm_up(["python"])
    stream = MarkdownStream()
    stream.feed("```ja")  # "java" still arriving: no lookup, no highlighting yet
    assert "<span" not in stream.render_tail()
    stream.feed("va\nclass A {}\n")
    assert "<span" in stream.render_tail()
    assert "<span" not in render_markdown("```mermaid\ngraph TD; A-->B\n```")


def test_render_markdown_options_and_dark_flag() -> None:
    assert render_markdown("x", dark=True) == render_markdown("x")
    assert "background-color" in render_markdown("```\nx\n```", dark=True)
