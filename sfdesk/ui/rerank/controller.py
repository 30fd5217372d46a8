"""The Rerank panel's controller: concurrent runs, the embedding baseline, the run history, file
import and export.

Every piece of work is a task in a named slot (see :mod:`sfdesk.ui.tasks`): ``run`` asks every
chosen reranker at once — one child task per model, plus one for the cosine baseline — and each
column is reported by ``sig_column_finished`` as soon as its own answer (or failure) arrives. A
failure stays in its column: the run goes on and the other columns complete. ``restore`` shows a
run of the history again, ``history`` lists or deletes entries, ``import`` reads a file of
documents, ``export`` writes one.

The baseline embeds the query and the documents with the chosen embedding model and ranks the
documents by cosine similarity to the query. Its vectors go through the Embeddings panel's
:class:`~sfdesk.store.vector_cache.VectorCache` (``data_dir()/vectors.sqlite3``): the same text
and model are never fetched twice, by either panel.

Every run with at least one answer is recorded whole (rankings included) in the
:class:`~sfdesk.store.rerank_runs.RerankRunStore` at ``data_dir()/rerank.sqlite3``, so showing it
again sends nothing. Both files are opened on first use, in worker threads, like every other disk
access and the cosine arithmetic; a cache or history that cannot be opened only costs refetches
or the history.

numpy, the cache and :mod:`sfdesk.core.similarity` are imported inside the coroutines: this module
is imported when the panel is built, and numpy would slow that down for nothing until a baseline
is asked for.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from sfdesk.api import ApiError, ProtocolError, SiliconFlowClient
from sfdesk.core.rerank_export import BASELINE, RERANKER
from sfdesk.core.rerank_sets import load_documents
from sfdesk.core.text_sets import TextSetError
from sfdesk.ui.panel_stores import BackgroundStore, HistoryList, embed_cached
from sfdesk.ui.rerank.models import RerankParams, request_options
from sfdesk.ui.tasks import Controller

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from sfdesk.store.rerank_runs import RerankRunRecord, RerankRunStore, StoredColumn
    from sfdesk.store.vector_cache import VectorCache

log = logging.getLogger(__name__)

RUN = "run"
RESTORE = "restore"
HISTORY = "history"
IMPORT = "import"
EXPORT = "export"


@dataclass(frozen=True)
class RunRequest:
    """What one run compares: the rerankers in column order, then the baseline if any."""

    query: str
    documents: tuple[str, ...]
    models: tuple[str, ...]
    params: RerankParams = field(default_factory=RerankParams)
    #: The embedding model of the cosine baseline; None for no baseline column.
    baseline_model: str | None = None

    def columns(self) -> list[tuple[str, str]]:
        """``(model, kind)`` of each column, in order."""
        columns = [(model, RERANKER) for model in self.models]
        if self.baseline_model:
            columns.append((self.baseline_model, BASELINE))
        return columns


@dataclass(frozen=True, eq=False)
class ColumnResult:
    """One column's outcome: a ranking, or the error that stopped it."""

    position: int
    model: str
    kind: str  # RERANKER or BASELINE
    #: ``(document index, score)`` best first (cosine similarity for the baseline); None when
    #: the column failed.
    ranking: tuple[tuple[int, float], ...] | None
    seconds: float | None = None
    tokens: int | None = None
    trace_id: str | None = None
    error: BaseException | None = None
    #: What the model was sent beyond model, query and documents (``request_options``).
    options: dict[str, Any] = field(default_factory=dict)
    #: Documents returned with the scores (``return_documents``), by document index.
    returned: dict[int, str] = field(default_factory=dict)
    #: Baseline only: distinct texts taken from the vector cache.
    cached: int = 0

    @property
    def ok(self) -> bool:
        return self.ranking is not None

    def order(self) -> list[int]:
        return [index for index, _ in self.ranking or ()]


@dataclass(frozen=True, eq=False)
class RunResult:
    request: RunRequest
    columns: tuple[ColumnResult, ...]
    seconds: float
    finished_at: datetime
    #: Its entry in the run history; None when it was not (or could not be) recorded.
    history_id: int | None = None
    #: Shown again from the history (nothing was sent).
    restored: bool = False

    @property
    def baseline(self) -> ColumnResult | None:
        return next((c for c in self.columns if c.kind == BASELINE), None)

    @property
    def tokens(self) -> int:
        return sum(c.tokens or 0 for c in self.columns)

    @property
    def failed(self) -> int:
        return sum(1 for c in self.columns if not c.ok)


