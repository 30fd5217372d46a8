"""The compare workbench driven by its object names against the sandbox: three columns streaming
at once with one failing, variables over three rows, the results grid and its exports, presets
with versions and a diff, blind mode with a vote, a reveal and the tally, and its place in the
Chat tab."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel, QPlainTextEdit, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from sfdesk.sandbox import SandboxServer
from sfdesk.ui.compare.controller import CellResult
from sfdesk.ui.compare.panel import CSV, MARKDOWN, ComparePanel
from sfdesk.ui.tasks import Controller

QWEN = "Qwen/Qwen3-8B"
DEEPSEEK = "deepseek-ai/DeepSeek-V3.2"
GLM = "Qwen/Qwen2.5-7B-Instruct"
MISSING = "no-such/model"


@pytest.fixture
def make_panel(make_sandbox_panel: Callable[..., Any]) -> Callable[..., ComparePanel]:
    return functools.partial(make_sandbox_panel, ComparePanel, (1400, 900))


def w(panel: Any, kind: type, name: str) -> Any:
    widget = panel.findChild(kind, name)
    assert widget is not None, name
    return widget


def chat_bodies(sandbox: SandboxServer) -> list[dict[str, Any]]:
    return [
        e["body"] for e in sandbox.requests() if e["path"] == "/v1/chat/completions" and e["body"]
    ]


def set_columns(panel: ComparePanel, models: list[str]) -> None:
    while len(panel.columns) < len(models):
        panel.add_column()
    for column, model in zip(panel.columns, models, strict=True):
        column.model.setCurrentText(model)


def run(qtbot: QtBot, panel: ComparePanel, timeout: int = 30_000) -> list[CellResult]:
    with qtbot.waitSignal(panel.controller.sig_run_finished, timeout=timeout) as done:
        w(panel, QPushButton, "compare.run").click()
    results: list[CellResult] = done.args[0]
    return results


def test_three_columns_stream_at_once_and_a_failing_one_keeps_its_error(
    qtbot: QtBot, make_panel: Callable[..., ComparePanel], sandbox: SandboxServer
) -> None:
    sandbox.configure(tokens_per_second=300)  # slow enough to see the columns interleave
    panel = make_panel()
    set_columns(panel, [QWEN, DEEPSEEK, MISSING])
    panel.columns[0].system.setPlainText("Answer in one sentence.")
    panel.columns[1].params.temperature.setValue(0.2)
    w(panel, QPlainTextEdit, "compare.input").setPlainText("What is a vector database?")
    order: list[int] = []
    panel.controller.sig_cell_delta.connect(lambda _row, column, *_: order.append(column))
    results = run(qtbot, panel)

    ok = {r.column: r for r in results if r.ok}
    assert sorted(ok) == [0, 1]
    # Concurrent: the second column's text arrived while the first was still streaming.
    first_done = max(i for i, column in enumerate(order) if column == 0)
    assert 1 in order[:first_done]
    for result in ok.values():
        assert result.text and result.finish_reason == "stop"
        assert result.ttft_seconds is not None and result.ttft_seconds > 0
        assert result.completion_tokens and result.tokens_per_second
    failed = next(r for r in results if not r.ok)
    assert failed.column == 2 and getattr(failed.error, "code", None) == 20012
    stats = [w(c, QLabel, "compare.stats").text() for c in panel.columns]
    assert "TTFT" in stats[0] and "tok/s" in stats[1] and "stop" in stats[0]
    assert stats[2].startswith("⚠ Unknown model")
    # What each column sent: its own system prompt and parameters, the shared input.
    bodies = {b["model"]: b for b in chat_bodies(sandbox)}
    assert bodies[QWEN]["messages"][0] == {"role": "system", "content": "Answer in one sentence."}
    assert bodies[DEEPSEEK]["messages"] == [
        {"role": "user", "content": "What is a vector database?"}
    ]
    assert bodies[DEEPSEEK]["temperature"] == 0.2 and "temperature" not in bodies[QWEN]
    # The answer shown is the whole streamed text, rendered (no Markdown marks left).
    shown = panel.columns[0].answer.toPlainText()
    words = re.findall(r"[A-Za-z]{5,}", ok[0].text)
    assert words[0] in shown and words[-1] in shown and "###" not in shown
    assert "1 failed (Unknown model)" in w(panel, QLabel, "compare.status").text()


def test_variables_run_every_row_and_the_grid_holds_them_all(
    qtbot: QtBot, make_panel: Callable[..., ComparePanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    set_columns(panel, [QWEN, GLM])
    panel.columns[1].system.setPlainText("Reply in {{lang}}.")
    w(panel, QPlainTextEdit, "compare.input").setPlainText("Describe {{thing}} briefly.")
    status = w(panel, QLabel, "compare.status")
    table = w(panel, QTableWidget, "compare.variables")
    assert [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())] == [
        "thing",
        "lang",
    ]
    # No rows yet: explained, nothing sent.
    assert panel.run() is None and "add at least one row" in status.text()
    assert not chat_bodies(sandbox)
    rows = [
        {"thing": "a river", "lang": "English"},
        {"thing": "长城", "lang": "中文"},
        {"thing": "a volcano", "lang": "French"},
    ]
    panel.set_rows(rows)
    results = run(qtbot, panel)
    assert len(results) == 6 and all(r.ok for r in results)
    sent = [(b["model"], b["messages"]) for b in chat_bodies(sandbox)]
    for row in rows:
        user = {"role": "user", "content": f"Describe {row['thing']} briefly."}
        assert (QWEN, [user]) in sent
        system = {"role": "system", "content": f"Reply in {row['lang']}."}
        assert (GLM, [system, user]) in sent
    grid = w(panel, QTableWidget, "compare.grid")
    assert (grid.rowCount(), grid.columnCount()) == (3, 2)
    assert all(grid.item(r, c) and grid.item(r, c).text() for r in range(3) for c in range(2))
    assert "长城" in grid.verticalHeaderItem(1).text()
    # The columns followed the run to its last row; choosing row 1 shows row 1's answers.
    assert panel.row_choice.currentIndex() == 2
    panel.show_row(0)
    first = panel.results[(0, 1)]
    words = re.findall(r"[A-Za-z]{5,}", first.text)
    assert words[-1] in panel.columns[1].answer.toPlainText()
    assert panel.results[(2, 1)].text != first.text


def test_exports_hold_every_cell(
    qtbot: QtBot,
    make_panel: Callable[..., ComparePanel],
    sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    panel = make_panel()
    set_columns(panel, [QWEN, MISSING])
    panel.columns[0].variant.setText("terse")
    w(panel, QPlainTextEdit, "compare.input").setPlainText("Name a {{colour}} fruit.")
    panel.set_rows([{"colour": "red"}, {"colour": "黄色"}])
    run(qtbot, panel)
    markdown = panel.export_data(MARKDOWN).decode("utf-8")
    assert markdown.count(f"### {QWEN} · terse") == 2 and markdown.count(f"### {MISSING}") == 2
    assert "colour=黄色" in markdown and "Unknown model" in markdown
    answer = panel.results[(0, 0)].text
    assert answer.split("\n")[0] in markdown
    data = panel.export_data(CSV)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese right
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(lines) == 1 + 4
    with qtbot.waitSignal(panel.controller.sig_export_written):
        panel.export_to(CSV, tmp_path / "compare.csv")
    assert (tmp_path / "compare.csv").read_bytes() == data


def test_blind_mode_hides_the_columns_until_the_vote_is_revealed(
    qtbot: QtBot, make_panel: Callable[..., ComparePanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    set_columns(panel, [QWEN, DEEPSEEK])
    w(panel, QPlainTextEdit, "compare.input").setPlainText("Tell me a joke.")
    w(panel, QCheckBox, "compare.blind").setChecked(True)
    area = panel.columns_area
    titles = [w(area.widget(i), QLabel, "compare.column_title").text() for i in range(2)]
    assert titles == ["Answer A", "Answer B"]  # laid out in letter order, whatever the set-up
    assert not any(c.setup.isVisibleTo(panel) for c in panel.columns)
    run(qtbot, panel)
    grid = w(panel, QTableWidget, "compare.grid")
    headers = sorted(grid.horizontalHeaderItem(i).text() for i in range(2))
    assert headers == ["Answer A", "Answer B"]  # no model names while blind
    reveal = w(panel, QPushButton, "compare.reveal")
    assert reveal.isEnabled()
    # The audience votes for the second column (whatever its letter).
    w(panel.columns[1], QPushButton, "compare.vote").click()
    assert w(panel.columns[1], QPushButton, "compare.vote").text() == "✓ Voted"
    reveal.click()
    status = w(panel, QLabel, "compare.status").text()
    assert status.startswith("Revealed:") and QWEN in status and DEEPSEEK in status
    assert all(c.setup.isVisibleTo(panel) for c in panel.columns)
    assert [area.widget(i) for i in range(2)] == panel.columns  # back in set-up order
    assert w(panel, QLabel, "compare.tally").text() == (
        f"Votes (1 round(s)): {DEEPSEEK} 1, {QWEN} 0"
    )
    # A second round: blind again, vote the first column this time.
    w(panel, QCheckBox, "compare.blind").setChecked(True)
    run(qtbot, panel)
    w(panel.columns[0], QPushButton, "compare.vote").click()
    reveal.click()
    assert w(panel, QLabel, "compare.tally").text() == (
        f"Votes (2 round(s)): {QWEN} 1, {DEEPSEEK} 1"
    )


def test_the_chat_tab_holds_the_workbench_built_on_first_open(
    make_ctx: Callable[..., Any], store: Any, sandbox: SandboxServer, run_async: Any
) -> None:
    from sfdesk.ui.chat.panel import ChatPanel

    ctx = make_ctx(base_url=sandbox.base_url, api_key="sk-sandbox", sandbox=True)
    chat = ChatPanel(ctx, store)
    try:
        assert chat.modes.tabText(1) == "Compare" and not chat.compare_page.built
        panel = chat.compare_page.panel()
        assert isinstance(panel, ComparePanel) and len(panel.columns) == 2
    finally:
        for controller in chat.findChildren(Controller):
            run_async(controller.shutdown())
        chat.deleteLater()


def test_presets_keep_versions_show_a_diff_and_load_into_a_column(
    qtbot: QtBot, make_panel: Callable[..., ComparePanel], run_async: Any
) -> None:
    from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget

    panel = make_panel()
    set_columns(panel, [QWEN, DEEPSEEK])
    first = panel.columns[0]
    first.system.setPlainText("You are terse.\nAnswer in one line.")
    first.params.temperature.setValue(0.3)
    w(panel, QPlainTextEdit, "compare.input").setPlainText("Explain {{topic}}.")
    dialog = panel.open_presets()
    qtbot.waitUntil(dialog.refresh().done)
    w(dialog, QComboBox, "compare.preset_column").setCurrentIndex(0)
    w(dialog, QLineEdit, "compare.preset_name").setText("terse 简洁")
    v1 = run_async(dialog.save())
    assert v1 is not None and v1.number == 1
    assert v1.params["model"] == QWEN and v1.params["temperature"] == 0.3
    # Saving the same set-up again adds no version; a change does.
    assert run_async(dialog.save()).number == 1
    first.system.setPlainText("You are terse.\nAnswer in two lines at most.")
    w(dialog, QLineEdit, "compare.preset_note").setText("two lines")
    v2 = run_async(dialog.save())
    assert v2.number == 2 and v2.note == "two lines"
    versions = w(dialog, QListWidget, "compare.preset_versions")
    qtbot.waitUntil(lambda: versions.count() == 2)
    # Two versions chosen: the diff between them.
    versions.item(0).setSelected(True)
    versions.item(1).setSelected(True)
    view = w(dialog, QPlainTextEdit, "compare.preset_view")
    qtbot.waitUntil(lambda: "+Answer in two lines at most." in view.toPlainText())
    text = view.toPlainText()
    assert "-Answer in one line." in text and "+Answer in two lines at most." in text
    assert "terse 简洁 v1" in text and "terse 简洁 v2" in text
    # Version 1 loaded into the second column: its model, prompt and parameters.
    versions.clearSelection()
    versions.item(0).setSelected(True)
    w(dialog, QComboBox, "compare.preset_column").setCurrentIndex(1)
    assert run_async(dialog.load())
    second = panel.columns[1].spec()
    assert second.model == QWEN and second.system_prompt == "You are terse.\nAnswer in one line."
    assert second.params.get("temperature") == 0.3
    # Kept across a restart of the workbench (a new store on the same file).
    dialog.close()
    run_async(dialog.worker.shutdown())
    run_async(panel.controller.shutdown())
    again = make_panel()
    names = run_async(again.controller.call_presets("presets"))
    assert [(p.name, p.latest_version) for p in names] == [("terse 简洁", 2)]


def test_streamed_text_is_drawn_in_batches_not_per_token(qtbot: QtBot) -> None:
    from sfdesk.ui.compare.column import CompareColumn

    column = CompareColumn(0)
    qtbot.addWidget(column)
    inserts: list[int] = []
    column.answer.document().contentsChange.connect(lambda _pos, _rem, added: inserts.append(added))
    for piece in ["Hello", ", ", "world", "!"] * 50:
        column.append_text(piece)
    assert column.answer.toPlainText() == ""  # nothing drawn per token
    qtbot.waitUntil(lambda: column.answer.toPlainText() == "Hello, world!" * 50)
    assert len(inserts) == 1 and column.stats.text() == "Streaming…"
    # A finished answer replaces what streamed, and drops text still waiting.
    column.append_text("late")
    column.show_result(CellResult(0, 0, "**done**", finish_reason="stop"))
    assert not column._flush.isActive()  # the dropped text cannot come back
    assert column.answer.toPlainText().strip() == "done"
