"""The Rerank panel driven by its object names against the sandbox: a three-model run with the
cosine baseline equals what the client returns and a numpy reference, models run concurrently and
fail alone, parameters are shown and sent per model, bad input sends nothing, long documents are
explained, cancel, highlight, agreement, exports, view code, examples, import, and the run history
across a restart."""

from __future__ import annotations

import csv
import functools
import io
import json
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sfdesk.api import SiliconFlowClient
from sfdesk.core.rank_agreement import ranking_tau, top_k_overlap
from sfdesk.core.rerank_sets import example_set
from sfdesk.sandbox import SANDBOX_API_KEY, SandboxServer
from sfdesk.ui.context import AppContext
from sfdesk.ui.main_window import MainWindow
from sfdesk.ui.rerank import export as exports
from sfdesk.ui.rerank import models as models_module
from sfdesk.ui.rerank.code import RerankCodeDialog
from sfdesk.ui.rerank.controller import RUN, RunResult
from sfdesk.ui.rerank.models import RerankParams, request_options
from sfdesk.ui.rerank.page import RerankPage
from sfdesk.ui.rerank.panel import HISTORY_TAB, RerankPanel
from sfdesk.ui.rerank.results import RankColumn
from sfdesk.ui.tasks import Controller

BGE = "BAAI/bge-reranker-v2-m3"
BCE = "netease-youdao/bce-reranker-base_v1"
QWEN = "Qwen/Qwen3-Reranker-0.6B"
EMBEDDING = "BAAI/bge-m3"
QUERY = "What is the capital of Australia?"
DOCUMENTS = list(example_set("capital-en").documents)


@pytest.fixture
def make_panel(make_sandbox_panel: Callable[..., Any]) -> Callable[..., RerankPanel]:
    return functools.partial(make_sandbox_panel, RerankPanel, (1280, 800))


def w(panel: QWidget, kind: type, name: str) -> Any:
    widget = panel.findChild(kind, name)
    assert widget is not None, name
    return widget


def choose(panel: RerankPanel, models: list[str]) -> None:
    """Check exactly ``models`` in the list, as a user clicking check boxes would."""
    listed = w(panel, QListWidget, "rerank.models")
    for row in range(listed.count()):
        item = listed.item(row)
        if item.checkState() == Qt.CheckState.Checked and item.text() not in models:
            item.setCheckState(Qt.CheckState.Unchecked)
    for row in range(listed.count()):
        item = listed.item(row)
        if item.text() in models:
            item.setCheckState(Qt.CheckState.Checked)
    assert sorted(panel.checked_models()) == sorted(models)


def fill(
    panel: RerankPanel,
    models: list[str],
    *,
    query: str = QUERY,
    documents: list[str] | None = None,
    baseline: bool = True,
) -> None:
    w(panel, QLineEdit, "rerank.query").setText(query)
    w(panel, QPlainTextEdit, "rerank.documents").setPlainText(
        "\n".join(DOCUMENTS if documents is None else documents)
    )
    choose(panel, models)
    w(panel, QCheckBox, "rerank.baseline").setChecked(baseline)
    w(panel, QComboBox, "rerank.baseline_model").setCurrentText(EMBEDDING)


def run(qtbot: QtBot, panel: RerankPanel, timeout: int = 15_000) -> RunResult:
    with qtbot.waitSignal(panel.controller.sig_run_finished, timeout=timeout) as finished:
        w(panel, QPushButton, "rerank.run").click()
    result: RunResult = finished.args[0]
    return result


def columns(panel: RerankPanel) -> list[RankColumn]:
    results = w(panel, QWidget, "rerank.results")
    found = [results.findChild(RankColumn, f"rerank.column.{i}") for i in range(6)]
    return [column for column in found if column is not None]


def rerank_bodies(sandbox: SandboxServer) -> list[dict[str, Any]]:
    return [e["body"] for e in sandbox.requests() if e["path"] == "/v1/rerank" and e["body"]]


def api_requests(sandbox: SandboxServer) -> list[str]:
    return [e["path"] for e in sandbox.requests() if e["path"] != "/v1/models"]


