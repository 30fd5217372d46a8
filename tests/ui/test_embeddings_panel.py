"""The Embeddings panel driven by its object names against the sandbox: the heatmap equals a numpy
reference, the cache sends only what changed, query ranking, two-model comparison, exports, bad
input, errors explained, cancel, import, examples, dimensions, and the run history (across a
restart, shown again from the cache without a request, deleting, the cap)."""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, QTranslator
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sfdesk.api import SiliconFlowClient
from sfdesk.core.similarity import cluster_order, disagreements, spearman_rows
from sfdesk.core.text_sets import example_set, format_lines
from sfdesk.sandbox import SANDBOX_API_KEY, SandboxServer
from sfdesk.store.embedding_runs import DEFAULT_MAX_RUNS, EmbeddingRunStore
from sfdesk.ui.embeddings import controller as controller_module
from sfdesk.ui.embeddings import export as exports
from sfdesk.ui.embeddings.compare import CompareView
from sfdesk.ui.embeddings.controller import HISTORY, RUN
from sfdesk.ui.embeddings.heatmap import HeatmapView
from sfdesk.ui.embeddings.map_view import MapView
from sfdesk.ui.embeddings.panel import (
    COMPARE_TAB,
    HEATMAP_TAB,
    HISTORY_TAB,
    QUERY_TAB,
    EmbeddingsPanel,
)
from sfdesk.ui.embeddings.ranking import RankingTable
from sfdesk.ui.tasks import Controller

BGE = "BAAI/bge-m3"
QWEN = "Qwen/Qwen3-Embedding-0.6B"
SHORT_LIMIT_MODEL = "BAAI/bge-large-en-v1.5"  # 512 tokens per text

TEXTS = [
    "The cat sat on the mat.",
    "A cat was sitting on the rug.",
    "Stock markets fell sharply today.",
    "Shares dropped steeply on Monday.",
    "今天天气很好，适合散步。",
    "天气不错，我们出去走走吧。",
    "Photosynthesis turns sunlight into energy.",
]


@pytest.fixture
def make_panel(make_sandbox_panel: Callable[..., Any]) -> Callable[..., EmbeddingsPanel]:
    return functools.partial(make_sandbox_panel, EmbeddingsPanel, (1100, 720))


def w(panel: QWidget, kind: type, name: str) -> Any:
    widget = panel.findChild(kind, name)
    assert widget is not None, name
    return widget


def set_texts(panel: EmbeddingsPanel, texts: list[str]) -> None:
    w(panel, QPlainTextEdit, "emb.texts").setPlainText("\n".join(texts))


def run(qtbot: QtBot, panel: EmbeddingsPanel, texts: list[str] | None = None) -> Any:
    if texts is not None:
        set_texts(panel, texts)
    with qtbot.waitSignal(panel.controller.sig_run_finished, timeout=15_000) as finished:
        w(panel, QPushButton, "emb.run").click()
    return finished.args[0]


def embedding_inputs(sandbox: SandboxServer) -> list[str]:
    """Every text sent to /v1/embeddings since the last reset, in request order."""
    sent: list[str] = []
    for entry in sandbox.requests():
        if entry["path"] == "/v1/embeddings" and entry["body"]:
            sent.extend(entry["body"]["input"])
    return sent


def embedding_bodies(sandbox: SandboxServer) -> list[dict[str, Any]]:
    return [e["body"] for e in sandbox.requests() if e["path"] == "/v1/embeddings" and e["body"]]


def fetch_vectors(
    run_async: Any, sandbox: SandboxServer, texts: list[str], model: str, dims: int | None = None
) -> np.ndarray:
    """Vectors fetched directly with the client, bypassing the panel and its cache."""

    async def fetch() -> np.ndarray:
        async with SiliconFlowClient(api_key=SANDBOX_API_KEY, base_url=sandbox.base_url) as sf:
            result = await sf.embeddings.create(model=model, input=texts, dimensions=dims)
            return result.vectors

    vectors: np.ndarray = run_async(fetch())
    return vectors


def cosine_reference(vectors: np.ndarray) -> np.ndarray:
    unit = vectors.astype(np.float64)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    return unit @ unit.T


# -- run and heatmap ---------------------------------------------------------------------------


def test_heatmap_equals_a_numpy_reference_in_both_orders(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], sandbox: SandboxServer, run_async: Any
) -> None:
    panel = make_panel()
    result = run(qtbot, panel, TEXTS)
    reference = cosine_reference(fetch_vectors(run_async, sandbox, TEXTS, BGE))
    heatmap = w(panel, HeatmapView, "emb.heatmap")
    np.testing.assert_allclose(heatmap.matrix(), reference, atol=1e-5)
    np.testing.assert_allclose(heatmap.displayed(), reference, atol=1e-5)  # text order

    panel.sort.setChecked(True)
    order = heatmap.order
    assert order == cluster_order(result.matrix) and order != list(range(len(TEXTS)))
    np.testing.assert_allclose(heatmap.displayed(), reference[np.ix_(order, order)], atol=1e-5)
    # Clustering puts each pair of paraphrases next to each other.
    for a, b in ((0, 1), (2, 3), (4, 5)):
        assert abs(order.index(a) - order.index(b)) == 1

    panel.sort.setChecked(False)
    np.testing.assert_allclose(heatmap.displayed(), reference, atol=1e-5)
    status = w(panel, QLabel, "emb.status").text()
    assert f"Texts: {len(TEXTS)}" in status and "from cache: 0" in status
    assert f"Tokens: {result.tokens}" in status and result.tokens > 0
    assert all("dimensions" not in body for body in embedding_bodies(sandbox))


