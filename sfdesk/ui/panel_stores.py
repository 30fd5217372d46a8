"""The store files the panels' controllers work with, and the vector fetch two of them share.

- :class:`BackgroundStore`: a store file (the vector cache, a run history) opened once, in a
  worker thread, on first use; every call on it runs in a worker thread too. A file that cannot
  be opened or used is logged and the work goes on without it (no cache: everything is fetched;
  no history: runs are not recorded), so it never fails a run.
- :class:`HistoryList`: a controller's history (or gallery) slot: deletes asked for, then the
  list, in one task that later requests join instead of replacing (replacing could cancel a
  delete before it reached its worker thread).
- :func:`embed_cached`: vectors for texts, from the cache first, fetching only the rest and
  storing them as they arrive.

numpy and the store modules are imported inside the functions: the panels' modules are imported
with the main window, and numpy would slow the app's start.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sfdesk.api import SiliconFlowClient
from sfdesk.ui.tasks import Controller

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from sfdesk.store.vector_cache import VectorCache

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Texts handed to the client per call. The client batches each call itself (≤ 32 per request,
#: a few in flight); chunking above it lets the cache store each chunk as it arrives, so a
#: cancelled or failed run keeps what it already paid for.
FETCH_CHUNK = 256


def _store_errors() -> tuple[type[BaseException], ...]:
    from sfdesk.store.db import StoreError

    return (sqlite3.Error, OSError, StoreError, ValueError)


class BackgroundStore(Generic[T]):
    """``open_store()`` run once in a worker thread; None (logged) when it cannot be opened."""

    def __init__(self, open_store: Callable[[], T], what: str) -> None:
        self._open_store = open_store
        self._what = what
        self._opening: asyncio.Future[T | None] | None = None

    def _open(self) -> T | None:
        try:
            return self._open_store()
        except _store_errors() as exc:
            log.warning("%s unavailable: %s", self._what, exc)
            return None

    async def get(self) -> T | None:
        if self._opening is None:
            self._opening = asyncio.get_running_loop().run_in_executor(None, self._open)
        # A future, not a task, and shielded: opening must not be cancelled halfway with the
        # run that asked first, and every later caller awaits the same one.
        return await asyncio.shield(self._opening)

    async def call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``method(*args, **kwargs)`` in a worker thread; a failure is logged and yields None."""
        try:
            return await asyncio.to_thread(method, *args, **kwargs)
        except _store_errors() as exc:
            log.warning("%s: %s failed: %s", self._what, getattr(method, "__name__", method), exc)
            return None

    async def close(self) -> None:
        opening, self._opening = self._opening, None
        if opening is None:
            return
        store = await opening
        close = getattr(store, "close", None)
        if close is not None:
            await asyncio.to_thread(close)


class HistoryList:
    """Deleting history entries and listing the history, in one coalescing task of ``slot``."""

    def __init__(
        self,
        controller: Controller,
        slot: str,
        store: BackgroundStore[Any],
        on_listed: Callable[[list[Any] | None], None],
        *,
        listing: str = "runs",
    ) -> None:
        self._controller = controller
        self._slot = slot
        self._store = store
        self._on_listed = on_listed
        #: The store's method that lists it (``runs`` for run histories, ``entries`` for the
        #: gallery and the transcripts).
        self._listing = listing
        self._doomed: set[int] = set()
        self._again = False

    def sync(self) -> asyncio.Task[Any]:
        """List the history (after the deletes asked for); joins the task already running.

        Tasks that change the history list it through here rather than themselves, so that they
        end with their result: the panel takes a slot's end as "done" (buttons, progress bar),
        and the listing is not part of that.
        """
        running = self._controller.task(self._slot)
        if running is not None:
            self._again = True
            return running
        return self._controller.start(self._slot, self._rounds())

    def delete(self, run_ids: Sequence[int]) -> asyncio.Task[Any]:
        self._doomed.update(run_ids)
        return self.sync()

    async def _rounds(self) -> None:
        store = await self._store.get()
        runs = None
        while True:
            self._again = False
            doomed = list(self._doomed)
            if store is not None:
                if doomed:
                    await self._store.call(store.delete, doomed)
                runs = await self._store.call(getattr(store, self._listing))
            self._doomed.difference_update(doomed)
            if not self._again:
                break
        self._on_listed(runs)


@dataclass(frozen=True, eq=False)
class Fetched:
    """Vectors for a list of texts, and where they came from."""

    vectors: npt.NDArray[np.float32]  # n × d, rows in text order
    tokens: int  # billed for the texts sent (0 when everything came from the cache)
    cached: int  # distinct texts taken from the cache
    fetched: int  # distinct texts sent to the API


async def embed_cached(
    client: SiliconFlowClient,
    cache: BackgroundStore[VectorCache],
    model: str,
    dimensions: int | None,
    texts: Sequence[str],
    on_progress: Callable[[int, int], None] | None = None,
) -> Fetched:
    """Vectors of ``texts`` (rows in order): the cache's, and the API's for the rest.

    ``on_progress(done, total)`` counts the distinct texts fetched out of those not cached.
    """
    from sfdesk.store.vector_cache import MixedDimensionsError, assemble, missing_texts

    store = await cache.get()
    cached: dict[int, Any] = {}
    if store is not None:
        cached = await cache.call(store.get_many, model, dimensions, texts) or {}
    todo = missing_texts(texts, cached)
    fetched, tokens = await _fetch(client, cache, model, dimensions, todo, on_progress)
    try:
        vectors = assemble(texts, cached, todo, fetched)
    except MixedDimensionsError:
        # Cached vectors of another width than today's answer: the model behind the name
        # changed. Forget them all and fetch every text again rather than mix the two.
        log.warning("cached vectors of %s no longer match its width; refetching", model)
        if store is not None:
            await cache.call(store.forget, model, dimensions)
        cached = {}
        todo = list(dict.fromkeys(texts))
        fetched, more = await _fetch(client, cache, model, dimensions, todo, on_progress)
        tokens += more
        vectors = assemble(texts, cached, todo, fetched)
    from_cache = len({texts[index] for index in cached})
    return Fetched(vectors, tokens=tokens, cached=from_cache, fetched=len(todo))


async def _fetch(
    client: SiliconFlowClient,
    cache: BackgroundStore[VectorCache],
    model: str,
    dimensions: int | None,
    todo: Sequence[str],
    on_progress: Callable[[int, int], None] | None,
) -> tuple[npt.NDArray[np.float32], int]:
    import numpy as np

    total = len(todo)
    if on_progress is not None:
        on_progress(0, total)
    store = await cache.get() if todo else None
    parts: list[npt.NDArray[np.float32]] = []
    tokens = 0
    for start in range(0, total, FETCH_CHUNK):
        chunk = list(todo[start : start + FETCH_CHUNK])

        def progress(done: int, _total: int, base: int = start) -> None:
            if on_progress is not None:
                on_progress(base + done, total)

        result = await client.embeddings.create(
            model=model, input=chunk, dimensions=dimensions, on_progress=progress
        )
        if result.usage is not None:
            tokens += result.usage.total_tokens
        parts.append(result.vectors)
        if store is not None:
            await cache.call(store.put_many, model, dimensions, chunk, result.vectors)
    if not parts:
        return np.zeros((0, 0), dtype=np.float32), 0
    return np.vstack(parts), tokens
