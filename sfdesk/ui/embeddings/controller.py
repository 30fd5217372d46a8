"""The Embeddings panel's controller: runs, queries and comparisons, the vector cache, the run
history, progress, cancellation, file import and export.

Every piece of work is a task in a named slot (see :mod:`sfdesk.ui.tasks`): ``run`` embeds the
texts and computes the similarity matrix, its cluster order and the 2-D map; ``query`` ranks the
texts of a finished run against one more text; ``compare`` embeds the same texts with two models
and compares their matrices; ``restore`` shows a run of the history again; ``history`` lists or
deletes runs of the history; ``import`` reads a file of texts; ``export`` writes one.

Vectors go through the :class:`~sfdesk.store.vector_cache.VectorCache` at
``data_dir()/vectors.sqlite3``: only texts it does not hold are sent, each distinct text once, and
what arrives is stored chunk by chunk, so a cancelled or failed run still keeps what was paid for.

Every finished run and comparison is recorded in the
:class:`~sfdesk.store.embedding_runs.EmbeddingRunStore` at ``data_dir()/embeddings.sqlite3``
(texts, groups, models, the last query; not the vectors), and the query ranked last against a run
is added to its entry. Restoring an entry runs it again through the cache, so a run whose vectors
are still cached is shown without any request, after a restart too; then its comparison and its
query, if it had them. ``sig_history_listed`` delivers the list after every change.

Both files are opened on first use; every disk access and all the O(n²) arithmetic run in worker
threads (``asyncio.to_thread``), so the window stays responsive. A cache that cannot be opened or
written only costs refetches, a history that cannot only costs the history: runs go on without
them.

numpy, the cache and :mod:`sfdesk.core.similarity` are imported inside the coroutines, never at
module level: this module is imported with the main window, and numpy would slow the app's start.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from sfdesk.api import SiliconFlowClient
from sfdesk.core.text_sets import TextSet, TextSetError, format_lines, load_file, parse_lines
from sfdesk.ui.panel_stores import BackgroundStore, Fetched, HistoryList, embed_cached
from sfdesk.ui.tasks import Controller

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from sfdesk.core.similarity import Disagreement
    from sfdesk.store.embedding_runs import EmbeddingRunStore, RunRecord
    from sfdesk.store.vector_cache import VectorCache


RUN = "run"
QUERY = "query"
COMPARE = "compare"
RESTORE = "restore"
HISTORY = "history"
IMPORT = "import"
EXPORT = "export"
#: The slots whose work talks to the API (and shows the progress bar).
FETCH_SLOTS = (RUN, QUERY, COMPARE, RESTORE)
#: How many disagreeing pairs a comparison lists.
DISAGREEMENTS = 15


@dataclass(frozen=True, eq=False)
class RunResult:
    """One run: the texts, their vectors, the similarity matrix and what is derived from it."""

    model: str
    dimensions: int | None
    texts: TextSet
    vectors: npt.NDArray[np.float32]
    matrix: npt.NDArray[np.float32]  # n × n cosine similarity, text order
    order: list[int]  # cluster order of the rows (similar texts next to each other)
    coords: npt.NDArray[np.float64]  # n × 2 PCA map
    tokens: int
    cached: int
    fetched: int
    seconds: float
    finished_at: datetime
    #: Its entry in the run history; None when the history could not record it.
    history_id: int | None = None
    #: Shown again from the history (``tokens`` and ``cached`` then describe the restore).
    restored: bool = False


@dataclass(frozen=True, eq=False)
class QueryResult:
    """Every text of ``run`` ranked by similarity to ``query``, best first."""

    query: str
    ranking: list[tuple[int, float]]  # (index into run.texts, cosine similarity)
    run: RunResult
    tokens: int
    cached: bool


@dataclass(frozen=True, eq=False)
class ComparisonResult:
    """Two models on the same texts."""

    texts: TextSet
    model_a: str
    dimensions_a: int | None
    model_b: str
    dimensions_b: int | None
    matrix_a: npt.NDArray[np.float32]
    matrix_b: npt.NDArray[np.float32]
    order: list[int]  # model A's cluster order, used for both heatmaps so cells line up
    spearman: npt.NDArray[np.float64]  # per row; NaN where undefined
    mean_spearman: float | None  # over the rows where it is defined
    pairs: list[Disagreement]
    tokens: int
    seconds: float


class EmbeddingsController(Controller):
    """Owns the panel's tasks and the vector cache; reports through signals."""

    #: (slot, done, total): distinct texts fetched so far out of those not in the cache.
    sig_fetch_progressed = Signal(str, int, int)
    sig_run_finished = Signal(object)  # RunResult
    sig_query_ranked = Signal(object)  # QueryResult
    sig_comparison_finished = Signal(object)  # ComparisonResult
    sig_texts_imported = Signal(object, str)  # TextSet, path
    sig_import_failed = Signal(object)  # TextSetError
    sig_export_written = Signal(str)  # path
    sig_export_failed = Signal(str, object)  # path, OSError | ValueError
    #: The history, newest first (list[RunSummary]), after loading and after every change; None
    #: when the history file cannot be opened or read (runs are then not recorded).
    sig_history_listed = Signal(object)
    #: A restore has read its entry (RunRecord); its results follow as those of a run.
    sig_history_opened = Signal(object)
    #: The entry asked for is no longer in the history (deleted, e.g. by another window).
    sig_history_missing = Signal(int)

    def __init__(
        self,
        client: SiliconFlowClient,
        parent: QObject | None = None,
        *,
        cache_path: Path | None = None,
        history_path: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._cache: BackgroundStore[VectorCache] = BackgroundStore(
            lambda: _open_cache(cache_path), "vector cache (every run fetches all texts)"
        )
        self._history: BackgroundStore[EmbeddingRunStore] = BackgroundStore(
            lambda: _open_history(history_path), "run history (runs are not recorded)"
        )
        self._history_list = HistoryList(self, HISTORY, self._history, self.sig_history_listed.emit)

    # -- starting work ------------------------------------------------------------------------

    def run(self, texts: TextSet, model: str, dimensions: int | None) -> asyncio.Task[None]:
        """Embed ``texts`` and analyse them; ``sig_run_finished`` delivers the result, which is
        recorded in the history."""
        self.cancel(RESTORE)  # both would replace what the panel shows
        return self.start(RUN, self._run(texts, model, dimensions))

    def query(self, query: str, run: RunResult) -> asyncio.Task[None]:
        """Rank the texts of ``run`` by similarity to ``query`` (embedded by the same model)."""
        self.cancel(RESTORE)
        return self.start(QUERY, self._query(query, run))

    def compare(
        self,
        texts: TextSet,
        model_a: str,
        dimensions_a: int | None,
        model_b: str,
        dimensions_b: int | None,
    ) -> asyncio.Task[None]:
        """Embed ``texts`` with both models and compare the two similarity matrices; the
        comparison is recorded in the history."""
        self.cancel(RESTORE)
        return self.start(
            COMPARE, self._compare(texts, model_a, dimensions_a, model_b, dimensions_b)
        )

    def restore(self, run_id: int) -> asyncio.Task[None]:
        """Show history entry ``run_id`` again: ``sig_history_opened``, then the results of its
        run, comparison and query as if they had just been made. Vectors come from the cache;
        only texts it no longer holds are sent. Cancels the work under way."""
        self.cancel_fetches()
        return self.start(RESTORE, self._restore(run_id))

    def load_history(self) -> asyncio.Task[Any]:
        """Read the history; ``sig_history_listed`` delivers it."""
        return self._history_list.sync()

    def delete_runs(self, run_ids: Sequence[int]) -> asyncio.Task[Any]:
        """Delete these history entries, then list the history again."""
        return self._history_list.delete(run_ids)

    def import_file(self, path: Path) -> asyncio.Task[None]:
        return self.start(IMPORT, self._import(path))

    def export(self, path: Path, make: Callable[[], bytes]) -> asyncio.Task[None]:
        """Write ``make()`` to ``path`` atomically; both run in a worker thread."""
        return self.start(EXPORT, self._export(path, make))

    def cancel_fetches(self) -> None:
        """Cancel the run, query and comparison under way (Cancel, Esc)."""
        for slot in FETCH_SLOTS:
            self.cancel(slot)

    def fetching(self) -> bool:
        return any(self.is_running(slot) for slot in FETCH_SLOTS)

    async def shutdown(self, grace: float = 5.0) -> None:
        await super().shutdown(grace)
        await self._cache.close()
        await self._history.close()

    # -- the work -----------------------------------------------------------------------------

    async def _run(self, texts: TextSet, model: str, dimensions: int | None) -> None:
        started = time.monotonic()
        got = await self._embed(RUN, model, dimensions, texts.texts)
        # Recorded while the matrix is computed (two threads), so the result carries its history
        # entry (a later query is added to it) without waiting for the write.
        (matrix, order, coords), history_id = await asyncio.gather(
            asyncio.to_thread(_analyse, got.vectors),
            self._record(model, dimensions, texts, got.tokens),
        )
        self.sig_run_finished.emit(
            _run_result(model, dimensions, texts, got, matrix, order, coords, started, history_id)
        )
        self._history_list.sync()

    async def _query(self, query: str, run: RunResult) -> None:
        result = await self._ranked(QUERY, query, run)
        remembered = await self._remember_query(run.history_id, query)  # only once it worked
        self.sig_query_ranked.emit(result)
        if remembered:
            self._history_list.sync()

    async def _ranked(self, slot: str, query: str, run: RunResult) -> QueryResult:
        from sfdesk.core.similarity import rank

        got = await self._embed(slot, run.model, run.dimensions, [query])
        ranking = await asyncio.to_thread(rank, got.vectors[0], run.vectors)
        return QueryResult(query, ranking, run, tokens=got.tokens, cached=got.cached > 0)

    async def _compare(
        self,
        texts: TextSet,
        model_a: str,
        dimensions_a: int | None,
        model_b: str,
        dimensions_b: int | None,
    ) -> None:
        started = time.monotonic()
        a = await self._embed(COMPARE, model_a, dimensions_a, texts.texts)
        b = await self._embed(COMPARE, model_b, dimensions_b, texts.texts)
        comparison, _ = await asyncio.gather(
            _comparison(texts, (model_a, dimensions_a, a), (model_b, dimensions_b, b), started),
            self._record(
                model_a,
                dimensions_a,
                texts,
                a.tokens + b.tokens,
                compare_model=model_b,
                compare_dimensions=dimensions_b,
            ),
        )
        self.sig_comparison_finished.emit(comparison)
        self._history_list.sync()

    async def _restore(self, run_id: int) -> None:
        store = await self._history.get()
        record: RunRecord | None = None
        if store is not None:
            record = await self._history.call(store.get, run_id)
        if record is None:
            self.sig_history_missing.emit(run_id)
            self._history_list.sync()
            return
        self.sig_history_opened.emit(record)
        entry = record.summary
        # Through the editor's own format, so the texts, groups and duplicates are exactly
        # those the panel's editor now holds (the run is then not "changed since").
        texts = parse_lines(format_lines(record.texts, record.groups))
        started = time.monotonic()
        got = await self._embed(RESTORE, entry.model, entry.dimensions, texts.texts)
        matrix, order, coords = await asyncio.to_thread(_analyse, got.vectors)
        run = _run_result(
            entry.model,
            entry.dimensions,
            texts,
            got,
            matrix,
            order,
            coords,
            started,
            entry.id,
            restored=True,
        )
        self.sig_run_finished.emit(run)
        if entry.compare_model is not None:
            b = await self._embed(
                RESTORE, entry.compare_model, entry.compare_dimensions, texts.texts
            )
            self.sig_comparison_finished.emit(
                await _comparison(
                    texts,
                    (entry.model, entry.dimensions, got),
                    (entry.compare_model, entry.compare_dimensions, b),
                    started,
                )
            )
        if entry.query:
            self.sig_query_ranked.emit(await self._ranked(RESTORE, entry.query, run))

    async def _import(self, path: Path) -> None:
        try:
            text_set = await asyncio.to_thread(load_file, path)
        except TextSetError as exc:
            # Expected (a file that is not texts), so not a task failure: that would be logged
            # as a bug with its traceback.
            self.sig_import_failed.emit(exc)
            return
        self.sig_texts_imported.emit(text_set, str(path))

    async def _export(self, path: Path, make: Callable[[], bytes]) -> None:
        from sfdesk.core.embedding_export import write_file

        try:
            await asyncio.to_thread(lambda: write_file(path, make()))
        except (OSError, ValueError) as exc:
            self.sig_export_failed.emit(str(path), exc)
            return
        self.sig_export_written.emit(str(path))

    # -- the history ---------------------------------------------------------------------------

    async def _record(
        self,
        model: str,
        dimensions: int | None,
        texts: TextSet,
        tokens: int,
        *,
        compare_model: str | None = None,
        compare_dimensions: int | None = None,
    ) -> int | None:
        """Add a history entry; its id, or None if the history could not record it."""
        store = await self._history.get()
        if store is None:
            return None
        summary = await self._history.call(
            store.add,
            model=model,
            dimensions=dimensions,
            texts=texts.texts,
            groups=texts.groups,
            tokens=tokens,
            compare_model=compare_model,
            compare_dimensions=compare_dimensions,
        )
        return None if summary is None else int(summary.id)

    async def _remember_query(self, run_id: int | None, query: str) -> bool:
        """Make ``query`` the last one of history entry ``run_id``; whether it was changed."""
        store = None if run_id is None else await self._history.get()
        if store is None or run_id is None:
            return False
        return bool(await self._history.call(store.set_query, run_id, query))

    # -- vectors: cache first, then the API ---------------------------------------------------

    async def _embed(
        self, slot: str, model: str, dimensions: int | None, texts: Sequence[str]
    ) -> Fetched:
        owner = asyncio.current_task()

        def progress(done: int, total: int) -> None:
            # Progress comes from the client's batch tasks; once this run has been cancelled or
            # replaced, a batch finishing late must not move the bar of the next one.
            if owner is not None and self.task(slot) is owner:
                self.sig_fetch_progressed.emit(slot, done, total)

        return await embed_cached(self._client, self._cache, model, dimensions, texts, progress)


def _open_cache(path: Path | None) -> VectorCache:
    from sfdesk.store.vector_cache import VectorCache

    return VectorCache(path)


def _open_history(path: Path | None) -> EmbeddingRunStore:
    from sfdesk.store.embedding_runs import EmbeddingRunStore

    return EmbeddingRunStore(path)


def _run_result(
    model: str,
    dimensions: int | None,
    texts: TextSet,
    got: Fetched,
    matrix: npt.NDArray[np.float32],
    order: list[int],
    coords: npt.NDArray[np.float64],
    started: float,
    history_id: int | None,
    *,
    restored: bool = False,
) -> RunResult:
    return RunResult(
        model=model,
        dimensions=dimensions,
        texts=texts,
        vectors=got.vectors,
        matrix=matrix,
        order=order,
        coords=coords,
        tokens=got.tokens,
        cached=got.cached,
        fetched=got.fetched,
        seconds=time.monotonic() - started,
        finished_at=datetime.now(),
        history_id=history_id,
        restored=restored,
    )


async def _comparison(
    texts: TextSet,
    a: tuple[str, int | None, Fetched],
    b: tuple[str, int | None, Fetched],
    started: float,
) -> ComparisonResult:
    """Compare two models on ``texts``, given ``(model, dimensions, vectors)`` of each."""
    (model_a, dimensions_a, got_a), (model_b, dimensions_b, got_b) = a, b
    matrix_a, matrix_b, order, rho, mean, pairs = await asyncio.to_thread(
        _compare_vectors, got_a.vectors, got_b.vectors
    )
    return ComparisonResult(
        texts=texts,
        model_a=model_a,
        dimensions_a=dimensions_a,
        model_b=model_b,
        dimensions_b=dimensions_b,
        matrix_a=matrix_a,
        matrix_b=matrix_b,
        order=order,
        spearman=rho,
        mean_spearman=mean,
        pairs=pairs,
        tokens=got_a.tokens + got_b.tokens,
        seconds=time.monotonic() - started,
    )


def _analyse(
    vectors: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.float32], list[int], npt.NDArray[np.float64]]:
    """Matrix, cluster order and PCA map of one run (in a worker thread)."""
    from sfdesk.core.similarity import cluster_order, cosine_matrix, pca_2d

    matrix = cosine_matrix(vectors)
    return matrix, cluster_order(matrix), pca_2d(vectors)


def _compare_vectors(
    a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]
) -> tuple[
    npt.NDArray[np.float32],
    npt.NDArray[np.float32],
    list[int],
    npt.NDArray[np.float64],
    float | None,
    list[Disagreement],
]:
    """Both matrices, A's order, Spearman per row and its mean, the most disagreeing pairs."""
    import numpy as np

    from sfdesk.core.similarity import cluster_order, cosine_matrix, disagreements, spearman_rows

    matrix_a = cosine_matrix(a)
    matrix_b = cosine_matrix(b)
    rho = spearman_rows(matrix_a, matrix_b)
    defined = rho[~np.isnan(rho)]
    mean = float(defined.mean()) if defined.size else None
    pairs = disagreements(matrix_a, matrix_b, DISAGREEMENTS)
    return matrix_a, matrix_b, cluster_order(matrix_a), rho, mean, pairs