def rerank_directly(
    run_async: Any, sandbox: SandboxServer, model: str, params: RerankParams
) -> list[tuple[int, float]]:
    async def fetch() -> list[tuple[int, float]]:
        async with SiliconFlowClient(api_key=SANDBOX_API_KEY, base_url=sandbox.base_url) as sf:
            reply = await sf.rerank.create(
                model=model, query=QUERY, documents=DOCUMENTS, **request_options(model, params)
            )
            return [(hit.index, hit.relevance_score) for hit in reply.results]

    ranking: list[tuple[int, float]] = run_async(fetch())
    return ranking


def cosine_ranking(run_async: Any, sandbox: SandboxServer) -> tuple[list[int], np.ndarray]:
    """The documents' order and scores by numpy cosine similarity of the client's vectors."""

    async def fetch() -> np.ndarray:
        async with SiliconFlowClient(api_key=SANDBOX_API_KEY, base_url=sandbox.base_url) as sf:
            return (await sf.embeddings.create(model=EMBEDDING, input=[QUERY, *DOCUMENTS])).vectors

    vectors = run_async(fetch()).astype(np.float64)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = unit[1:] @ unit[0]
    return [int(i) for i in np.argsort(-scores, kind="stable")], scores


# -- a full run --------------------------------------------------------------------------------


def test_three_models_and_the_baseline_equal_the_client_and_numpy(
    qtbot: QtBot, make_panel: Callable[..., RerankPanel], sandbox: SandboxServer, run_async: Any
) -> None:
    panel = make_panel()
    fill(panel, [BGE, BCE, QWEN])
    w(panel, QLineEdit, "rerank.instruction").setText("Find passages that answer the question")
    result = run(qtbot, panel)
    sent = rerank_bodies(sandbox)
    shown = columns(panel)
    assert [c.model for c in shown] == [BGE, BCE, QWEN, EMBEDDING]
    assert [c.state for c in shown] == ["done"] * 4
    assert all(column.ok for column in result.columns)

    params = panel.params()
    for column in shown[:3]:
        direct = rerank_directly(run_async, sandbox, column.model, params)
        assert column.ranked_indices() == [index for index, _ in direct]
        assert column.scores() == pytest.approx([score for _, score in direct], abs=1e-9)
        order = column.ranked_indices()
        # ▲/▼ against the input order: the input position minus the rank.
        assert column.input_changes() == [index - rank for rank, index in enumerate(order)]
        assert (
            w(column, QLabel, f"{column.objectName()}.stats").text().startswith(tuple("0123456789"))
        )

    baseline = shown[3]
    order, scores = cosine_ranking(run_async, sandbox)
    assert baseline.ranked_indices() == order
    np.testing.assert_allclose(baseline.scores(), scores[order], atol=1e-5)
    for column in shown[:3]:
        expected = [order.index(index) - rank for rank, index in enumerate(column.ranked_indices())]
        assert column.baseline_changes() == expected
    assert baseline.baseline_changes() == [None] * len(DOCUMENTS)

    # Each model got the documents once, and only the Qwen3 reranker the instruction.
    bodies = {body["model"]: body for body in sent}
    assert sorted(bodies) == sorted([BGE, BCE, QWEN]) and len(sent) == 3
    assert all(body["documents"] == DOCUMENTS for body in bodies.values())
    assert "instruction" in bodies[QWEN]
    assert "instruction" not in bodies[BGE] and "instruction" not in bodies[BCE]

    # The agreement table: every pair, with the core module's numbers.
    table = w(panel, QTableWidget, "rerank.agreement")
    assert table.rowCount() == 6
    rankings = [c.ranking for c in result.columns]
    k = w(panel, QSpinBox, "rerank.top_k").value()
    for row, pair in enumerate(panel.agreement.pairs):
        tau, common = ranking_tau(rankings[pair.a], rankings[pair.b])  # type: ignore[arg-type]
        assert pair.tau == pytest.approx(tau) and pair.common == common == len(DOCUMENTS)
        overlap, _ = top_k_overlap(
            result.columns[pair.a].order(), result.columns[pair.b].order(), k
        )
        assert pair.overlap == overlap
        assert table.item(row, 2).text() == f"{tau:+.3f}"
    status = w(panel, QLabel, "rerank.status").text()
    assert "4 of 4 column(s) answered" in status and f"Tokens: {result.tokens}" in status

    # Again: the baseline's vectors now come from the cache, nothing is sent for them.
    sandbox.reset()
    again = run(qtbot, panel)
    assert not any(path == "/v1/embeddings" for path in api_requests(sandbox))
    cosine = again.baseline
    assert cosine is not None and cosine.tokens == 0 and cosine.cached == len(DOCUMENTS) + 1
    assert cosine.order() == order


