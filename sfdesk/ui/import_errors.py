"""Why a file of texts could not be imported, in the user's language.

The Embeddings and Rerank panels both import texts through :mod:`sfdesk.core.text_sets`, whose
:class:`~sfdesk.core.text_sets.TextSetError` carries a stable ``reason``; this module owns the
sentence shown for each reason. Only the "the file holds nothing" sentence differs per panel
(texts or documents), so the caller passes it, already translated.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from sfdesk.core.text_sets import TextSetError


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportErrors", text)


def explain_import_error(error: TextSetError, empty: str) -> str:
    """ "Import failed: …" for ``error``; ``empty`` is the sentence for an empty file, with
    ``%1`` for its name."""
    templates = {
        "not-found": _tr("%1 does not exist."),
        "unreadable": _tr("%1 could not be read."),
        "too-large": _tr("%1 is larger than 50 MB; split it into smaller files."),
        "unsupported-type": _tr(
            "%1 cannot be imported: use a .txt, .csv, .tsv, .jsonl or .json file."
        ),
        "binary": _tr("%1 is not a text file."),
        "encoding": _tr(
            "%1 is not in UTF-8, UTF-16 or GBK (line %2); save it as UTF-8 and try again."
        ),
        "malformed": _tr("%1 is not a valid CSV file (line %2)."),
        "invalid-json": _tr("Line %2 of %1 is not valid JSON."),
        "bad-item": _tr("Line %2 of %1 is neither a text nor an object with a “text” field."),
        "empty": empty,
    }
    template = templates.get(error.reason, templates["unreadable"])
    line = str(error.line) if error.line is not None else "?"
    # %2 first: a file name may itself contain "%2", a line number never holds "%1".
    detail = template.replace("%2", line).replace("%1", error.path.name)
    return _tr("Import failed: %1").replace("%1", detail)
