"""Hostile model output in the real Chat panel is shown as text, links nowhere unsafe, and fetches
nothing (design.md §3: rendered model output never fetches remote resources and never runs
anything).

The output carries raw HTML (script, img, iframe, style, link, table, an ``<a href="data:…">``),
Markdown links to ``javascript:``, ``file:``, ``data:`` and ``vbscript:`` (also disguised by case,
entities and reference definitions), Markdown images pointing at a loopback HTTP server this test
runs and at a real local PNG, and zero-width and bidi control characters. It reaches the view two
ways: a stored, finished conversation opened in the panel, and a reply streamed end to end from the
sandbox over real SSE in small pieces (so tags are cut across chunks and the open tail is
re-rendered many times). The loopback server records every request; a sentinel request made
after rendering proves it was listening, and must be the only one it saw.
"""

from __future__ import annotations

import http.server
import threading
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtGui import QTextDocument, QTextTable
from pytestqt.qtbot import QtBot

from sfdesk.sandbox import SandboxServer
from sfdesk.store import ConversationStore
from sfdesk.ui.chat.panel import ChatPanel

THINKING = "deepseek-ai/DeepSeek-R1"  # always reasons first: the live reasoning zone is used too
SENTINEL = "/sentinel-after-rendering"
#: Schemes the view itself puts in hrefs, plus the web links it may open in the browser on a click.
ALLOWED_SCHEMES = {"http", "https", "mailto", "copy", "msg", "retry", "reasoning", "earlier"}
FORBIDDEN_SCHEMES = ("javascript", "vbscript", "file", "data")