def test_editing_one_line_refetches_only_that_text(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    run(qtbot, panel, TEXTS)
    assert sorted(embedding_inputs(sandbox)) == sorted(TEXTS)

    sandbox.reset()
    edited = [*TEXTS]
    edited[2] = "Stock markets rose sharply today."
    second = run(qtbot, panel, edited)
    assert embedding_inputs(sandbox) == ["Stock markets rose sharply today."]
    assert (second.cached, second.fetched) == (len(TEXTS) - 1, 1)
    assert f"from cache: {len(TEXTS) - 1}" in w(panel, QLabel, "emb.status").text()

    # Nothing changed: nothing is sent, and the cache is on disk, so a new panel agrees.
    sandbox.reset()
    third = run(qtbot, panel)
    fresh = make_panel()
    fourth = run(qtbot, fresh, edited)
    assert embedding_inputs(sandbox) == []
    assert third.tokens == fourth.tokens == 0
    np.testing.assert_array_equal(fourth.matrix, second.matrix)


def test_duplicates_are_embedded_once_and_noted(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    texts = ["alpha beta", "gamma delta", "alpha beta", "", "   ", "gamma delta"]
    result = run(qtbot, panel, texts)
    assert sorted(embedding_inputs(sandbox)) == ["alpha beta", "gamma delta"]
    assert result.matrix.shape == (4, 4)  # empty lines ignored, duplicates kept as rows
    assert result.matrix[0, 2] == pytest.approx(1.0, abs=1e-6)
    assert "duplicates: 2" in w(panel, QLabel, "emb.status").text()
    assert "duplicates: 2" in w(panel, QLabel, "emb.count").text()


def test_no_texts_sends_nothing_and_says_so(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    set_texts(panel, ["", "   ", "\t"])
    w(panel, QPushButton, "emb.run").click()
    assert "Nothing to embed" in w(panel, QLabel, "emb.status").text()
    assert not panel.controller.fetching()  # (the history may still be being listed)
    w(panel, QLineEdit, "emb.query").setText("anything")
    QTest.keyClick(w(panel, QLineEdit, "emb.query"), Qt.Key.Key_Return)
    w(panel, QPushButton, "emb.compare_run").click()
    assert not panel.controller.fetching()
    assert embedding_bodies(sandbox) == []
    assert "Nothing to embed" in w(panel, QLabel, "emb.status").text()
    assert not w(panel, QWidget, "emb.export").isEnabled()


# -- errors and cancel ---------------------------------------------------------------------------


def test_rate_limit_is_explained_with_the_trace_id(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()  # the test context has retries off
    sandbox.queue_fault("/v1/embeddings", "429")
    set_texts(panel, TEXTS)
    with qtbot.waitSignal(panel.controller.sig_task_failed, timeout=10_000) as failed:
        w(panel, QPushButton, "emb.run").click()
    assert failed.args[0] == RUN
    trace_id = next(e["trace_id"] for e in sandbox.requests() if e["status"] == 429)
    status = w(panel, QLabel, "emb.status").text()
    assert "Rate limited" in status and trace_id in status and "Traceback" not in status
    assert not w(panel, QProgressBar, "emb.progress").isVisible()
    assert w(panel, QPushButton, "emb.run").isEnabled()
    assert panel.result is None


def test_invalid_key_is_explained(qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel]) -> None:
    panel = make_panel(api_key="sk-not-a-real-key")
    set_texts(panel, TEXTS)
    with qtbot.waitSignal(panel.controller.sig_task_failed, timeout=10_000):
        w(panel, QPushButton, "emb.run").click()
    assert "Invalid API key" in w(panel, QLabel, "emb.status").text()


def test_an_over_long_text_is_pointed_out(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel]
) -> None:
    panel = make_panel()
    w(panel, QComboBox, "emb.model").setCurrentText(SHORT_LIMIT_MODEL)
    long_text = " ".join(f"word{i}" for i in range(3000))
    set_texts(panel, ["a short text", long_text, "another short one"])
    with qtbot.waitSignal(panel.controller.sig_task_failed, timeout=10_000):
        w(panel, QPushButton, "emb.run").click()
    status = w(panel, QLabel, "emb.status").text()
    assert "Request rejected" in status
    assert "512 tokens" in status and "text 2" in status


def test_cancel_mid_run_stops_and_keeps_the_panel_usable(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    # One batch hangs; the others arrive, so the run is visibly under way when cancelled.
    sandbox.queue_fault("/v1/embeddings", "slow-first-byte:20")
    set_texts(panel, [f"text number {i} about topic {i % 7}" for i in range(150)])
    progress = w(panel, QProgressBar, "emb.progress")
    cancel = w(panel, QPushButton, "emb.cancel")
    assert not cancel.isEnabled()
    w(panel, QPushButton, "emb.run").click()
    assert cancel.isEnabled() and not w(panel, QPushButton, "emb.run").isEnabled()
    qtbot.waitUntil(lambda: progress.maximum() == 150 and progress.value() > 0, timeout=10_000)
    assert progress.value() < 150
    with qtbot.waitSignal(panel.controller.sig_task_cancelled, timeout=5_000) as cancelled:
        cancel.click()
    assert cancelled.args[0] == RUN
    assert "Cancelled" in w(panel, QLabel, "emb.status").text()
    assert not progress.isVisible() and not cancel.isEnabled()
    assert panel.result is None
    slow = next(e for e in sandbox.requests() if e["fault"])
    qtbot.waitUntil(lambda: _entry(sandbox, slow["trace_id"])["disconnected"], timeout=5_000)

    result = run(qtbot, panel)  # Run works again afterwards
    assert result.matrix.shape == (150, 150)


def _entry(sandbox: SandboxServer, trace_id: str) -> dict[str, Any]:
    return next(e for e in sandbox.requests() if e["trace_id"] == trace_id)


def test_ctrl_enter_runs_and_esc_cancels(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    set_texts(panel, TEXTS)
    editor = w(panel, QPlainTextEdit, "emb.texts")
    panel.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)  # shortcuts act in the focused window only
    with qtbot.waitSignal(panel.controller.sig_run_finished, timeout=10_000):
        QTest.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == "\n".join(TEXTS)  # the shortcut ran; no line break typed

    sandbox.queue_fault("/v1/embeddings", "slow-first-byte:20")
    set_texts(panel, [*TEXTS, "one more"])
    w(panel, QPushButton, "emb.run").click()
    assert panel.controller.is_running(RUN)
    with qtbot.waitSignal(panel.controller.sig_task_cancelled, timeout=5_000):
        QTest.keyClick(editor, Qt.Key.Key_Escape)
    assert not panel.controller.fetching()


# -- query mode ----------------------------------------------------------------------------------


def test_query_ranking_equals_numpy_argsort(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], sandbox: SandboxServer, run_async: Any
) -> None:
    panel = make_panel()
    query = "Where did the cat sit?"
    set_texts(panel, TEXTS)
    # No run yet: Enter runs the texts first, then ranks.
    panel.views.setCurrentIndex(1)
    box = w(panel, QLineEdit, "emb.query")
    box.setText(query)
    with qtbot.waitSignal(panel.controller.sig_query_ranked, timeout=15_000) as ranked:
        QTest.keyClick(box, Qt.Key.Key_Return)
    assert panel.result is not None

    vectors = fetch_vectors(run_async, sandbox, [*TEXTS, query], BGE)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = unit[:-1] @ unit[-1]
    expected = list(np.argsort(-scores, kind="stable"))
    table = w(panel, RankingTable, "emb.ranking")
    assert table.ranked_indices() == expected == [i for i, _ in ranked.args[0].ranking]
    np.testing.assert_allclose(table.scores(), scores[expected], atol=1e-5)
    assert table.ranked_indices()[:2] == [0, 1]  # the two cat sentences
    assert "Closest: text 1" in w(panel, QLabel, "emb.status").text()

    # A second query reuses the run: only the query is sent.
    sandbox.reset()
    box.setText("stock market news")
    with qtbot.waitSignal(panel.controller.sig_query_ranked, timeout=10_000):
        QTest.keyClick(box, Qt.Key.Key_Return)
    assert embedding_inputs(sandbox) == ["stock market news"]
    assert table.ranked_indices()[0] in (2, 3)


# -- comparison ----------------------------------------------------------------------------------


def test_two_model_comparison_matches_the_core_functions(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], sandbox: SandboxServer, run_async: Any
) -> None:
    panel = make_panel()
    set_texts(panel, TEXTS)
    panel.views.setCurrentIndex(3)
    w(panel, QComboBox, "emb.compare_model").setCurrentText(QWEN)
    dims = w(panel, QComboBox, "emb.compare_dimensions")
    assert dims.isVisibleTo(panel)
    dims.setCurrentIndex(dims.findData(256))
    with qtbot.waitSignal(panel.controller.sig_comparison_finished, timeout=15_000) as done:
        w(panel, QPushButton, "emb.compare_run").click()
    comparison = done.args[0]

    ref_a = cosine_reference(fetch_vectors(run_async, sandbox, TEXTS, BGE))
    ref_b = cosine_reference(fetch_vectors(run_async, sandbox, TEXTS, QWEN, 256))
    view = w(panel, CompareView, "emb.compare")
    np.testing.assert_allclose(
        w(view, HeatmapView, "emb.compare_heatmap_a").matrix(), ref_a, atol=1e-5
    )
    np.testing.assert_allclose(
        w(view, HeatmapView, "emb.compare_heatmap_b").matrix(), ref_b, atol=1e-5
    )
    assert not np.allclose(ref_a, ref_b, atol=1e-3)  # the two models really differ

    expected_rho = spearman_rows(ref_a, ref_b)
    listed = view.row_spearman()
    assert sorted(listed) == list(range(len(TEXTS)))
    np.testing.assert_allclose([listed[i] for i in range(len(TEXTS))], expected_rho, atol=1e-6)
    shown = [listed[_row_index(view.rows, r)] for r in range(view.rows.rowCount())]
    assert shown == sorted(shown)  # lowest agreement first
    mean = float(np.nanmean(expected_rho))
    assert f"{mean:.3f}" in w(view, QLabel, "emb.compare_summary").text()
    assert comparison.mean_spearman == pytest.approx(mean, abs=1e-9)
    assert view.listed_pairs() == [(d.i, d.j) for d in disagreements(ref_a, ref_b, 15)]
    bodies = embedding_bodies(sandbox)
    assert any(b["model"] == QWEN and b.get("dimensions") == 256 for b in bodies)
    assert "mean Spearman" in w(panel, QLabel, "emb.status").text()


def _row_index(table: QTableWidget, row: int) -> int:
    item = table.item(row, 0)
    assert item is not None
    return int(item.data(Qt.ItemDataRole.UserRole + 1))


def test_comparing_a_model_with_itself_is_refused(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    set_texts(panel, TEXTS)
    w(panel, QComboBox, "emb.compare_model").setCurrentText(BGE)
    w(panel, QPushButton, "emb.compare_run").click()
    assert "second model" in w(panel, QLabel, "emb.status").text()
    assert embedding_bodies(sandbox) == []


# -- export --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [k.key for k in exports.KINDS])
def test_export_writes_files_that_read_back(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], tmp_path: Path, kind: str
) -> None:
    panel = make_panel()
    texts = [*TEXTS, "=SUM(A1:A3) is a formula"]
    set_texts(panel, [f"[g{i % 2}] {t}" for i, t in enumerate(texts)])
    result = run(qtbot, panel)
    panel.views.setCurrentIndex(1)  # neither picture's view on screen: never shown, for the map
    dialog = panel.export_dialog(kind)
    assert dialog.objectName() == "emb.export_dialog" and dialog.isVisible()
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    target = tmp_path / f"out.{exports.BY_KEY[kind].suffix}"
    with qtbot.waitSignal(panel.controller.sig_export_written, timeout=10_000):
        dialog.fileSelected.emit(str(target))  # as if the user picked this file
    dialog.close()
    assert str(target) in w(panel, QLabel, "emb.status").text()

    if kind == exports.MATRIX_CSV:
        rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
        assert rows[0][1:-1] == texts[:-1] and rows[0][-1] == "'" + texts[-1]
        values = np.array([[float(v) for v in row[1:]] for row in rows[1:]])
        np.testing.assert_allclose(values, result.matrix, atol=1e-6)
    elif kind == exports.VECTORS_NPY:
        np.testing.assert_array_equal(np.load(target), result.vectors)
    elif kind == exports.VECTORS_JSONL:
        lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
        assert [line["text"] for line in lines] == texts
        assert [line["group"] for line in lines] == [f"g{i % 2}" for i in range(len(texts))]
        np.testing.assert_array_equal(
            np.array([line["vector"] for line in lines], dtype=np.float32), result.vectors
        )
    else:
        image = QImage(str(target))
        assert not image.isNull() and image.width() > 200 and image.height() > 150


def test_export_failure_is_reported(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], tmp_path: Path
) -> None:
    panel = make_panel()
    run(qtbot, panel, TEXTS)
    target = tmp_path / "no-such-folder" / "m.csv"
    with qtbot.waitSignal(panel.controller.sig_export_failed, timeout=10_000):
        panel.export_to(exports.MATRIX_CSV, target)
    assert "Could not save" in w(panel, QLabel, "emb.status").text()
    assert not target.exists()