def test_models_run_at_once_and_esc_cancels_only_the_one_still_waiting(
    qtbot: QtBot, make_panel: Callable[..., RerankPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    fill(panel, [BGE, BCE, QWEN])
    sandbox.queue_fault("/v1/rerank", "slow-first-byte:20")  # whichever request comes first
    arrived: list[Any] = []
    panel.controller.sig_column_finished.connect(arrived.append)
    editor = w(panel, QPlainTextEdit, "rerank.documents")
    panel.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)  # shortcuts act in the focused window only
    QTest.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert panel.controller.is_running(RUN)
    assert editor.toPlainText() == "\n".join(DOCUMENTS)  # the shortcut ran; no line typed
    # The other two rerankers and the baseline answer while one request still hangs: the
    # columns do not wait for each other.
    qtbot.waitUntil(lambda: len(arrived) == 3, timeout=10_000)
    slow = next(e for e in sandbox.requests() if e["fault"])
    slow_model = slow["body"]["model"]
    assert slow_model not in [column.model for column in arrived]
    with qtbot.waitSignal(panel.controller.sig_task_cancelled, timeout=5_000) as cancelled:
        QTest.keyClick(editor, Qt.Key.Key_Escape)
    assert cancelled.args[0] == RUN
    states = {column.model: column.state for column in columns(panel)}
    assert states.pop(slow_model) == "cancelled"
    assert set(states.values()) == {"done"}  # what had answered stays on screen
    assert "Cancelled" in w(panel, QLabel, "rerank.status").text()
    assert w(panel, QPushButton, "rerank.run").isEnabled()
    assert not w(panel, QPushButton, "rerank.cancel").isEnabled()

    def disconnected() -> bool:
        entry = next(e for e in sandbox.requests() if e["trace_id"] == slow["trace_id"])
        return bool(entry["disconnected"])

    qtbot.waitUntil(disconnected, timeout=5_000)  # the hanging request was really closed
    assert run(qtbot, panel).failed == 0  # Run works again afterwards


def test_one_model_failing_shows_its_error_in_its_column_while_the_others_complete(
    qtbot: QtBot,
    make_panel: Callable[..., RerankPanel],
    sandbox: SandboxServer,
    translations: Any,
) -> None:
    panel = make_panel()  # the test context has retries off
    fill(panel, [BGE, BCE, QWEN], baseline=False)
    sandbox.queue_fault("/v1/rerank", "429")
    result = run(qtbot, panel)
    refused = next(e for e in sandbox.requests() if e["status"] == 429)
    failed_model, trace_id = refused["body"]["model"], refused["trace_id"]

    by_model = {column.model: column for column in columns(panel)}
    failed = by_model.pop(failed_model)
    assert failed.state == "failed"
    message = failed.message_text()
    assert "Rate limited" in message and trace_id in message and "Traceback" not in message
    assert not w(failed, QListWidget, f"{failed.objectName()}.ranking").isVisibleTo(panel)
    for column in by_model.values():
        assert column.state == "done" and len(column.ranked_indices()) == len(DOCUMENTS)
    assert result.failed == 1
    # Agreement only between the two that answered.
    assert [(p.a, p.b) for p in panel.agreement.pairs] == [
        tuple(c.position for c in result.columns if c.ok)
    ]
    status = w(panel, QLabel, "rerank.status").text()
    assert "2 of 3 column(s) answered" in status and "1 failed" in status
    assert w(panel, QWidget, "rerank.export").isEnabled()
    # The explanation follows a language switch, trace id and all.
    try:
        translations.apply("zh_CN")
        translated = failed.message_text()
        assert "Rate limited" not in translated and trace_id in translated
    finally:
        translations.apply("en")
    assert failed.message_text() == message


def test_a_run_where_every_model_fails_explains_each_and_is_not_recorded(
    qtbot: QtBot, make_panel: Callable[..., RerankPanel]
) -> None:
    panel = make_panel(api_key="sk-not-a-real-key")
    fill(panel, [BGE, QWEN], baseline=False)
    result = run(qtbot, panel)
    assert result.failed == 2 and result.history_id is None
    for column in columns(panel):
        assert "Invalid API key" in column.message_text()
    assert not w(panel, QWidget, "rerank.export").isEnabled()


# -- parameters ----------------------------------------------------------------------------------


def test_parameters_are_shown_and_sent_only_for_the_models_that_take_them(
    qtbot: QtBot, make_panel: Callable[..., RerankPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    instruction = w(panel, QLineEdit, "rerank.instruction")
    chunking = w(panel, QWidget, "rerank.chunking")
    note = w(panel, QLabel, "rerank.chunking_note")
    visible: dict[tuple[str, ...], tuple[bool, bool]] = {}
    for models in ([BGE], [BCE], [QWEN], ["Pro/BAAI/bge-reranker-v2-m3"], [BGE, QWEN]):
        choose(panel, models)
        visible[tuple(models)] = (instruction.isVisibleTo(panel), chunking.isVisibleTo(panel))
    assert visible == {
        (BGE,): (False, True),
        (BCE,): (False, True),
        (QWEN,): (True, False),
        ("Pro/BAAI/bge-reranker-v2-m3",): (False, True),
        (BGE, QWEN): (True, True),
    }
    assert BGE in note.text() and QWEN not in note.text() and "512 tokens" in note.text()
    assert "overlap_tokens" in note.toolTip() and "0–80" in note.toolTip()
    overlap = w(panel, QSpinBox, "rerank.overlap_tokens")
    assert (overlap.minimum(), overlap.maximum()) == (-1, 80)  # -1 shows "Default (80)"
    assert overlap.text() == "Default (80)"

    fill(panel, [BGE, QWEN], baseline=False)
    instruction.setText("Find the passage that answers the question")
    w(panel, QSpinBox, "rerank.top_n").setValue(3)
    w(panel, QCheckBox, "rerank.return_documents").setChecked(True)
    w(panel, QSpinBox, "rerank.max_chunks_per_doc").setValue(2)
    overlap.setValue(0)  # 0 is a value to send, not "unset"
    result = run(qtbot, panel)
    bodies = {body["model"]: body for body in rerank_bodies(sandbox)}
    shared = {"query": QUERY, "documents": DOCUMENTS, "top_n": 3, "return_documents": True}
    assert bodies[BGE] == {"model": BGE, **shared, "max_chunks_per_doc": 2, "overlap_tokens": 0}
    assert bodies[QWEN] == {
        "model": QWEN,
        **shared,
        "instruction": "Find the passage that answers the question",
    }
    for column in columns(panel):
        assert len(column.ranked_indices()) == 3  # top_n
    assert all(len(column.returned) == 3 for column in result.columns)
    assert panel.request_body() == bodies[BGE]  # "view code" shows what was sent

    # Unset again: nothing optional is sent.
    sandbox.reset()
    for name in ("rerank.top_n", "rerank.max_chunks_per_doc"):
        w(panel, QSpinBox, name).setValue(0)
    overlap.setValue(-1)
    w(panel, QCheckBox, "rerank.return_documents").setChecked(False)
    instruction.clear()
    run(qtbot, panel)
    assert all(set(body) == {"model", "query", "documents"} for body in rerank_bodies(sandbox))


def test_bad_input_is_explained_and_sends_nothing(
    qtbot: QtBot, make_panel: Callable[..., RerankPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    status = w(panel, QLabel, "rerank.status")
    run_button = w(panel, QPushButton, "rerank.run")
    fill(panel, [BGE, QWEN], query="   ")
    run_button.click()
    assert "Type a query first" in status.text()
    fill(panel, [BGE, QWEN], documents=["", "  ", "\t"])
    run_button.click()
    assert "No documents to rank" in status.text()
    fill(panel, [])
    run_button.click()
    assert "Pick at least one rerank model" in status.text()
    assert panel.show_code() is None
    assert not panel.controller.is_running(RUN)
    assert api_requests(sandbox) == []
    assert panel.result is None and columns(panel) == []

    # A fifth model cannot be checked.
    fill(panel, list(models_module.KNOWN_MODELS[:4]))
    listed = w(panel, QListWidget, "rerank.models")
    fifth = listed.findItems(models_module.KNOWN_MODELS[4], Qt.MatchFlag.MatchExactly)[0]
    fifth.setCheckState(Qt.CheckState.Checked)
    assert fifth.checkState() == Qt.CheckState.Unchecked
    assert len(panel.checked_models()) == 4 and "At most 4" in status.text()


def test_documents_too_long_for_a_model_are_explained(
    qtbot: QtBot, make_panel: Callable[..., RerankPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    long_document = " ".join(f"word{i}" for i in range(3000))
    fill(panel, [BGE, QWEN], documents=["a short one", long_document, "another"], baseline=False)
    note = w(panel, QLabel, "rerank.length_note")
    assert not note.isVisibleTo(panel)  # bge reads ~1024 chunks by default
    w(panel, QSpinBox, "rerank.max_chunks_per_doc").setValue(1)
    assert note.isVisibleTo(panel)
    assert f"{BGE}: document 2" in note.text() and "~512" in note.text()
    assert QWEN not in note.text()  # well within its 32k tokens

    sandbox.queue_fault("/v1/rerank", "400")
    run(qtbot, panel)
    failed = next(c for c in columns(panel) if c.state == "failed")
    message = failed.message_text()
    assert "Request rejected" in message and "document 2" in message


# -- highlight, exports, view code ---------------------------------------------------------------


def test_clicking_a_document_highlights_it_in_every_column(
    qtbot: QtBot, make_panel: Callable[..., RerankPanel]
) -> None:
    panel = make_panel()
    fill(panel, [BGE, QWEN])
    run(qtbot, panel)
    first, *others = columns(panel)
    ranking = w(first, QListWidget, "rerank.column.0.ranking")
    qtbot.waitExposed(ranking)
    item = ranking.item(2)
    document = item.data(Qt.ItemDataRole.UserRole + 1)
    QTest.mouseClick(
        ranking.viewport(), Qt.MouseButton.LeftButton, pos=ranking.visualItemRect(item).center()
    )
    assert [column.highlighted() for column in columns(panel)] == [document] * 3
    for column in others:
        order = column.ranked_indices()
        selected = w(column, QListWidget, f"{column.objectName()}.ranking").currentRow()
        assert order[selected] == document
    label = w(panel, QLabel, "rerank.highlight")
    assert label.isVisible() and DOCUMENTS[document] in label.text()
    assert f"{BGE} #3" in label.text()


@pytest.mark.parametrize("kind", [k.key for k in exports.KINDS])
def test_export_writes_files_that_read_back(
    qtbot: QtBot, make_panel: Callable[..., RerankPanel], tmp_path: Path, kind: str
) -> None:
    panel = make_panel()
    documents = [*DOCUMENTS[:5], "=SUM(A1:A3) is a formula"]
    fill(panel, [BGE, QWEN], documents=documents)
    result = run(qtbot, panel)
    dialog = panel.export_dialog(kind)
    assert dialog.objectName() == "rerank.export_dialog" and dialog.isVisible()
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert not dialog.isModal()
    target = tmp_path / f"out.{exports.BY_KEY[kind].suffix}"
    with qtbot.waitSignal(panel.controller.sig_export_written, timeout=10_000):
        dialog.fileSelected.emit(str(target))  # as if the user picked this file
    dialog.close()
    assert str(target) in w(panel, QLabel, "rerank.status").text()

    if kind == exports.CSV:
        rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"), newline="")))
        assert [row[1] for row in rows[1:]] == [*documents[:-1], "'" + documents[-1]]
        for position, column in enumerate(result.columns):
            assert column.ranking is not None
            ranks = {int(row[0]) - 1: int(row[2 + 2 * position]) for row in rows[1:]}
            assert sorted(ranks, key=ranks.__getitem__) == column.order()
    else:
        data = json.loads(target.read_text(encoding="utf-8"))
        assert data["query"] == QUERY and data["documents"] == documents
        assert [c["model"] for c in data["columns"]] == [BGE, QWEN, EMBEDDING]
        for exported, column in zip(data["columns"], result.columns, strict=True):
            assert [hit["index"] for hit in exported["ranking"]] == column.order()
        assert len(data["agreement"]) == 3
        assert data["agreement"][0]["kendall_tau"] == pytest.approx(panel.agreement.pairs[0].tau)


def test_export_before_a_run_and_a_failing_write_are_explained(
    qtbot: QtBot, make_panel: Callable[..., RerankPanel], tmp_path: Path
) -> None:
    panel = make_panel()
    assert panel.export_to(exports.CSV, tmp_path / "x.csv") is None
    assert "Nothing to export yet" in w(panel, QLabel, "rerank.status").text()
    fill(panel, [BGE])
    run(qtbot, panel)
    target = tmp_path / "no-such-folder" / "x.csv"
    with qtbot.waitSignal(panel.controller.sig_export_failed, timeout=10_000):
        panel.export_to(exports.CSV, target)
    assert "Could not save" in w(panel, QLabel, "rerank.status").text()
    assert not target.exists()


def test_view_code_shows_the_first_models_request_without_the_key(
    qtbot: QtBot, make_panel: Callable[..., RerankPanel], translations: Any
) -> None:
    panel = make_panel()
    fill(panel, [QWEN, BGE])  # list order decides "first": bge is listed before Qwen
    w(panel, QLineEdit, "rerank.instruction").setText("only for Qwen")
    w(panel, QSpinBox, "rerank.max_chunks_per_doc").setValue(4)
    w(panel, QPushButton, "rerank.view_code").click()
    dialog = panel.findChild(RerankCodeDialog, "rerank.code_dialog")
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    assert list(dialog.sources) == ["curl", "httpx"] and dialog.tabs.count() == 2
    curl = dialog.sources["curl"]
    words = shlex.split(curl)
    assert words[words.index("--url") + 1] == f"{panel._ctx.base_url}/rerank"
    payload = json.loads(words[words.index("--data") + 1])
    assert (
        payload
        == panel.request_body()
        == {
            "model": BGE,
            "query": QUERY,
            "documents": DOCUMENTS,
            "max_chunks_per_doc": 4,
        }
    )
    for source in dialog.sources.values():
        assert SANDBOX_API_KEY not in source and "SILICONFLOW_API_KEY" in source
    compile(dialog.sources["httpx"], "<httpx>", "exec")  # valid Python
    dialog.tabs.setCurrentIndex(1)
    assert dialog.current_source() == dialog.sources["httpx"]
    try:
        translations.apply("zh_CN")
        assert dialog.tabs.count() == 2 and dialog.windowTitle() != "View code"
    finally:
        translations.apply("en")
    assert [dialog.tabs.tabText(i) for i in range(2)] == ["curl", "Python (httpx)"]
    dialog.close()


# -- model list, examples, import ----------------------------------------------------------------


def test_model_lists_come_from_the_server_and_keep_the_choice(
    qtbot: QtBot, make_panel: Callable[..., RerankPanel], sandbox: SandboxServer
) -> None:
    models_module._CACHE.clear()
    panel = make_panel()
    listed = w(panel, QListWidget, "rerank.models")
    before = panel.checked_models()
    qtbot.waitUntil(lambda: not panel.models_controller.busy and not panel.baseline_models.busy)
    queries = [e["query"] for e in sandbox.requests() if e["path"] == "/v1/models"]
    assert "sub_type=reranker" in queries
    assert {listed.item(row).text() for row in range(listed.count())} == {
        "BAAI/bge-reranker-v2-m3",
        "Pro/BAAI/bge-reranker-v2-m3",
        "netease-youdao/bce-reranker-base_v1",
        "Qwen/Qwen3-Reranker-8B",
        "Qwen/Qwen3-Reranker-4B",
        "Qwen/Qwen3-Reranker-0.6B",
    }
    assert panel.checked_models() == before == [BGE, QWEN]
    baseline = w(panel, QComboBox, "rerank.baseline_model")
    assert baseline.currentText() == EMBEDDING
    assert baseline.findText("BAAI/bge-reranker-v2-m3") < 0  # embedding models only


def test_example_sets_fill_query_instruction_and_documents(
    qtbot: QtBot, make_panel: Callable[..., RerankPanel], translations: Any
) -> None:
    panel = make_panel()
    combo = w(panel, QComboBox, "rerank.examples")
    example = example_set("refund-zh")
    index = combo.findData(example.id)
    assert combo.itemText(index) == example.title_en
    try:
        translations.apply("zh_CN")
        assert combo.itemText(combo.findData(example.id)) == example.title_zh
    finally:
        translations.apply("en")
    combo.activated.emit(index)
    assert combo.currentIndex() == 0
    assert w(panel, QLineEdit, "rerank.query").text() == example.query
    assert w(panel, QLineEdit, "rerank.instruction").text() == example.instruction
    assert panel.document_list() == example.documents
    assert example.title_en in w(panel, QLabel, "rerank.status").text()
    assert f"Documents: {len(example.documents)}" in w(panel, QLabel, "rerank.count").text()


def test_import_replaces_the_documents_undoably_and_explains_bad_files(
    qtbot: QtBot, make_panel: Callable[..., RerankPanel], tmp_path: Path
) -> None:
    panel = make_panel()
    editor = w(panel, QPlainTextEdit, "rerank.documents")
    editor.setPlainText("typed by hand")
    source = tmp_path / "docs.csv"
    source.write_text('id,text\n1,苹果很好吃\n2,"The bank, closed"\n3,[1] kept as is\n', "utf-8")
    dialog = panel.import_dialog()
    assert dialog.objectName() == "rerank.import_dialog" and dialog.isVisible()
    with qtbot.waitSignal(panel.controller.sig_documents_imported, timeout=10_000):
        dialog.fileSelected.emit(str(source))
    dialog.close()
    assert panel.document_list() == ("苹果很好吃", "The bank, closed", "[1] kept as is")
    assert "Imported 3 document(s) from docs.csv" in w(panel, QLabel, "rerank.status").text()
    editor.undo()
    assert editor.toPlainText() == "typed by hand"

    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text('{"text": "one"}\n"two"\n', "utf-8")
    with qtbot.waitSignal(panel.controller.sig_documents_imported, timeout=10_000):
        panel.controller.import_file(jsonl)
    assert panel.document_list() == ("one", "two")
    text = tmp_path / "results.txt"
    text.write_text("[1] Search result one\n\n[2] Search result two\n", "utf-8")
    with qtbot.waitSignal(panel.controller.sig_documents_imported, timeout=10_000):
        panel.controller.import_file(text)
    # Each line whole: "[1]" is part of the document, not a group tag.
    assert panel.document_list() == ("[1] Search result one", "[2] Search result two")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "fine"}\n{not json}\n', "utf-8")
    with qtbot.waitSignal(panel.controller.sig_import_failed, timeout=10_000):
        panel.controller.import_file(broken)
    assert "Line 2 of broken.jsonl is not valid JSON" in w(panel, QLabel, "rerank.status").text()
    assert panel.document_list() == ("[1] Search result one", "[2] Search result two")


# -- run history ---------------------------------------------------------------------------------


def listed(qtbot: QtBot, panel: RerankPanel, count: int) -> QListWidget:
    history = w(panel, QListWidget, "rerank.history")
    qtbot.waitUntil(lambda: history.count() == count, timeout=10_000)
    return history


def test_history_survives_a_restart_and_shows_a_run_again_without_a_request(
    qtbot: QtBot, make_panel: Callable[..., RerankPanel], sandbox: SandboxServer, run_async: Any
) -> None:
    panel = make_panel()
    fill(panel, [BGE, BCE, QWEN])
    w(panel, QLineEdit, "rerank.instruction").setText("answer the question")
    w(panel, QSpinBox, "rerank.top_n").setValue(5)
    sandbox.queue_fault("/v1/rerank", "429")  # a failed column is part of the record too
    first = run(qtbot, panel)
    failed_model = next(c.model for c in first.columns if not c.ok)
    listed(qtbot, panel, 1)
    for controller in panel.findChildren(Controller):
        run_async(controller.shutdown())
    panel.close()

    sandbox.reset()
    fresh = make_panel()
    history = listed(qtbot, fresh, 1)
    entry = history.item(0).text()
    assert f"{BGE}, {BCE}, {QWEN} + {EMBEDDING} (cosine)" in entry
    assert f"documents: {len(DOCUMENTS)}" in entry and "failed: 1" in entry
    assert QUERY in history.item(0).toolTip()

    fresh.views.setCurrentIndex(HISTORY_TAB)
    qtbot.waitExposed(history)
    where = history.visualItemRect(history.item(0)).center()
    with qtbot.waitSignal(fresh.controller.sig_run_finished, timeout=10_000) as shown:
        # A real double-click starts with a click.
        QTest.mouseClick(history.viewport(), Qt.MouseButton.LeftButton, pos=where)
        QTest.mouseDClick(history.viewport(), Qt.MouseButton.LeftButton, pos=where)
    again: RunResult = shown.args[0]
    assert api_requests(sandbox) == []  # shown from the file: nothing sent
    assert again.restored and again.history_id == first.history_id
    assert [c.ranking for c in again.columns] == [c.ranking for c in first.columns]
    assert again.request == first.request
    assert not fresh.is_stale()  # the controls hold the run's input again
    assert fresh.query_text() == QUERY and fresh.checked_models() == [BGE, BCE, QWEN]
    assert fresh.params().top_n == 5 and fresh.params().instruction == "answer the question"
    on_screen = {c.model: c for c in columns(fresh)}
    assert on_screen[failed_model].state == "failed"
    assert "Rate limited" in on_screen[failed_model].message_text()
    for column in again.columns:
        if column.ok:
            assert on_screen[column.model].ranked_indices() == column.order()
    assert w(fresh, QLabel, "rerank.status").text().startswith("From the history")

    fresh.history_view.list.item(0).setSelected(True)
    fresh.history_view.delete_action.trigger()  # as from the context menu
    listed(qtbot, fresh, 0)


def test_the_page_builds_the_panel_only_when_first_shown(
    qtbot: QtBot, make_ctx: Callable[..., AppContext], run_async: Any
) -> None:
    page = RerankPage(make_ctx())
    assert page.objectName() == "tab.rerank" and not page.built
    assert page.findChild(QLineEdit, "rerank.query") is None
    page.resize(1100, 700)
    page.show()
    assert page.built and page.findChild(QLineEdit, "rerank.query").isVisible()
    for controller in page.findChildren(Controller):
        run_async(controller.shutdown())
    page.deleteLater()


def test_the_main_window_holds_a_light_rerank_page(
    make_ctx: Callable[..., AppContext], run_async: Any
) -> None:
    window = MainWindow(make_ctx())
    page = window.page("rerank")
    assert isinstance(page, RerankPage) and not page.built  # nothing built at start-up
    assert window.tabs.indexOf(page) == 2 and page.accessibleName() == "Rerank comparison"
    window.close()
    run_async(window.shutdown())
    window.deleteLater()
