"""Exporting the Compare workbench's results grid: Markdown to read or share, CSV for spreadsheets.

This module owns the two formats; each function returns the file (the UI writes it with
:func:`sfdesk.core.embedding_export.write_file`). The grid is rows (one per row of variable
values, or a single row) × columns (a model with its prompt and parameters); a cell is one
answer, :class:`CompareCell`, keyed by ``(row index, column index)``. A position with no cell
(not run, or stopped before it started) is "missing".

- Markdown: a title, a summary table (rows × columns: tokens per second and finish reason, or
  that the cell failed), then per row a ``## row`` section with a ``### column`` subsection per
  column: a stats line (TTFT, tokens/s, tokens, finish reason), the error as a quote, the
  reasoning in a collapsed ``<details>`` block, and the answer as it came (Markdown stays
  Markdown). The words come from :class:`ExportLabels`, so the UI can pass translated ones.
- CSV (RFC 4180): a header line, then one line per cell in row-major order, missing cells left
  out. UTF-8 *with* a byte-order mark and CRLF line ends (what makes Excel open Chinese text
  correctly); line breaks inside a text are kept inside its quoted cell. Cells Excel would run as
  a formula get a leading apostrophe, and cells are cut to Excel's limit, as in the other exports.

Both take ``hide_models=True`` for blind mode before the reveal: the model names are left out
(the column labels are the UI's, so it passes the letters then).

Pure Python, Qt-free.
"""

from __future__ import annotations

import csv
import html
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

__all__ = ["CSV_COLUMNS", "CompareCell", "ExportLabels", "to_csv", "to_markdown"]

#: The CSV header, in order.
CSV_COLUMNS: Final = (
    "row",
    "column",
    "model",
    "variant",
    "ttft_seconds",
    "tokens_per_second",
    "completion_tokens",
    "finish_reason",
    "error",
    "text",
    "reasoning",
)
#: Excel cannot hold more characters in a cell; longer texts are cut to this (the Markdown export
#: keeps them whole).
EXCEL_CELL_LIMIT: Final = 32_767
# Cells Excel and LibreOffice would evaluate as a formula (OWASP "CSV injection"); answers often
# start with "- " (a Markdown list), which Excel would otherwise show as #NAME?.
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
# A code fence line (any indentation: models put fences inside list items) and its closing line.
_FENCE_RE: Final = re.compile(r"[ \t]*(`{3,}|~{3,})(.*)")
_PLACEHOLDER: Final = "{value}"


@dataclass(frozen=True, slots=True)
class CompareCell:
    """One answer of the grid: its text and how it went."""

    text: str
    model: str
    variant: str  # the column's prompt/parameter variant as the UI names it ("" if none)
    ttft_seconds: float | None
    tokens_per_second: float | None
    completion_tokens: int | None
    finish_reason: str | None
    #: What went wrong, in the user's words (the text may then be a partial answer).
    error: str | None = None
    reasoning: str = ""


@dataclass(frozen=True, slots=True)
class ExportLabels:
    """The words of the Markdown export. Templates hold ``{value}`` where the value goes (it is
    replaced as text, so a translation with other braces in it is safe)."""

    title: str = "Compare results"
    ttft: str = "TTFT {value} s"
    tokens_per_second: str = "{value} tok/s"
    tokens: str = "{value} tokens"
    finish_reason: str = "finish: {value}"
    model: str = "model: {value}"
    variant: str = "variant: {value}"
    error: str = "Error"  # before the quoted error message, and in the summary table
    reasoning: str = "Reasoning"  # the summary of the collapsed reasoning block
    missing: str = "No result."
    empty: str = "Empty answer."


def to_markdown(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    cells: Mapping[tuple[int, int], CompareCell],
    *,
    title: str = "",
    labels: ExportLabels = ExportLabels(),  # frozen: one shared default is safe
    hide_models: bool = False,
) -> str:
    """The grid as a Markdown document (see the module docstring).

    ``title`` defaults to ``labels.title``. ValueError for a cell outside the grid.
    """
    _check_keys(cells, len(row_labels), len(column_labels))
    # An empty label would make an empty heading; its position is the next best name.
    rows = [_one_line(label) or str(n) for n, label in enumerate(row_labels, start=1)]
    columns = [_one_line(label) or str(n) for n, label in enumerate(column_labels, start=1)]
    parts = [f"# {_one_line(title) or labels.title}"]
    if rows and columns:
        parts.append(_summary(rows, columns, cells, labels))
    for r, row in enumerate(rows):
        parts.append(f"## {row}")
        for c, column in enumerate(columns):
            parts.append(f"### {column}")
            cell = cells.get((r, c))
            if cell is None:
                parts.append(f"*{labels.missing}*")
                continue
            parts.extend(_cell_parts(cell, labels, hide_models=hide_models))
    return "\n\n".join(parts) + "\n"


def to_csv(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    cells: Mapping[tuple[int, int], CompareCell],
    *,
    hide_models: bool = False,
) -> bytes:
    """The grid as CSV bytes (see the module docstring). ValueError for a cell outside the grid."""
    _check_keys(cells, len(row_labels), len(column_labels))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r, row in enumerate(row_labels):
        for c, column in enumerate(column_labels):
            cell = cells.get((r, c))
            if cell is None:
                continue
            values = [
                row,
                column,
                "" if hide_models else cell.model,
                cell.variant,
                _number(cell.ttft_seconds, 3),
                _number(cell.tokens_per_second, 2),
                "" if cell.completion_tokens is None else str(cell.completion_tokens),
                cell.finish_reason or "",
                cell.error or "",
                cell.text,
                cell.reasoning,
            ]
            writer.writerow([_excel_safe(value) for value in values])
    return out.getvalue().encode("utf-8-sig")