# -- heatmap and map interaction -----------------------------------------------------------------


def test_hover_and_click_on_the_heatmap_show_the_pair(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel]
) -> None:
    panel = make_panel()
    result = run(qtbot, panel, TEXTS)
    panel.sort.setChecked(True)  # cells must map back to texts through the order
    heatmap = w(panel, HeatmapView, "emb.heatmap")
    qtbot.waitExposed(heatmap)
    viewport = heatmap.graphics.viewport()
    where = heatmap.graphics.mapFromScene(heatmap.scene_pos_of(2, 5))
    heatmap.graphics.scene().sigMouseMoved.emit(heatmap.scene_pos_of(2, 5))
    assert TEXTS[2] in heatmap.hover_text and TEXTS[5] in heatmap.hover_text
    assert f"{result.matrix[2, 5]:.4f}" in heatmap.hover_text

    with qtbot.waitSignal(heatmap.sig_cell_clicked, timeout=2_000) as clicked:
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=QPoint(where.x(), where.y()))
    assert clicked.args == [2, 5]
    pair = w(panel, QWidget, "emb.pair")
    assert TEXTS[2] in w(pair, QPlainTextEdit, "emb.pair.first").toPlainText()
    assert TEXTS[5] in w(pair, QPlainTextEdit, "emb.pair.second").toPlainText()
    assert f"{result.matrix[2, 5]:.4f}" in w(pair, QLabel, "emb.pair.score").text()


