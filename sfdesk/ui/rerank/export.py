"""What each of the Rerank panel's exports writes, and under which name and filter it is offered.

The file formats are :mod:`sfdesk.core.rerank_export`'s; this module turns a run's results (and
the agreement rows on screen) into its plain records. :func:`payload` returns a function to run
in a worker thread: it only touches immutable data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sfdesk.core.rank_agreement import PairAgreement
from sfdesk.core.rerank_export import ExportColumn, to_csv, to_json
from sfdesk.ui.export_button import ExportKind
from sfdesk.ui.i18n import QT_TRANSLATE_NOOP
from sfdesk.ui.rerank.controller import ColumnResult, RunResult, error_record

CSV = "csv"
JSON = "json"


KINDS: tuple[ExportKind, ...] = (
    ExportKind(
        CSV,
        QT_TRANSLATE_NOOP("RerankPanel", "Rankings as CSV…"),
        QT_TRANSLATE_NOOP("RerankPanel", "CSV (*.csv)"),
        "csv",
        "rerank",
    ),
    ExportKind(
        JSON,
        QT_TRANSLATE_NOOP("RerankPanel", "Everything as JSON…"),
        QT_TRANSLATE_NOOP("RerankPanel", "JSON (*.json)"),
        "json",
        "rerank",
    ),
)
BY_KEY = {kind.key: kind for kind in KINDS}


def export_column(column: ColumnResult) -> ExportColumn:
    return ExportColumn(
        model=column.model,
        kind=column.kind,
        ranking=column.ranking,
        seconds=column.seconds,
        tokens=column.tokens,
        trace_id=column.trace_id,
        error=error_record(column.error),
        parameters=dict(column.options),
    )


def payload(
    kind: str, result: RunResult, agreement: Sequence[PairAgreement] = ()
) -> Callable[[], bytes]:
    """A function that builds the bytes of export ``kind`` of ``result`` (for a worker thread)."""
    documents = list(result.request.documents)
    columns = [export_column(column) for column in result.columns]
    if kind == CSV:
        return lambda: to_csv(documents, columns)
    if kind == JSON:
        pairs = list(agreement)
        created = result.finished_at.isoformat(timespec="seconds")
        return lambda: to_json(
            query=result.request.query,
            documents=documents,
            columns=columns,
            agreement=pairs,
            instruction=result.request.params.instruction,
            created_at=created,
        )
    raise KeyError(kind)
