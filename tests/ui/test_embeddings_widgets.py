"""The Embeddings panel's parts on their own (no network): labels, what each model takes, the
heatmap's order and ticks, the map's colours, the ranking table, the lazy build in the main
window, and the cache refusing to mix vector widths."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from sfdesk.sandbox import SANDBOX_API_KEY, SandboxServer
from sfdesk.store.vector_cache import VectorCache, default_path
from sfdesk.ui.context import AppContext
from sfdesk.ui.embeddings.heatmap import LABEL_LIMIT, HeatmapView, default_levels
from sfdesk.ui.embeddings.labels import display_width, elide, numbered
from sfdesk.ui.embeddings.map_view import GROUP_COLOURS, MapView
from sfdesk.ui.embeddings.models import dimension_choices, estimate_tokens, max_input_tokens
from sfdesk.ui.embeddings.page import EmbeddingsPage
from sfdesk.ui.embeddings.panel import EmbeddingsPanel
from sfdesk.ui.embeddings.ranking import RankingTable
from sfdesk.ui.main_window import MainWindow
from sfdesk.ui.tasks import Controller

# -- labels and models ---------------------------------------------------------------------------


def test_elide_counts_cjk_as_two_columns() -> None:
    assert elide("short", 10) == "short"
    assert elide("abcdefghijkl", 8) == "abcdefg…"
    cut = elide("今天天气很好，适合散步", 9)
    assert cut == "今天天气…" and display_width(cut) <= 9
    assert numbered(2, "hello world", 7) == "3 · hello…"  # no space before the ellipsis


@pytest.mark.parametrize(
    ("model", "sizes"),
    [
        ("Qwen/Qwen3-Embedding-8B", (64, 128, 256, 512, 768, 1024, 1536, 2048, 2560, 4096)),
        ("Qwen/Qwen3-Embedding-4B", (64, 128, 256, 512, 768, 1024, 1536, 2048, 2560)),
        ("Qwen/Qwen3-Embedding-0.6B", (64, 128, 256, 512, 768, 1024)),
        ("Pro/Qwen/Qwen3-Embedding-8B", (64, 128, 256, 512, 768, 1024, 1536, 2048, 2560, 4096)),
        ("BAAI/bge-m3", ()),
        ("Qwen/Qwen3-Embedding-8B-extra", ()),  # a look-alike is not assumed to take it
        ("Qwen/Qwen3-VL-Embedding-8B", ()),
    ],
)
def test_dimensions_follow_the_documented_sizes(model: str, sizes: tuple[int, ...]) -> None:
    assert dimension_choices(model) == sizes


def test_input_limits_and_token_estimate() -> None:
    assert max_input_tokens("BAAI/bge-m3") == max_input_tokens("Pro/BAAI/bge-m3") == 8192
    assert max_input_tokens("BAAI/bge-large-zh-v1.5") == 512
    assert max_input_tokens("Qwen/Qwen3-Embedding-0.6B") == 32768
    assert max_input_tokens("someone/unknown") is None
    assert estimate_tokens("今天天气") == 4
    assert estimate_tokens("abcdefgh") == 2
    assert estimate_tokens("") == 0


# -- heatmap -------------------------------------------------------------------------------------


def _matrix(n: int, seed: int = 0) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((n, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors @ vectors.T).astype(np.float32)


def test_heatmap_draws_in_order_and_reports_cells_in_text_order(qtbot: QtBot) -> None:
    view = HeatmapView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    qtbot.waitExposed(view)
    matrix = _matrix(5)
    texts = [f"text {i}" for i in range(5)]
    order = [4, 2, 0, 1, 3]
    view.set_matrix(matrix, texts, order=order)
    np.testing.assert_array_equal(view.displayed(), matrix[np.ix_(order, order)])
    for i, j in ((0, 0), (4, 1), (2, 3)):
        assert view.cell_at(view.scene_pos_of(i, j)) == (i, j)
    ticks = view.plot.getAxis("left")._tickLevels[0]
    assert [label for _, label in ticks] == [numbered(k, texts[k], 22) for k in order]
    with pytest.raises(ValueError):
        view.set_order([0, 1, 2, 3, 3])
    with pytest.raises(ValueError):
        view.set_matrix(matrix, texts[:4])
    view.clear()
    assert view.count() == 0 and view.displayed().size == 0


def test_heatmap_of_many_texts_numbers_its_ticks_sparsely(qtbot: QtBot) -> None:
    view = HeatmapView()
    qtbot.addWidget(view)
    n = LABEL_LIMIT * 10
    view.set_matrix(_matrix(n), [f"t{i}" for i in range(n)])
    left = view.plot.getAxis("left")._tickLevels[0]
    assert 10 <= len(left) <= 30
    assert all(label.isdigit() for _, label in left)


def test_colour_scale_starts_at_the_lowest_score_rounded_down() -> None:
    assert default_levels(np.array([[1.0, 0.43], [0.43, 1.0]])) == (0.4, 1.0)
    assert default_levels(np.array([[1.0, -0.21]]), np.array([[0.5]])) == (-0.3, 1.0)
    assert default_levels(np.ones((2, 2))) == (0.9, 1.0)  # never an empty scale


# -- map and ranking -----------------------------------------------------------------------------


def test_map_colours_each_group_and_keeps_ungrouped_texts_grey(qtbot: QtBot) -> None:
    view = MapView()
    qtbot.addWidget(view)
    coords = np.arange(24, dtype=np.float64).reshape(12, 2)
    groups = [f"g{i % 3}" for i in range(11)] + [None]
    view.set_points(coords, [f"t{i}" for i in range(12)], groups)
    assert list(view.scatters) == ["g0", "g1", "g2", None]
    colours = {key: s.opts["brush"].color().name() for key, s in view.scatters.items()}
    assert colours["g0"] == GROUP_COLOURS[0] and colours[None] == "#8c8c8c"
    assert len(set(colours.values())) == 4
    members = view.scatters["g1"].data["data"]
    assert sorted(members) == [1, 4, 7, 10]
    view.set_points(coords / 1000, [f"t{i}" for i in range(12)], groups)
    for axis in ("left", "bottom"):  # no meaningless "(x0.001)" after the axis titles
        assert "(x" not in view.plot.getAxis(axis).labelString()
    view.set_points(coords[:2], ["a", "b"], [None, None])
    assert list(view.scatters) == [None]  # old points gone


def test_ranking_table_lists_best_first_with_bars(qtbot: QtBot) -> None:
    table = RankingTable()
    qtbot.addWidget(table)
    table.resize(500, 300)
    table.show()
    table.show_ranking([(2, 0.9), (0, 0.4), (1, -0.1)], ["zero", "one", "two"])
    assert table.ranked_indices() == [2, 0, 1]
    assert table.scores() == pytest.approx([0.9, 0.4, -0.1])
    item = table.item(0, 2)
    assert item is not None and item.text() == "3 · two"
    assert not table.grab().isNull()  # the score delegate paints


# -- in the main window --------------------------------------------------------------------------


@pytest.fixture
def window(make_ctx: Callable[..., AppContext], run_async: Any) -> Iterator[MainWindow]:
    main = MainWindow(make_ctx())
    yield main
    main.close()
    run_async(main.shutdown())
    main.deleteLater()


def test_main_window_builds_the_panel_and_its_heavy_views_lazily(
    qtbot: QtBot, window: MainWindow
) -> None:
    page = window.page("embeddings")
    assert isinstance(page, EmbeddingsPage) and page.objectName() == "tab.embeddings"
    assert page.accessibleName() == "Embeddings similarity"
    window.tabs.setCurrentIndex(0)
    window.show()
    assert not page.built  # not opened yet: nothing of the panel exists
    window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.built)
    panel = page.panel()
    assert isinstance(panel, EmbeddingsPanel) and panel.isVisible()
    qtbot.waitUntil(lambda: panel.heatmap is not None)
    assert window.findChild(QWidget, "emb.heatmap") is panel.heatmap
    assert panel.controller in window.controllers()  # shut down with the window


def test_the_panel_can_be_built_without_showing_the_tab(window: MainWindow) -> None:
    page = window.page("embeddings")
    assert isinstance(page, EmbeddingsPage)
    panel = page.panel()
    assert page.panel() is panel and panel.heatmap is None  # views still wait for a show
    assert window.findChild(QWidget, "emb.texts") is not None


# -- the cache never mixes widths ----------------------------------------------------------------


@pytest.fixture
def panel(
    make_ctx: Callable[..., AppContext], sandbox: SandboxServer, run_async: Any
) -> Iterator[EmbeddingsPanel]:
    ctx = make_ctx(base_url=sandbox.base_url, api_key=SANDBOX_API_KEY, sandbox=True)
    embeddings = EmbeddingsPanel(ctx)
    embeddings.show()
    yield embeddings
    for controller in embeddings.findChildren(Controller):
        run_async(controller.shutdown())
    embeddings.deleteLater()


def test_cached_vectors_of_another_width_are_dropped_and_refetched(
    qtbot: QtBot, panel: EmbeddingsPanel, sandbox: SandboxServer
) -> None:
    texts = ["first text", "second text", "third text"]
    with VectorCache(default_path()) as cache:  # as a model that changed its size left it
        cache.put_many("BAAI/bge-m3", None, texts[:1], np.ones((1, 8), dtype=np.float32))
    panel.texts.setPlainText("\n".join(texts))
    with qtbot.waitSignal(panel.controller.sig_run_finished, timeout=10_000) as finished:
        panel.run()
    result = finished.args[0]
    assert result.vectors.shape == (3, 1024) and result.cached == 0
    sent = [
        text
        for entry in sandbox.requests()
        if entry["path"] == "/v1/embeddings"
        for text in entry["body"]["input"]
    ]
    assert sent.count("first text") == 1 and sorted(set(sent)) == sorted(texts)
    with VectorCache(default_path()) as cache:
        assert cache.width("BAAI/bge-m3", None) == 1024