def test_map_shows_groups_labels_and_hover(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel]
) -> None:
    panel = make_panel()
    example = example_set("cross-lingual-zh-en")
    w(panel, QPlainTextEdit, "emb.texts").setPlainText(example.editor_text())
    result = run(qtbot, panel)
    panel.views.setCurrentIndex(2)
    view = w(panel, MapView, "emb.map")
    qtbot.waitExposed(view)
    assert set(view.scatters) == set(example.groups)
    np.testing.assert_allclose(view.coords(), result.coords)
    assert len(view.label_texts()) == len(example.texts)
    index = 3
    assert view.point_at(view.scene_pos_of(index)) == index
    view.plot_widget.scene().sigMouseMoved.emit(view.scene_pos_of(index))
    assert example.texts[index] in view.hover_text and example.groups[index] in view.hover_text


# -- model, dimensions, examples, import, history ------------------------------------------------


def test_dimensions_are_offered_only_for_models_that_take_them(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    model = w(panel, QComboBox, "emb.model")
    dims = w(panel, QComboBox, "emb.dimensions")
    assert model.currentText() == BGE and not dims.isVisibleTo(panel)
    model.setCurrentText("Qwen/Qwen3-Embedding-4B")
    assert dims.isVisibleTo(panel)
    sizes = [dims.itemData(i) for i in range(dims.count())]
    assert sizes == [None, 64, 128, 256, 512, 768, 1024, 1536, 2048, 2560]
    dims.setCurrentIndex(dims.findData(512))
    result = run(qtbot, panel, TEXTS)
    assert result.vectors.shape == (len(TEXTS), 512) and result.dimensions == 512
    assert {b.get("dimensions") for b in embedding_bodies(sandbox)} == {512}
    model.setCurrentText("Qwen/Qwen3-Embedding-8B")
    assert dims.currentData() == 512  # still offered: kept
    model.setCurrentText(BGE)
    assert not dims.isVisibleTo(panel) and panel.dimensions_value() is None


def test_model_list_comes_from_the_server(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], sandbox: SandboxServer
) -> None:
    from sfdesk.ui.embeddings import models

    models._CACHE.clear()
    panel = make_panel()
    combo = w(panel, QComboBox, "emb.model")
    qtbot.waitUntil(lambda: combo.findText("netease-youdao/bce-embedding-base_v1") >= 0)
    qtbot.waitUntil(lambda: not panel.models.busy)
    listed = {combo.itemText(i) for i in range(combo.count())}
    assert "Qwen/Qwen3-Embedding-8B" in listed and "BAAI/bge-reranker-v2-m3" not in listed
    assert combo.currentText() == BGE
    query = next(e["query"] for e in sandbox.requests() if e["path"] == "/v1/models")
    assert "sub_type=embedding" in query