class _Recorder(http.server.BaseHTTPRequestHandler):
    server: _Tracker

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        body = self.server.png
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Tracker(http.server.HTTPServer):
    """One request at a time, in arrival order: everything before the sentinel is recorded first."""

    def __init__(self, png: bytes) -> None:
        super().__init__(("127.0.0.1", 0), _Recorder)
        self.paths: list[str] = []
        self.png = png

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def tracker(tmp_path: Path) -> Iterator[_Tracker]:
    png = tmp_path / "pixel.png"
    Image.new("RGB", (8, 8), (255, 0, 0)).save(png)
    server = _Tracker(png.read_bytes())
    thread = threading.Thread(target=server.serve_forever, name="tracker", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def local_png(tmp_path: Path) -> Path:
    """A real image on disk that a careless renderer would happily load from a file: URL."""
    path = tmp_path / "local secret.png"
    Image.new("RGB", (32, 32), (0, 0, 255)).save(path)
    return path


def hostile_answer(base: str, local: Path) -> str:
    local_url = local.as_uri()
    return "\n".join(
        [
            "# Report <script>alert('heading')</script>",
            "",
            "<script>document.title = 'pwned'</script>",
            "",
            f'<img src="{base}/raw-img.png" onerror="alert(1)">',
            "",
            f'<iframe src="{base}/frame.html"></iframe>',
            "",
            "Links: [click](javascript:alert(1)) [x](file:///etc/passwd)"
            " [shout](JaVaScRiPt:alert(2)) [ent](&#106;avascript:alert(3))"
            " [vb](vbscript:msgbox(1))"
            " [d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"
            " <javascript:alert(4)> <file:///etc/shadow> [ref][evil]",
            "",
            '<a href="data:text/html,<script>alert(5)</script>">data anchor</a>',
            "",
            f'<table><tr><td style="background:url({base}/td-bg.png)">cell</td></tr></table>',
            "",
            f"<style>body {{ background: url({base}/style-bg.png) }}</style>",
            f'<link rel="stylesheet" href="{base}/sheet.css">',
            "",
            f"![tracking pixel]({base}/md-img.png) and ![local]({local_url})",
            "",
            f'<img src="{local_url}">',
            "",
            "Zero\u200bwidth\u200d joiner, \u2066isolated\u2069 and \u202eevil.exe\u202c done.",
            "",
            "```html",
            f'<img src="{base}/in-code.png"><script>alert(6)</script>',
            "```",
            "",
            "[evil]: javascript:alert(7)",
        ]
    )


#: What must be visible as text, exactly as the model wrote it.
def literal_pieces(base: str, local: Path) -> list[str]:
    return [
        "<script>document.title = 'pwned'</script>",
        f'<img src="{base}/raw-img.png" onerror="alert(1)">',
        f'<iframe src="{base}/frame.html"></iframe>',
        '<a href="data:text/html,<script>alert(5)</script>">data anchor</a>',
        f'<td style="background:url({base}/td-bg.png)">cell</td>',
        f"<style>body {{ background: url({base}/style-bg.png) }}</style>",
        f'<link rel="stylesheet" href="{base}/sheet.css">',
        f'<img src="{local.as_uri()}">',
        f'<img src="{base}/in-code.png"><script>alert(6)</script>',
        "Report <script>alert('heading')</script>",
    ]


HOSTILE_REASONING = 'Thinking <b>bold</b> <img src="{base}/reasoning.png"> [r](javascript:x)'


@dataclass
class Findings:
    hrefs: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    tables: int = 0
    text: str = ""


def inspect(document: QTextDocument) -> Findings:
    """Every anchor href and image name in the document, and its tables and plain text."""
    found = Findings(text=document.toPlainText())
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.isValid():
                char_format = fragment.charFormat()
                if char_format.isAnchor() and char_format.anchorHref():
                    found.hrefs.append(char_format.anchorHref())
                if char_format.isImageFormat():
                    found.images.append(char_format.toImageFormat().name())
            iterator += 1
        block = block.next()
    frames = list(document.rootFrame().childFrames())
    while frames:
        frame = frames.pop()
        found.tables += isinstance(frame, QTextTable)
        frames.extend(frame.childFrames())
    return found


def unsafe_parts(found: Findings) -> list[str]:
    """Everything in the document that could run, fetch or open something it should not."""
    problems: list[str] = []
    for href in found.hrefs:
        # What a browser would see: scheme case and leading junk do not disguise it.
        squashed = "".join(ch for ch in href if ch.isprintable() and not ch.isspace()).lower()
        scheme = squashed.partition(":")[0]
        if squashed.startswith(FORBIDDEN_SCHEMES) or scheme not in ALLOWED_SCHEMES:
            problems.append(f"anchor {href!r}")
    for name in found.images:
        # Only resources the view registered itself (attachment thumbnails) may be images.
        if not name.startswith("attachment:"):
            problems.append(f"image {name!r}")
    if found.tables:
        problems.append(f"{found.tables} table(s) from raw HTML")
    return problems


def assert_nothing_fetched(qtbot: QtBot, panel: ChatPanel, tracker: _Tracker) -> None:
    """Lay out and paint the whole document, keep Qt's loop turning until a sentinel request has
    reached the tracker, then check it was the only request."""
    view = panel.view
    view.document().setTextWidth(800)
    view.document().size()  # lays out every block: images would be requested now
    view.grab()  # and paints the visible part
    sentinel = f"{SENTINEL}/{len(tracker.paths)}"
    thread = threading.Thread(
        target=lambda: urllib.request.urlopen(tracker.url + sentinel, timeout=10).read(),
        daemon=True,
    )
    thread.start()
    qtbot.waitUntil(lambda: sentinel in tracker.paths, timeout=10_000)
    thread.join(5)
    fetched = [path for path in tracker.paths if not path.startswith(SENTINEL)]
    assert fetched == [], f"rendering fetched {fetched}"


def assert_shown_as_text(found: Findings, base: str, local: Path) -> None:
    missing = [piece for piece in literal_pieces(base, local) if piece not in found.text]
    assert not missing, f"not shown literally: {missing}"
    # Unsafe links keep their text but lose their target.
    for label in ("click", "shout", "ent", "vb", "data anchor"):
        assert label in found.text
    # The bidi and zero-width characters hide nothing: the words around them are all there.
    for word in ("Zero", "width", "joiner", "isolated", "evil.exe", "done."):
        assert word in found.text


def test_a_stored_hostile_answer_is_shown_as_text_and_fetches_nothing(
    qtbot: QtBot,
    make_panel: Callable[[], ChatPanel],
    store: ConversationStore,
    tracker: _Tracker,
    local_png: Path,
) -> None:
    answer = hostile_answer(tracker.url, local_png)
    conversation = store.create_conversation("hostile <b>title</b>", model=THINKING)
    store.add_message(
        conversation.id,
        "user",
        f'<img src="{tracker.url}/user.png"> [u](javascript:u) <script>u()</script>',
        attachments=[
            {"name": f'<img src="{tracker.url}/att-name.png">', "url": f"{tracker.url}/att.png"}
        ],
    )
    reply = store.add_message(
        conversation.id,
        "assistant",
        answer,
        reasoning=HOSTILE_REASONING.format(base=tracker.url),
        model=THINKING,
    )
    store.add_message(conversation.id, "user", "again")
    store.add_message(
        conversation.id,
        "assistant",
        status="error",
        model=THINKING,
        error={
            "type": "ServerError",
            "reason": "server",
            "message": f'<img src="{tracker.url}/error.png"><a href="javascript:x">e</a>',
            "status": 500,
            "code": 50505,
            "trace_id": "<script>t</script>",
        },
    )
    panel = make_panel()
    panel.show()
    panel.controller.open_conversation(conversation.id)
    panel.view.sig_reasoning_toggled.emit(reply.id)  # the reasoning, expanded, is text too

    found = inspect(panel.view.document())
    assert unsafe_parts(found) == []
    assert_shown_as_text(found, tracker.url, local_png)
    assert HOSTILE_REASONING.format(base=tracker.url) in found.text
    assert_nothing_fetched(qtbot, panel, tracker)


def test_a_streamed_hostile_answer_is_shown_as_text_and_fetches_nothing_at_any_point(
    qtbot: QtBot,
    make_panel: Callable[[], ChatPanel],
    sandbox: SandboxServer,
    tracker: _Tracker,
    local_png: Path,
) -> None:
    answer = hostile_answer(tracker.url, local_png)
    reasoning = HOSTILE_REASONING.format(base=tracker.url)
    # Everything from here on is real: SSE over loopback, the client, the controller, the
    # store, the view.
    sandbox.queue_reply(answer, reasoning)
    # Slow enough that the view repaints between a few pieces: many different open tails.
    sandbox.configure(tokens_per_second=400)

    panel = make_panel()
    panel.show()
    during: list[str] = []
    deltas = 0

    def check_now(*_args: object) -> None:
        nonlocal deltas
        deltas += 1
        during.extend(unsafe_parts(inspect(panel.view.document())))

    panel.controller.sig_reply_delta.connect(check_now)
    panel.model.setCurrentText(THINKING)
    panel.input.setPlainText("Write me a report")
    with qtbot.waitSignal(panel.controller.sig_reply_ended, timeout=30_000) as ended:
        panel.send_button.click()
    message = ended.args[0]
    assert message.status == "complete" and message.content == answer
    assert deltas > 100 and during == []

    found = inspect(panel.view.document())
    assert unsafe_parts(found) == []
    assert_shown_as_text(found, tracker.url, local_png)
    assert_nothing_fetched(qtbot, panel, tracker)

    # The same answer reopened from the store, with its reasoning expanded.
    panel.view.sig_reasoning_toggled.emit(message.id)
    found = inspect(panel.view.document())
    assert unsafe_parts(found) == []
    assert_shown_as_text(found, tracker.url, local_png)
    assert reasoning in found.text
    assert_nothing_fetched(qtbot, panel, tracker)