def _check_keys(cells: Mapping[tuple[int, int], CompareCell], rows: int, columns: int) -> None:
    # A cell outside the labels would silently vanish from the export: a UI bug worth hearing of.
    outside = [key for key in cells if not (0 <= key[0] < rows and 0 <= key[1] < columns)]
    if outside:
        raise ValueError(f"cells outside the {rows} × {columns} grid: {sorted(outside)}")


def _summary(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Mapping[tuple[int, int], CompareCell],
    labels: ExportLabels,
) -> str:
    lines = [
        "| | " + " | ".join(_table_text(column) for column in columns) + " |",
        "|---" * (len(columns) + 1) + "|",
    ]
    for r, row in enumerate(rows):
        entries = [_summary_entry(cells.get((r, c)), labels) for c in range(len(columns))]
        lines.append(f"| {_table_text(row)} | " + " | ".join(entries) + " |")
    return "\n".join(lines)


def _summary_entry(cell: CompareCell | None, labels: ExportLabels) -> str:
    if cell is None:
        return "—"
    if cell.error is not None:
        return f"**{_table_text(labels.error)}**"
    parts = []
    if cell.tokens_per_second is not None and math.isfinite(cell.tokens_per_second):
        parts.append(_fill(labels.tokens_per_second, f"{cell.tokens_per_second:.1f}"))
    if cell.finish_reason:
        parts.append(cell.finish_reason)
    return _table_text(" · ".join(parts)) or "—"


def _cell_parts(cell: CompareCell, labels: ExportLabels, *, hide_models: bool) -> list[str]:
    parts: list[str] = []
    stats = _stats(cell, labels, hide_models=hide_models)
    if stats:
        parts.append(stats)
    if cell.error is not None:
        quoted = "\n".join(
            f"> {line}".rstrip() for line in f"**{labels.error}:** {cell.error}".splitlines()
        )
        parts.append(quoted)
    if cell.reasoning.strip():
        # A collapsed block: long reasoning would otherwise bury the answers being compared.
        # The blank lines let the Markdown inside it render.
        parts.append(
            f"<details><summary>{html.escape(labels.reasoning)}</summary>\n\n"
            f"{_close_fences(cell.reasoning.strip(chr(10)))}\n\n</details>"
        )
    if cell.text.strip():
        parts.append(_close_fences(cell.text.strip("\n")))
    elif cell.error is None:
        parts.append(f"*{labels.empty}*")
    return parts


def _stats(cell: CompareCell, labels: ExportLabels, *, hide_models: bool) -> str:
    items = []
    if not hide_models and cell.model:
        items.append(_fill(labels.model, f"`{cell.model}`"))
    if cell.variant:
        items.append(_fill(labels.variant, _one_line(cell.variant)))
    if cell.ttft_seconds is not None and math.isfinite(cell.ttft_seconds):
        items.append(_fill(labels.ttft, f"{cell.ttft_seconds:.2f}"))
    if cell.tokens_per_second is not None and math.isfinite(cell.tokens_per_second):
        items.append(_fill(labels.tokens_per_second, f"{cell.tokens_per_second:.1f}"))
    if cell.completion_tokens is not None:
        items.append(_fill(labels.tokens, str(cell.completion_tokens)))
    if cell.finish_reason:
        items.append(_fill(labels.finish_reason, f"`{cell.finish_reason}`"))
    return " · ".join(items)


def _close_fences(text: str) -> str:
    """``text`` with a closing fence added if it ends inside a fenced code block.

    An answer cut short (``finish_reason == "length"``, a stop, an error) often ends in the middle
    of a code block; left open, that block would swallow the rest of the document.
    """
    fence: str | None = None
    for line in text.splitlines():
        match = _FENCE_RE.fullmatch(line)
        if match is None:
            continue
        run, info = match.group(1), match.group(2)
        if fence is None:
            if not (run[0] == "`" and "`" in info):  # ```x``` on one line is inline code
                fence = run
        elif run[0] == fence[0] and len(run) >= len(fence) and not info.strip():
            fence = None
    return text if fence is None else f"{text}\n{fence}"


def _fill(template: str, value: str) -> str:
    return template.replace(_PLACEHOLDER, value)


def _one_line(text: str) -> str:
    """A label as a heading: one line (a heading cannot span lines), trimmed."""
    return " ".join(text.split())


def _table_text(text: str) -> str:
    """Text for a table cell: one line, pipes escaped (an unescaped one adds a column)."""
    return _one_line(text).replace("|", "\\|")


def _number(value: float | None, decimals: int) -> str:
    if value is None or not math.isfinite(value):
        return ""
    return f"{value:.{decimals}f}"


def _excel_safe(text: str) -> str:
    value = text[:EXCEL_CELL_LIMIT]
    if value.startswith(_FORMULA_STARTS):
        value = "'" + value[: EXCEL_CELL_LIMIT - 1]
    return value