def test_example_sets_fill_the_editor_with_titles_in_the_ui_language(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], translations: Any
) -> None:
    panel = make_panel()
    combo = w(panel, QComboBox, "emb.examples")
    example = example_set("paraphrases-zh")
    index = combo.findData(example.id)
    assert combo.itemText(index) == example.title_en
    try:
        translations.apply("zh_CN")
        assert combo.itemText(combo.findData(example.id)) == example.title_zh
    finally:
        translations.apply("en")
    combo.activated.emit(index)
    assert w(panel, QPlainTextEdit, "emb.texts").toPlainText() == example.editor_text()
    assert combo.currentIndex() == 0
    assert example.title_en in w(panel, QLabel, "emb.status").text()
    assert "groups: 4" in w(panel, QLabel, "emb.count").text()


def test_import_replaces_the_texts_undoably_and_explains_bad_files(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], tmp_path: Path
) -> None:
    panel = make_panel()
    editor = w(panel, QPlainTextEdit, "emb.texts")
    editor.setPlainText("typed by hand")
    source = tmp_path / "set.csv"
    source.write_text("id,text,label\n1,苹果很好吃,fruit\n2,The bank is closed,finance\n", "utf-8")
    dialog = panel.import_dialog()
    assert dialog.objectName() == "emb.import_dialog" and dialog.isVisible()
    with qtbot.waitSignal(panel.controller.sig_texts_imported, timeout=10_000):
        dialog.fileSelected.emit(str(source))
    dialog.close()
    assert editor.toPlainText() == format_lines(
        ["苹果很好吃", "The bank is closed"], ["fruit", "finance"]
    )
    assert "Imported 2 text(s) from set.csv" in w(panel, QLabel, "emb.status").text()
    editor.undo()
    assert editor.toPlainText() == "typed by hand"

    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "fine"}\n{not json}\n', "utf-8")
    with qtbot.waitSignal(panel.controller.sig_import_failed, timeout=10_000):
        panel.controller.import_file(broken)
    assert "Line 2 of broken.jsonl is not valid JSON" in w(panel, QLabel, "emb.status").text()
    assert editor.toPlainText() == "typed by hand"


