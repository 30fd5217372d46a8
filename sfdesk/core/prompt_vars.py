"""Prompt variables: ``{{name}}`` placeholders in system and user prompts, and the table of values
they are filled from.

This module owns the placeholder syntax (:data:`VARIABLE`), finding the names a prompt uses
(:func:`variables`), filling them in (:func:`fill`) and reading the table a user pastes, one row
per run (:func:`rows_from_text`). The Compare workbench sends one request per row and column.

Syntax. ``{{ name }}``: a name is letters (any script, so ``{{城市}}`` works), digits and ``_``,
not starting with a digit; spaces or tabs may surround it inside the braces, a line break may
not. Anything else between double braces (``{{ }}``, ``{{1x}}``, ``{{a-b}}``) is ordinary text
and stays as it is, so prompts that show JSON or template code keep working with no escaping.
``{{{x}}}`` is the variable ``x`` between two literal braces.

Tables. What Excel, WPS or a browser table copy puts on the clipboard (tab-separated, cells with
line breaks or quotes in double quotes) or CSV typed by hand; the first line names the variables.

Pure Python, Qt-free.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from typing import Final

__all__ = [
    "NAME",
    "TABLE_ERRORS",
    "VARIABLE",
    "MissingValues",
    "TableError",
    "fill",
    "rows_from_text",
    "variables",
]

#: A variable name: a letter or ``_`` (``[^\W\d]`` is a word character that is not a digit, in
#: any script), then word characters.
NAME: Final = re.compile(r"[^\W\d]\w*")
# [^\S\r\n] is whitespace except line breaks: a placeholder is never split over two lines, so a
# stray "{{" at the end of one line cannot pair with a "}}" further down.
VARIABLE: Final = re.compile(r"\{\{[^\S\r\n]*([^\W\d]\w*)[^\S\r\n]*\}\}")

#: The reasons :class:`TableError` gives, for the UI to translate.
TABLE_ERRORS: Final = ("empty", "no-header", "duplicate-header", "extra-cells", "malformed")


class MissingValues(ValueError):
    """Placeholders of a prompt that have no value; ``names`` in order of first appearance."""

    def __init__(self, names: tuple[str, ...]) -> None:
        super().__init__("no value for " + ", ".join(names))
        self.names = names


class TableError(ValueError):
    """A pasted table that cannot be read.

    ``reason`` is one of :data:`TABLE_ERRORS`; ``line`` is the 1-based line where it was noticed
    (None for an empty table) and ``detail`` the offending cell or cells, when there are any.
    """

    def __init__(
        self, reason: str, message: str, *, line: int | None = None, detail: str = ""
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.line = line
        self.detail = detail


def variables(*texts: str) -> list[str]:
    """The variable names used in ``texts``, each once, in order of first appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for match in VARIABLE.finditer(text):
            seen.setdefault(match.group(1), None)
    return list(seen)


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with every placeholder replaced by its value.

    Values are inserted as they are: a value that itself contains ``{{x}}`` is not expanded
    again (a row of data must never be able to pull in another column). Raises
    :class:`MissingValues` naming every variable with no value, before replacing anything.
    """
    missing = tuple(name for name in variables(text) if name not in values)
    if missing:
        raise MissingValues(missing)
    # One pass of re.sub with a function: the replacement is neither rescanned nor read as a
    # template, so backslashes and "\g<1>" in a value stay literal too.
    return VARIABLE.sub(lambda match: values[match.group(1)], text)


def rows_from_text(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of a pasted table (see the module docstring).

    The delimiter is the tab if the header line has one, else the comma if it has one; a
    single-column table is read as tab-separated, so commas in its values stay in the values.
    Header cells are trimmed and may be written as ``{{name}}``; trailing empty header cells (an
    Excel selection wider than the table) are dropped. Blank lines are skipped; short rows are
    padded with ``""``. Values are kept as they are, line breaks included (as LF, whatever the
    clipboard used), except that in CSV the spaces after a comma are skipped so ``a, "b, c"``
    reads as two cells.

    A header with no data rows gives no rows. Raises :class:`TableError`: ``"empty"`` (nothing
    but blank lines), ``"no-header"`` (a header cell that is empty or not a variable name — most
    often a table pasted without its header line), ``"duplicate-header"``, ``"extra-cells"`` (a
    row with a non-empty value right of the last named column), ``"malformed"``.
    """
    # Line ends normalised first: a Windows clipboard's CRLF would otherwise stay inside
    # multi-line values and reach the prompt as "\r\n".
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    first = next((line for line in text.splitlines() if line.strip()), None)
    if first is None:
        raise TableError("empty", "the table is empty")
    delimiter = "," if "\t" not in first and "," in first else "\t"
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=delimiter == ","
    )
    header: list[str] | None = None
    rows: list[dict[str, str]] = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = _header(record, reader.line_num)
                continue
            extra = [cell for cell in record[len(header) :] if cell.strip()]
            if extra:
                raise TableError(
                    "extra-cells",
                    f"line {reader.line_num} has more cells than the header names",
                    line=reader.line_num,
                    detail=", ".join(extra),
                )
            cells = record[: len(header)]
            cells += [""] * (len(header) - len(cells))
            rows.append(dict(zip(header, cells, strict=True)))
    except csv.Error as exc:
        raise TableError("malformed", str(exc), line=reader.line_num) from exc
    assert header is not None  # a non-blank line exists, so some record has a non-blank cell
    return header, rows


def _header(record: list[str], line: int) -> list[str]:
    cells = [_header_name(cell) for cell in record]
    while cells and not cells[-1]:
        cells.pop()
    bad = [cell for cell in cells if NAME.fullmatch(cell) is None]
    if bad:
        shown = ", ".join(repr(cell) for cell in bad)
        raise TableError(
            "no-header",
            f"the first line must name the variables; not a variable name: {shown}",
            line=line,
            detail=shown,
        )
    duplicates = list(dict.fromkeys(cell for cell in cells if cells.count(cell) > 1))
    if duplicates:
        raise TableError(
            "duplicate-header",
            "the header names a variable twice: " + ", ".join(duplicates),
            line=line,
            detail=", ".join(duplicates),
        )
    return cells


def _header_name(cell: str) -> str:
    """A header cell as a name: trimmed, and unwrapped when written as a placeholder."""
    name = cell.strip()
    match = VARIABLE.fullmatch(name)
    return match.group(1) if match is not None else name
