"""A 1,000 × 1,024 similarity matrix and its heatmap, drawn after the vectors arrive (design.md §5).

Target: < 250 ms. The vectors are synthetic but shaped like a real run's: ``--topics`` groups of
texts around random directions (members' cosine ≈ 0.55 within a group, ≈ 0 across), rows shuffled
so the cluster order has work to do; float32, fixed seed. Everything runs in one process built
like the app (``create_application``, the GUI-thread garbage collector, a qasync loop), offscreen,
offline, in a temporary data dir. Each round times, in turn (which goes first rotates):

- baseline: bare numpy (normalise the rows, ``U @ U.T``), then a bare pyqtgraph ``PlotWidget``
  with one ``ImageItem`` (same colour map): ``setImage`` and ``grab()`` (a forced paint) of the
  same matrix, at the size the panel gives its heatmap;
- HeatmapView: what the panel's heatmap does with vectors, on the GUI thread: ``cosine_matrix``,
  ``cluster_order``, ``HeatmapView.set_matrix`` in that order, ``grab()``; and the same in text
  order (no clustering);
- panel: the real ``EmbeddingsPanel`` (shown at 1100 × 720, "Sort by similarity" on), with its
  controller's ``_embed`` answering at once with the vectors, so the time starts when they have
  "arrived": from ``controller.run(...)`` (matrix, cluster order and 2-D map in a worker thread,
  the run recorded in the history meanwhile, the result signal, the heatmap and the map set)
  until the heatmap's viewport has been painted (an event filter sees its first Paint after the
  result, and the time is taken in the loop's next callback, once that paint is over).

Medians of ``--rounds``; the parts are also timed on their own.

    uv run python bench/embeddings_heatmap.py [--texts 1000] [--dims 1024] [--rounds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

DEADLINE_S = 10.0
MODEL = "BAAI/bge-m3"


def make_vectors(
    n: int, dims: int, topics: int, seed: int
) -> tuple[npt.NDArray[np.float32], list[str]]:
    """``n`` vectors in ``topics`` groups (center + noise of the same size per axis · 0.9) and a
    text for each, rows shuffled."""
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((topics, dims))
    topic = np.arange(n) % topics
    vectors = centers[topic] + 0.9 * rng.standard_normal((n, dims))
    shuffle = rng.permutation(n)
    texts = [f"text {i}, topic {topic[row]}" for i, row in enumerate(shuffle)]
    return vectors[shuffle].astype(np.float32), texts


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


# -- the measured process ---------------------------------------------------------------------


def measure(vectors: npt.NDArray[np.float32], texts: list[str], rounds: int) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from sfdesk.app import create_application
    from sfdesk.ui.event_loop import create_event_loop
    from sfdesk.ui.gc_guard import MainThreadGarbageCollector

    app = create_application([sys.argv[0]])
    collector = MainThreadGarbageCollector(app)
    collector.start()
    with asyncio.Runner(loop_factory=lambda: create_event_loop(app)) as runner:
        result = runner.run(measure_rounds(vectors, texts, rounds))
    collector.stop()
    return result


async def measure_rounds(
    vectors: npt.NDArray[np.float32], texts: list[str], rounds: int
) -> dict[str, Any]:
    import pyqtgraph as pg
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    from sfdesk.api import SiliconFlowClient
    from sfdesk.config import Settings
    from sfdesk.core.similarity import cluster_order, cosine_matrix, pca_2d
    from sfdesk.core.text_sets import format_lines, parse_lines
    from sfdesk.memory_keyring import MemoryKeyring
    from sfdesk.secrets import KeyStore
    from sfdesk.ui.context import AppContext
    from sfdesk.ui.embeddings.controller import Fetched, RunResult
    from sfdesk.ui.embeddings.heatmap import COLOR_MAP, HeatmapView, default_levels
    from sfdesk.ui.embeddings.panel import EmbeddingsPanel
    from sfdesk.ui.i18n import Translations
    from sfdesk.ui.theme import ThemeManager

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    loop = asyncio.get_running_loop()
    translations = Translations(app)
    translations.apply("en")
    # Offline: the model list the panel asks for when first shown fails at once, in the
    # background; the vectors never come from the network here.
    client = SiliconFlowClient(api_key="", base_url="http://127.0.0.1:9/v1", max_retries=0)
    ctx = AppContext(
        client=client,
        settings=Settings(),
        keys=KeyStore(backend=MemoryKeyring(persistent=True)),
        translations=translations,
        theme=ThemeManager(app),
    )
    panel = EmbeddingsPanel(ctx)
    panel.resize(1100, 720)
    panel.show()
    panel.sort.setChecked(True)
    text_set = parse_lines(format_lines(texts))
    assert len(text_set) == len(texts)

    async def arrived(
        slot: str, model: str, dimensions: int | None, batch: Sequence[str]
    ) -> Fetched:
        return Fetched(vectors, tokens=0, cached=len(batch), fetched=0)

    panel.controller._embed = arrived  # type: ignore[method-assign]
    await asyncio.sleep(0.5)  # first paint, the model list's failure, idle
    assert panel.heatmap is not None
    size = panel.heatmap.graphics.size()

    view = HeatmapView(name="bench.heatmap")
    view.resize(panel.heatmap.size())
    view.show()
    bare = pg.PlotWidget()
    bare.resize(size)
    image = pg.ImageItem(axisOrder="row-major")
    image.setColorMap(pg.colormap.get(COLOR_MAP))
    bare.addItem(image)
    bare.show()
    await asyncio.sleep(0.2)

    class PaintProbe(QObject):
        """Once armed, resolves ``done`` with the time the next Paint was handled."""

        def __init__(self, done: asyncio.Future[float]) -> None:
            super().__init__()
            self.done = done
            self.armed = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if self.armed and event.type() == QEvent.Type.Paint:
                # The loop's next callback runs once this paint (and its flush) is over.
                loop.call_soon(self._painted)
            return False

        def _painted(self) -> None:
            if not self.done.done():
                self.done.set_result(time.perf_counter())

    async def panel_round() -> float:
        assert panel.heatmap is not None
        viewport: QWidget = panel.heatmap.graphics.viewport()
        done: asyncio.Future[float] = loop.create_future()
        probe = PaintProbe(done)

        # Connected after the panel's own slot, so it runs once the heatmap has its matrix:
        # paints before that (the progress bar appearing resizes the plot) do not count.
        def on_result(_result: RunResult) -> None:
            probe.armed = True

        panel.controller.sig_run_finished.connect(on_result)
        viewport.installEventFilter(probe)
        started = time.perf_counter()
        try:
            panel.controller.run(text_set, MODEL, None)
            ended = await asyncio.wait_for(done, DEADLINE_S)
        finally:
            viewport.removeEventFilter(probe)
            panel.controller.sig_run_finished.disconnect(on_result)
        await asyncio.sleep(0.05)  # the task's end, the progress bar hidden: not the figure
        return (ended - started) * 1000

    def view_round(clustered: bool) -> float:
        def draw() -> None:
            matrix = cosine_matrix(vectors)
            order = cluster_order(matrix) if clustered else None
            view.set_matrix(matrix, texts, order=order)
            view.graphics.grab()

        return timed(draw)

    def baseline_round() -> float:
        def draw() -> None:
            unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
            matrix = unit @ unit.T
            image.setImage(matrix, levels=default_levels(matrix), autoLevels=False)
            bare.grab()

        return timed(draw)

    async def sync(measure_one: Callable[[], float]) -> float:
        return measure_one()

    Round = Callable[[], Coroutine[Any, Any, float]]
    kinds: dict[str, Round] = {
        "baseline": lambda: sync(baseline_round),
        "view": lambda: sync(lambda: view_round(True)),
        "view_text_order": lambda: sync(lambda: view_round(False)),
        "panel": panel_round,
    }
    for kind in kinds.values():  # warm-up: first-use imports, caches, first paints
        await kind()
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for round_ in range(rounds):
        names = list(kinds)
        shift = round_ % len(names)  # each kind goes first in turn
        for name in names[shift:] + names[:shift]:
            gc.collect()
            times[name].append(await kinds[name]())
            await asyncio.sleep(0.02)

    # The parts on their own (GUI thread, except where the panel uses a worker thread).
    matrix = cosine_matrix(vectors)
    order = cluster_order(matrix)
    parts = {
        "cosine_matrix": [timed(lambda: cosine_matrix(vectors)) for _ in range(rounds)],
        "cluster_order": [timed(lambda: cluster_order(matrix)) for _ in range(rounds)],
        "pca_2d (panel's map)": [timed(lambda: pca_2d(vectors)) for _ in range(rounds)],
        "HeatmapView.set_matrix (ordered)": [
            timed(lambda: view.set_matrix(matrix, texts, order=order)) for _ in range(rounds)
        ],
        "HeatmapView grab()": [timed(view.graphics.grab) for _ in range(rounds)],
    }
    result = {
        "times": times,
        "parts": {name: median(values) for name, values in parts.items()},
        "heatmap_size": f"{size.width()} × {size.height()}",
    }
    for widget in (panel, view, bare):
        widget.close()
    await panel.controller.shutdown()
    await panel.models.shutdown()
    await client.aclose()
    return result


# -- the driver -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--texts", type=int, default=1000)
    parser.add_argument("--dims", type=int, default=1024)
    parser.add_argument("--topics", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    vectors, texts = make_vectors(args.texts, args.dims, args.topics, args.seed)
    with tempfile.TemporaryDirectory(prefix="sfdesk-bench-") as tmp:
        os.environ["SFDESK_DATA_DIR"] = tmp  # the run history is written here
        result = measure(vectors, texts, args.rounds)
    report(result, args)


def report(result: dict[str, Any], args: argparse.Namespace) -> None:
    times: dict[str, list[float]] = result["times"]
    print(
        f"{args.texts} × {args.dims} float32 vectors, {args.topics} topics (seed {args.seed});"
        f" heatmap plot {result['heatmap_size']} px; {args.rounds} rounds, medians"
    )
    base = median(times["baseline"])
    rows = (
        ("baseline: numpy normalise + matmul, ImageItem + grab", "baseline"),
        ("HeatmapView: matrix + cluster order + set + grab", "view"),
        ("HeatmapView: matrix + set + grab (text order)", "view_text_order"),
        ("panel: vectors arrived → heatmap painted", "panel"),
    )
    print(f"{'':56}{'ms':>8}{'min':>8}{'max':>8}{'÷ base':>8}")
    for label, key in rows:
        values = times[key]
        print(
            f"{label:56}{median(values):8.1f}{min(values):8.1f}{max(values):8.1f}"
            f"{median(values) / base:8.2f}"
        )
    print("parts on their own:")
    for name, value in result["parts"].items():
        print(f"  {name:54}{value:8.1f}")
    panel = median(times["panel"])
    verdict = "met" if panel < 250 else "NOT met"
    print(f"target: panel < 250 ms: {verdict} ({panel:.0f} ms)")


if __name__ == "__main__":
    main()