# -- run history ---------------------------------------------------------------------------------


def restart(run_async: Any, panel: EmbeddingsPanel) -> None:
    """Close ``panel`` as the app does when it quits (its files closed): the next panel made is
    a new start on the same data dir."""
    for controller in panel.findChildren(Controller):
        run_async(controller.shutdown())
    panel.close()


def listed(qtbot: QtBot, panel: EmbeddingsPanel, count: int) -> QListWidget:
    history = w(panel, QListWidget, "emb.history")
    qtbot.waitUntil(lambda: history.count() == count, timeout=10_000)
    return history


def entry_ids(history: QListWidget) -> list[int]:
    return [history.item(row).data(Qt.ItemDataRole.UserRole) for row in range(history.count())]


def double_click(qtbot: QtBot, panel: EmbeddingsPanel, row: int) -> None:
    panel.views.setCurrentIndex(HISTORY_TAB)
    history = w(panel, QListWidget, "emb.history")
    qtbot.waitExposed(history)
    item = history.item(row)
    history.scrollToItem(item)
    where = history.visualItemRect(item).center()
    # A real double-click starts with a click; QTest's double-click event alone, on an item
    # not yet pressed, is not taken for one.
    QTest.mouseClick(history.viewport(), Qt.MouseButton.LeftButton, pos=where)
    QTest.mouseDClick(history.viewport(), Qt.MouseButton.LeftButton, pos=where)


def test_history_survives_a_restart_and_shows_runs_again_without_a_request(
    qtbot: QtBot,
    make_panel: Callable[..., EmbeddingsPanel],
    sandbox: SandboxServer,
    run_async: Any,
) -> None:
    panel = make_panel()
    w(panel, QComboBox, "emb.model").setCurrentText(QWEN)
    dims = w(panel, QComboBox, "emb.dimensions")
    dims.setCurrentIndex(dims.findData(256))
    first = run(qtbot, panel, [f"[g{i % 3}] {text}" for i, text in enumerate(TEXTS)])
    query = "Where did the cat sit?"
    w(panel, QLineEdit, "emb.query").setText(query)
    with qtbot.waitSignal(panel.controller.sig_query_ranked, timeout=10_000) as ranked:
        w(panel, QPushButton, "emb.query_run").click()
    w(panel, QComboBox, "emb.compare_model").setCurrentText(BGE)
    with qtbot.waitSignal(panel.controller.sig_comparison_finished, timeout=15_000) as compared:
        w(panel, QPushButton, "emb.compare_run").click()
    history = listed(qtbot, panel, 2)  # the comparison is an entry of its own, newest first
    qtbot.waitUntil(lambda: f"query: {query}" in history.item(1).text())
    restart(run_async, panel)

    sandbox.reset()
    fresh = make_panel()
    history = listed(qtbot, fresh, 2)
    assert f"{QWEN} (256) vs {BGE} · texts: {len(TEXTS)}" in history.item(0).text()
    assert f"{QWEN} (256) · texts: {len(TEXTS)} · query: {query}" in history.item(1).text()
    assert TEXTS[0] in history.item(1).toolTip()
    restored: list[Any] = []
    fresh.controller.sig_run_finished.connect(restored.append)
    with qtbot.waitSignal(fresh.controller.sig_query_ranked, timeout=10_000) as ranked_again:
        double_click(qtbot, fresh, 1)
    (again,) = restored
    assert embedding_bodies(sandbox) == []  # every vector came from the cache
    assert again.restored and again.history_id == first.history_id
    assert (again.tokens, again.cached, again.fetched) == (0, len(TEXTS), 0)
    np.testing.assert_allclose(again.matrix, first.matrix, atol=1e-6)
    heatmap = w(fresh, HeatmapView, "emb.heatmap")
    np.testing.assert_allclose(heatmap.matrix(), first.matrix, atol=1e-6)
    assert fresh.text_set().texts == first.texts.texts
    assert fresh.text_set().groups == first.texts.groups and not fresh.is_stale()
    assert fresh.model_name() == QWEN and fresh.dimensions_value() == 256
    assert w(fresh, QLineEdit, "emb.query").text() == query
    assert fresh.views.currentIndex() == QUERY_TAB
    assert ranked_again.args[0].ranking == ranked.args[0].ranking
    assert w(fresh, RankingTable, "emb.ranking").ranked_indices() == [
        i for i, _ in ranked.args[0].ranking
    ]
    restored.clear()
    with qtbot.waitSignal(fresh.controller.sig_comparison_finished, timeout=10_000) as again_cmp:
        double_click(qtbot, fresh, 0)
    assert embedding_bodies(sandbox) == []
    assert fresh.compare_model_name() == BGE and fresh.views.currentIndex() == COMPARE_TAB
    view = w(fresh, CompareView, "emb.compare")
    np.testing.assert_allclose(
        w(view, HeatmapView, "emb.compare_heatmap_b").matrix(), compared.args[0].matrix_b, atol=1e-6
    )
    assert again_cmp.args[0].mean_spearman == pytest.approx(compared.args[0].mean_spearman)
    assert [r.restored for r in restored] == [True]  # model A's run came back with it
    assert entry_ids(history) == entry_ids(listed(qtbot, fresh, 2))  # showing reorders nothing


