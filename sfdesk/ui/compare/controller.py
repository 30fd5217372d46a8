"""The compare workbench's controller: one input through up to four columns, row by row.

A run is one task in the ``run`` slot. For each row of variable values (or the single row of a
run without variables) it fills the ``{{name}}`` placeholders of every column's system prompt and
of the user prompt, then streams all columns at once — one child task per column — and reports
each column's text as it arrives (``sig_cell_delta``) and its figures when it ends
(``sig_cell_finished``): time to first token, tokens per second, tokens, finish reason. A column
that fails keeps its error in its own cell; the others go on. Rows run one after another, so a
demo reads row by row and the account's rate limit sees at most four streams at a time.

The presets store (:class:`~sfdesk.store.presets.PresetStore`) is opened on first use in a worker
thread; the panel's dialog lists, saves and diffs through :meth:`CompareController.presets`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from sfdesk.api import ApiError, ChatDelta, ChatFinished, SiliconFlowClient
from sfdesk.ui.panel_stores import BackgroundStore
from sfdesk.ui.tasks import Controller

if TYPE_CHECKING:
    from sfdesk.store.presets import PresetStore

log = logging.getLogger(__name__)

RUN = "run"
EXPORT = "export"
MAX_COLUMNS = 4


@dataclass(frozen=True)
class ColumnSpec:
    """What one column sends: a model, its system prompt and parameters, and a label."""

    model: str
    system_prompt: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    variant: str = ""

    def label(self) -> str:
        return f"{self.model} · {self.variant}" if self.variant else self.model


@dataclass(frozen=True)
class CompareRequest:
    columns: tuple[ColumnSpec, ...]
    user_prompt: str
    #: One dict of values per row; empty for a run without variables (one row).
    rows: tuple[Mapping[str, str], ...] = ()

    def row_values(self) -> list[Mapping[str, str]]:
        return list(self.rows) or [{}]

    def messages(self, column: ColumnSpec, values: Mapping[str, str]) -> list[dict[str, str]]:
        """The messages one cell sends (placeholders filled; raises MissingValues)."""
        from sfdesk.core.prompt_vars import fill

        messages = []
        system = fill(column.system_prompt, values).strip()
        if system:
            messages.append({"role": "system", "content": system})
        messages.append({"role": "user", "content": fill(self.user_prompt, values)})
        return messages


@dataclass(frozen=True, eq=False)
class CellResult:
    row: int
    column: int
    text: str
    reasoning: str = ""
    ttft_seconds: float | None = None
    tokens_per_second: float | None = None
    completion_tokens: int | None = None
    finish_reason: str | None = None
    error: BaseException | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


class CompareController(Controller):
    """Owns the workbench's run and the presets store; reports through signals."""

    sig_run_started = Signal(object)  # CompareRequest
    sig_row_started = Signal(int)  # row index
    sig_cell_delta = Signal(int, int, str, str)  # row, column, new text, new reasoning
    sig_cell_finished = Signal(object)  # CellResult
    sig_run_finished = Signal(object)  # list[CellResult]
    sig_export_written = Signal(str)
    sig_export_failed = Signal(str, object)

    def __init__(
        self,
        client: SiliconFlowClient,
        parent: QObject | None = None,
        *,
        presets_path: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self.presets: BackgroundStore[PresetStore] = BackgroundStore(
            lambda: _open_presets(presets_path), "prompt presets (not kept)"
        )

    def run(self, request: CompareRequest) -> asyncio.Task[None]:
        task = self.start(RUN, self._run(request))
        self.sig_run_started.emit(request)
        return task

    def stop(self) -> None:
        self.cancel(RUN)

    def running(self) -> bool:
        return self.is_running(RUN)

    async def _run(self, request: CompareRequest) -> None:
        owner = asyncio.current_task()
        results: list[CellResult] = []
        for row, values in enumerate(request.row_values()):
            self.sig_row_started.emit(row)
            cells = await asyncio.gather(
                *(
                    self._cell(owner, request, row, position, column, values)
                    for position, column in enumerate(request.columns)
                )
            )
            results.extend(cells)
        self.sig_run_finished.emit(results)

    async def _cell(
        self,
        owner: asyncio.Task[Any] | None,
        request: CompareRequest,
        row: int,
        position: int,
        column: ColumnSpec,
        values: Mapping[str, str],
    ) -> CellResult:
        started = time.monotonic()
        first: float | None = None
        text: list[str] = []
        reasoning: list[str] = []
        finished: ChatFinished | None = None
        try:
            messages = request.messages(column, values)
            async with self._client.chat.stream(
                model=column.model, messages=messages, **dict(column.params)
            ) as stream:
                async for event in stream:
                    if isinstance(event, ChatDelta):
                        if first is None and (event.content or event.reasoning):
                            first = time.monotonic()
                        text.append(event.content)
                        reasoning.append(event.reasoning)
                        if self.task(RUN) is owner and (event.content or event.reasoning):
                            self.sig_cell_delta.emit(row, position, event.content, event.reasoning)
                    elif isinstance(event, ChatFinished):
                        finished = event
        except (ApiError, ValueError) as exc:  # ValueError: MissingValues (checked earlier too)
            result = CellResult(
                row,
                position,
                "".join(text),
                "".join(reasoning),
                error=exc,
                seconds=time.monotonic() - started,
            )
        else:
            ended = time.monotonic()
            tokens = (
                finished.usage.completion_tokens
                if finished is not None and finished.usage is not None
                else None
            )
            rate = None
            if tokens and first is not None and ended > first:
                rate = tokens / (ended - first)
            result = CellResult(
                row,
                position,
                "".join(text),
                "".join(reasoning),
                ttft_seconds=None if first is None else first - started,
                tokens_per_second=rate,
                completion_tokens=tokens,
                finish_reason=None if finished is None else finished.finish_reason,
                seconds=ended - started,
            )
        if result.error is not None:
            log.info("compare cell %d/%d (%s): %s", row, position, column.model, result.error)
        if self.task(RUN) is owner:
            self.sig_cell_finished.emit(result)
        return result

    # -- presets and files --------------------------------------------------------------------

    async def call_presets(self, method_name: str, *args: Any, **kwargs: Any) -> Any:
        """``PresetStore.<method_name>(...)`` in a worker thread; None if the store is gone."""
        store = await self.presets.get()
        if store is None:
            return None
        return await self.presets.call(getattr(store, method_name), *args, **kwargs)

    def export(self, path: Path, data: bytes) -> asyncio.Task[None]:
        return self.start(EXPORT, self._export(path, data))

    async def _export(self, path: Path, data: bytes) -> None:
        from sfdesk.core.embedding_export import write_file

        try:
            await asyncio.to_thread(write_file, path, data)
        except OSError as exc:
            self.sig_export_failed.emit(str(path), exc)
            return
        self.sig_export_written.emit(str(path))

    async def shutdown(self, grace: float = 5.0) -> None:
        await super().shutdown(grace)
        await self.presets.close()


def _open_presets(path: Path | None) -> PresetStore:
    from sfdesk.store.presets import PresetStore

    return PresetStore(path)