class RerankController(Controller):
    """Owns the panel's tasks, the vector cache and the run history; reports through signals."""

    #: A run's columns are about to arrive (RunRequest): the view lays them out as waiting.
    sig_run_started = Signal(object)
    sig_column_finished = Signal(object)  # ColumnResult, as each column completes or fails
    sig_run_finished = Signal(object)  # RunResult, after every column
    sig_documents_imported = Signal(object, str)  # tuple[str, ...], path
    sig_import_failed = Signal(object)  # TextSetError
    sig_export_written = Signal(str)  # path
    sig_export_failed = Signal(str, object)  # path, OSError | ValueError
    #: The history, newest first (list[RerankRunSummary]), after loading and after every
    #: change; None when the history file cannot be opened or read.
    sig_history_listed = Signal(object)
    #: A restore has read its entry (RerankRunRecord); its columns follow as those of a run.
    sig_history_opened = Signal(object)
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
            lambda: _open_cache(cache_path), "vector cache (the baseline fetches every text)"
        )
        self._history: BackgroundStore[RerankRunStore] = BackgroundStore(
            lambda: _open_history(history_path), "rerank history (runs are not recorded)"
        )
        self._history_list = HistoryList(self, HISTORY, self._history, self.sig_history_listed.emit)

    # -- starting work ------------------------------------------------------------------------

    def run(self, request: RunRequest) -> asyncio.Task[None]:
        """Rank ``request.documents`` with every model at once; ``sig_column_finished`` per
        column, then ``sig_run_finished``. Replaces the run (or restore) under way."""
        self.cancel(RESTORE)
        task = self.start(RUN, self._run(request))
        self.sig_run_started.emit(request)
        return task

    def restore(self, run_id: int) -> asyncio.Task[None]:
        """Show history entry ``run_id`` again, as the run it was; sends nothing."""
        self.cancel(RUN)
        return self.start(RESTORE, self._restore(run_id))

    def cancel_run(self) -> None:
        """Cancel the run under way (Cancel, Esc); columns already shown stay."""
        self.cancel(RUN)

    def running(self) -> bool:
        return self.is_running(RUN)

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

    async def shutdown(self, grace: float = 5.0) -> None:
        await super().shutdown(grace)
        await self._cache.close()
        await self._history.close()

    # -- a run --------------------------------------------------------------------------------

    async def _run(self, request: RunRequest) -> None:
        owner = asyncio.current_task()
        started = time.monotonic()
        work: list[Coroutine[Any, Any, ColumnResult]] = []
        for position, (model, kind) in enumerate(request.columns()):
            if kind == BASELINE:
                work.append(self._baseline_column(owner, position, model, request))
            else:
                work.append(self._rerank_column(owner, position, model, request))
        # One task per column; none raises (failures become results), so gather waits for all.
        # Cancelling this task cancels every column still waiting.
        columns = tuple(await asyncio.gather(*work))
        history_id = None
        if any(column.ok for column in columns):
            history_id = await self._record(request, columns)
        self.sig_run_finished.emit(
            RunResult(
                request=request,
                columns=columns,
                seconds=time.monotonic() - started,
                finished_at=datetime.now(),
                history_id=history_id,
            )
        )
        if history_id is not None:
            self._history_list.sync()

    async def _rerank_column(
        self, owner: asyncio.Task[Any] | None, position: int, model: str, request: RunRequest
    ) -> ColumnResult:
        options = request_options(model, request.params)
        started = time.monotonic()
        try:
            reply = await self._client.rerank.create(
                model=model, query=request.query, documents=request.documents, **options
            )
            count = len(request.documents)
            for hit in reply.results:
                if not 0 <= hit.index < count:
                    raise ProtocolError(
                        f"the reply ranks document {hit.index} of {count}", trace_id=reply.trace_id
                    )
        except Exception as exc:
            result = _failed(position, model, RERANKER, exc, started, options)
        else:
            result = ColumnResult(
                position=position,
                model=model,
                kind=RERANKER,
                ranking=tuple((hit.index, hit.relevance_score) for hit in reply.results),
                seconds=time.monotonic() - started,
                tokens=None if reply.usage is None else reply.usage.input_tokens,
                trace_id=reply.trace_id,
                options=options,
                returned={
                    hit.index: hit.document for hit in reply.results if hit.document is not None
                },
            )
        self._report_column(owner, RUN, result)
        return result

    async def _baseline_column(
        self, owner: asyncio.Task[Any] | None, position: int, model: str, request: RunRequest
    ) -> ColumnResult:
        started = time.monotonic()
        try:
            got = await embed_cached(
                self._client, self._cache, model, None, [request.query, *request.documents]
            )
            ranking = await asyncio.to_thread(_cosine_ranking, got.vectors)
        except Exception as exc:
            result = _failed(position, model, BASELINE, exc, started, {})
        else:
            result = ColumnResult(
                position=position,
                model=model,
                kind=BASELINE,
                ranking=ranking,
                seconds=time.monotonic() - started,
                tokens=got.tokens,
                cached=got.cached,
            )
        self._report_column(owner, RUN, result)
        return result

    def _report_column(
        self, owner: asyncio.Task[Any] | None, slot: str, result: ColumnResult
    ) -> None:
        if not result.ok:
            error = result.error
            if isinstance(error, ApiError):
                log.warning("rerank column %s failed: %s", result.model, error)
            else:
                log.error(
                    "rerank column %s raised an unexpected error", result.model, exc_info=error
                )
        # A column finishing after its run was cancelled or replaced belongs to no run on screen.
        if owner is not None and self.task(slot) is owner:
            self.sig_column_finished.emit(result)

    # -- the baseline's vectors: cache first, then the API ------------------------------------

    # -- the history --------------------------------------------------------------------------

    async def _record(self, request: RunRequest, columns: Sequence[ColumnResult]) -> int | None:
        """Add a history entry; its id, or None if the history could not record it."""
        store = await self._history.get()
        if store is None:
            return None
        summary = await self._history.call(
            store.add,
            query=request.query,
            documents=request.documents,
            columns=[_stored(column) for column in columns],
            instruction=request.params.instruction,
            params=request.params.to_json(),
        )
        return None if summary is None else int(summary.id)

    async def _restore(self, run_id: int) -> None:
        store = await self._history.get()
        record: RerankRunRecord | None = None
        if store is not None:
            record = await self._history.call(store.get, run_id)
        if record is None:
            self.sig_history_missing.emit(run_id)
            self._history_list.sync()
            return
        self.sig_history_opened.emit(record)
        request = RunRequest(
            query=record.summary.query,
            documents=record.documents,
            models=record.summary.models,
            params=RerankParams.from_json(record.params),
            baseline_model=record.summary.baseline_model,
        )
        self.sig_run_started.emit(request)
        columns = tuple(_restored(position, c) for position, c in enumerate(record.columns))
        for column in columns:
            self.sig_column_finished.emit(column)
        self.sig_run_finished.emit(
            RunResult(
                request=request,
                columns=columns,
                seconds=sum(c.seconds or 0.0 for c in columns),
                finished_at=datetime.fromtimestamp(record.summary.created_at),
                history_id=record.id,
                restored=True,
            )
        )

    # -- files --------------------------------------------------------------------------------

    async def _import(self, path: Path) -> None:
        try:
            documents = await asyncio.to_thread(load_documents, path)
        except TextSetError as exc:
            # Expected (a file that is not documents), so not a task failure: that would be
            # logged as a bug with its traceback.
            self.sig_import_failed.emit(exc)
            return
        self.sig_documents_imported.emit(documents, str(path))

    async def _export(self, path: Path, make: Callable[[], bytes]) -> None:
        from sfdesk.core.embedding_export import write_file

        try:
            await asyncio.to_thread(lambda: write_file(path, make()))
        except (OSError, ValueError) as exc:
            self.sig_export_failed.emit(str(path), exc)
            return
        self.sig_export_written.emit(str(path))