def test_history_lists_runs_newest_first_and_shows_an_earlier_one(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], sandbox: SandboxServer
) -> None:
    panel = make_panel()
    first = run(qtbot, panel, TEXTS[:4])
    second = run(qtbot, panel, TEXTS[3:])
    history = listed(qtbot, panel, 2)
    assert entry_ids(history) == [second.history_id, first.history_id]
    sandbox.reset()
    with qtbot.waitSignal(panel.controller.sig_run_finished, timeout=10_000) as shown:
        double_click(qtbot, panel, 1)  # the older run
    assert shown.args[0].history_id == first.history_id and embedding_bodies(sandbox) == []
    assert w(panel, QPlainTextEdit, "emb.texts").toPlainText() == "\n".join(TEXTS[:4])
    assert panel.result is shown.args[0] and not panel.is_stale()
    assert panel.views.currentIndex() == HEATMAP_TAB
    np.testing.assert_allclose(
        w(panel, HeatmapView, "emb.heatmap").matrix(), first.matrix, atol=1e-6
    )
    status = w(panel, QLabel, "emb.status").text()
    assert status.startswith("From the history") and "Tokens: 0" in status
    assert history.count() == 2  # showing a run again adds no entry


def test_deleting_runs_from_the_history(
    qtbot: QtBot,
    make_panel: Callable[..., EmbeddingsPanel],
    run_async: Any,
) -> None:
    panel = make_panel()
    results = [run(qtbot, panel, TEXTS[k : k + 3]) for k in range(4)]
    history = listed(qtbot, panel, 4)
    delete = panel.history_view.delete_action
    assert delete.objectName() == "emb.history.delete" and delete in history.actions()
    assert history.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert not delete.isEnabled()  # nothing selected
    panel.views.setCurrentIndex(HISTORY_TAB)
    history.item(0).setSelected(True)
    history.item(3).setSelected(True)
    assert delete.isEnabled() and not panel.history_view.open_action.isEnabled()
    panel.activateWindow()
    history.setFocus()
    qtbot.waitUntil(history.hasFocus)  # shortcuts act in the focused window only
    QTest.keyClick(history, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: history.count() == 2, timeout=10_000)
    assert entry_ids(history) == [results[2].history_id, results[1].history_id]

    restart(run_async, panel)
    fresh = make_panel()  # lists the history in the background; a delete meanwhile is kept
    assert fresh.controller.is_running(HISTORY)
    fresh.controller.delete_runs([results[1].history_id])
    history = listed(qtbot, fresh, 1)
    assert entry_ids(history) == [results[2].history_id]
    history.item(0).setSelected(True)
    fresh.history_view.delete_action.trigger()  # as from the context menu
    listed(qtbot, fresh, 0)
    with EmbeddingRunStore() as store:
        assert store.count() == 0


def test_the_history_keeps_the_last_100_runs(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel]
) -> None:
    with EmbeddingRunStore() as store:  # the file the panel uses, in the test's data dir
        for i in range(DEFAULT_MAX_RUNS):
            store.add(model=BGE, dimensions=None, texts=[f"earlier text {i}"], tokens=3)
        oldest, *_ = (r.id for r in reversed(store.runs()))
    panel = make_panel()
    history = listed(qtbot, panel, DEFAULT_MAX_RUNS)
    assert oldest in entry_ids(history)
    result = run(qtbot, panel, TEXTS)
    qtbot.waitUntil(lambda: entry_ids(history)[0] == result.history_id, timeout=10_000)
    assert history.count() == DEFAULT_MAX_RUNS and oldest not in entry_ids(history)
    assert "100" in w(panel, QLabel, "emb.history_hint").text()


def test_showing_a_run_again_fetches_only_what_the_cache_lacks(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], sandbox: SandboxServer, run_async: Any
) -> None:
    with EmbeddingRunStore() as store:  # e.g. vectors evicted from the cache since
        saved = store.add(model=BGE, dimensions=None, texts=TEXTS, tokens=40)
    panel = make_panel()
    run(qtbot, panel, TEXTS[:5])
    listed(qtbot, panel, 2)
    sandbox.reset()
    with qtbot.waitSignal(panel.controller.sig_run_finished, timeout=10_000) as shown:
        panel.restore(saved.id)
    assert sorted(embedding_inputs(sandbox)) == sorted(TEXTS[5:])
    assert (shown.args[0].cached, shown.args[0].fetched) == (5, 2)
    reference = cosine_reference(fetch_vectors(run_async, sandbox, TEXTS, BGE))
    np.testing.assert_allclose(shown.args[0].matrix, reference, atol=1e-5)


def test_a_run_deleted_elsewhere_is_explained(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], sandbox: SandboxServer
) -> None:
    with EmbeddingRunStore() as store:
        saved = store.add(model=BGE, dimensions=None, texts=TEXTS)
    panel = make_panel()
    listed(qtbot, panel, 1)
    with EmbeddingRunStore() as store:  # another sfdesk window
        store.delete([saved.id])
    with qtbot.waitSignal(panel.controller.sig_history_missing, timeout=10_000):
        double_click(qtbot, panel, 0)
    assert "no longer in the history" in w(panel, QLabel, "emb.status").text()
    listed(qtbot, panel, 0)
    assert embedding_bodies(sandbox) == []


def test_a_history_that_cannot_be_opened_only_costs_the_history(
    qtbot: QtBot,
    make_panel: Callable[..., EmbeddingsPanel],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the history's folder should be")
    monkeypatch.setattr(
        controller_module.EmbeddingsController,
        "__init__",
        _with_paths(history_path=blocker / "embeddings.sqlite3"),
    )
    panel = make_panel()
    result = run(qtbot, panel, TEXTS)
    assert result.history_id is None and result.matrix.shape == (len(TEXTS), len(TEXTS))
    hint = w(panel, QLabel, "emb.history_hint")
    qtbot.waitUntil(lambda: "could not be opened" in hint.text(), timeout=10_000)
    assert panel.history is None and w(panel, QListWidget, "emb.history").count() == 0


def test_a_cache_that_cannot_be_opened_only_costs_refetches(
    qtbot: QtBot,
    make_panel: Callable[..., EmbeddingsPanel],
    sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache's folder should be")
    monkeypatch.setattr(
        controller_module.EmbeddingsController,
        "__init__",
        _with_cache_path(blocker / "vectors.sqlite3"),
    )
    panel = make_panel()
    run(qtbot, panel, TEXTS)
    second = run(qtbot, panel)
    assert second.cached == 0 and sorted(embedding_inputs(sandbox)) == sorted(TEXTS * 2)


def _with_cache_path(path: Path) -> Callable[..., None]:
    return _with_paths(cache_path=path)


def _with_paths(**paths: Path) -> Callable[..., None]:
    original = controller_module.EmbeddingsController.__init__

    def init(self: Any, client: Any, parent: Any = None, **_: Any) -> None:
        original(self, client, parent, **paths)

    return init


class _Shouting(QTranslator):
    """Translates every string of the panel's classes to upper case (a stand-in language)."""

    CONTEXTS = frozenset(
        {
            "EmbeddingsPanel",
            "StatusLine",
            "TextsEditor",
            "HeatmapView",
            "MapView",
            "CompareView",
            "PairPane",
            "RankingTable",
        }
    )

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        if context in self.CONTEXTS:
            return source.upper()  # placeholders (%1) survive upper-casing
        return None

    def isEmpty(self) -> bool:
        return False


def test_a_language_switch_rewrites_every_visible_text(
    qtbot: QtBot, make_panel: Callable[..., EmbeddingsPanel], qapp: QApplication
) -> None:
    panel = make_panel()
    result = run(qtbot, panel, TEXTS)
    panel.views.setCurrentIndex(3)
    heatmap = w(panel, HeatmapView, "emb.heatmap")
    translator = _Shouting()
    qapp.installTranslator(translator)
    try:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        assert w(panel, QPushButton, "emb.run").text() == "RUN"
        assert w(panel, QComboBox, "emb.examples").itemText(0) == "EXAMPLE SETS…"
        assert f"TEXTS: {len(TEXTS)}" in w(panel, QLabel, "emb.status").text()
        assert f"TOKENS: {result.tokens}" in w(panel, QLabel, "emb.status").text()
        assert w(panel, QLabel, "emb.count").text().startswith("TEXTS:")
        assert panel.views.tabText(0) == "HEATMAP"
        assert heatmap.colorbar.getAxis("left").labelText == "COSINE SIMILARITY"
        assert w(panel, QLabel, "emb.compare_summary").text().startswith("PICK A SECOND MODEL")
        export_csv = panel.export_button.actions_by_key[exports.MATRIX_CSV]
        assert export_csv.text() == "SIMILARITY MATRIX AS CSV…"
        assert w(panel, QLabel, "emb.pair.score").text().startswith("CLICK A CELL")
    finally:
        qapp.removeTranslator(translator)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    assert w(panel, QPushButton, "emb.run").text() == "Run"
    assert f"Texts: {len(TEXTS)}" in w(panel, QLabel, "emb.status").text()