# -- helpers -------------------------------------------------------------------------------------


def _failed(
    position: int,
    model: str,
    kind: str,
    error: Exception,
    started: float,
    options: dict[str, Any],
) -> ColumnResult:
    return ColumnResult(
        position=position,
        model=model,
        kind=kind,
        ranking=None,
        seconds=time.monotonic() - started,
        trace_id=getattr(error, "trace_id", None),
        error=error,
        options=options,
    )


def _cosine_ranking(vectors: npt.NDArray[np.float32]) -> tuple[tuple[int, float], ...]:
    """The documents (rows 1…) ranked by cosine similarity to the query (row 0)."""
    from sfdesk.core.similarity import rank

    return tuple(rank(vectors[0], vectors[1:]))


def error_record(error: BaseException | None) -> dict[str, Any] | None:
    """What the history and the exports keep of a column's failure (never a traceback)."""
    if error is None:
        return None
    if isinstance(error, ApiError):
        return {
            "reason": error.reason,
            "status": error.status,
            "code": error.code,
            "message": error.message,
            "trace_id": error.trace_id,
        }
    # A bug: the history keeps only its kind (the traceback is in the log).
    return {"reason": "unexpected", "message": type(error).__name__}


def _stored(column: ColumnResult) -> StoredColumn:
    from sfdesk.store.rerank_runs import StoredColumn

    return StoredColumn(
        model=column.model,
        kind=column.kind,
        ranking=column.ranking,
        seconds=column.seconds,
        tokens=column.tokens,
        trace_id=column.trace_id,
        error=error_record(column.error),
        parameters=column.options,
    )


def _restored(position: int, column: StoredColumn) -> ColumnResult:
    error: BaseException | None = None
    if column.ranking is None:
        record = column.error or {}
        status, code = record.get("status"), record.get("code")
        error = ApiError(
            str(record.get("message") or ""),
            status=status if isinstance(status, int) else None,
            code=code if isinstance(code, int) else None,
            trace_id=column.trace_id,
            reason=str(record.get("reason") or "") or None,
        )
    return ColumnResult(
        position=position,
        model=column.model,
        kind=column.kind,
        ranking=column.ranking,
        seconds=column.seconds,
        tokens=column.tokens,
        trace_id=column.trace_id,
        error=error,
        options=dict(column.parameters),
    )


def _open_cache(path: Path | None) -> VectorCache:
    from sfdesk.store.vector_cache import VectorCache

    return VectorCache(path)


def _open_history(path: Path | None) -> RerankRunStore:
    from sfdesk.store.rerank_runs import RerankRunStore

    return RerankRunStore(path)
