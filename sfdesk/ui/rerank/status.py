"""The Rerank panel's status line (``rerank.status``): what to say about each outcome.

It turns what happened — input refused before any request, a run under way or finished (how many
models answered, tokens, time), a cancel, an import or export — into one translated message, and
keeps what it was told so a language switch rewrites the message in the new language. Errors of
single models are explained in their own columns (:mod:`sfdesk.ui.rerank.results`); this line
only counts them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from sfdesk.core.text_sets import TextSetError
from sfdesk.ui.errors import explain
from sfdesk.ui.import_errors import explain_import_error
from sfdesk.ui.rerank.controller import RunResult
from sfdesk.ui.rerank.models import MAX_MODELS
from sfdesk.ui.status_line import StatusLineBase


class RerankStatus(StatusLineBase):
    """``show_message(kind, data)``; kinds are listed in :meth:`text_for`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("rerank.status", parent)

    def text_for(self, kind: str, data: object) -> str:
        """The message for ``kind``; ``data`` is what that kind needs (see each case)."""
        fixed = {
            "intro": self.tr(
                "Type a query, enter documents (one per line) or pick an example set, choose "
                "up to %1 rerank models, then press Run (Ctrl+Enter)."
            ).replace("%1", str(MAX_MODELS)),
            "no-query": self.tr(
                "Type a query first: the documents are ranked by how well they match it."
            ),
            "no-documents": self.tr("No documents to rank: enter at least one, one per line."),
            "no-models": self.tr("Pick at least one rerank model to run."),
            "too-many-models": self.tr(
                "At most %1 rerank models can be compared at once; uncheck one first."
            ).replace("%1", str(MAX_MODELS)),
            "cancelled": self.tr("Cancelled. Columns that had already answered are kept."),
            "nothing-to-export": self.tr("Nothing to export yet: run a comparison first."),
            "history-missing": self.tr("That run is no longer in the history."),
        }
        if kind in fixed:
            return fixed[kind]
        if kind == "working" and isinstance(data, tuple):  # (documents, models)
            documents, models = data
            return (
                self.tr("Ranking %1 document(s) with %2 model(s)…")
                .replace("%1", str(documents))
                .replace("%2", str(models))
            )
        if kind == "run" and isinstance(data, RunResult):
            return self._run_text(data)
        if kind == "example":  # the set's title
            return self.tr("Example set “%1” loaded. Press Run to compare.").replace(
                "%1", str(data)
            )
        if kind == "imported" and isinstance(data, tuple):  # (count, file name)
            count, name = data
            return (
                self.tr("Imported %1 document(s) from %2.")
                .replace("%1", str(count))
                .replace("%2", str(name))
            )
        if kind == "import-failed" and isinstance(data, TextSetError):
            return self._import_error_text(data)
        if kind == "exported":  # the path
            return self.tr("Saved %1.").replace("%1", str(data))
        if kind == "export-failed" and isinstance(data, tuple):  # (path, error)
            path, error = data
            reason = getattr(error, "strerror", None) or str(error)
            return self.tr("Could not save %1: %2").replace("%1", str(path)).replace("%2", reason)
        if kind == "error" and isinstance(data, BaseException):  # a bug, not a model's failure
            title, explanation = explain(data)
            return f"{title}: {explanation}"
        return ""

    def _run_text(self, result: RunResult) -> str:
        answered = sum(1 for column in result.columns if column.ok)
        parts = [
            self.tr("%1 of %2 column(s) answered")
            .replace("%1", str(answered))
            .replace("%2", str(len(result.columns))),
            self.tr("Documents: %1").replace("%1", str(len(result.request.documents))),
            self.tr("Tokens: %1").replace("%1", str(result.tokens)),
        ]
        if result.restored:
            parts.insert(0, self.tr("From the history"))
        else:
            parts.append(self.tr("Time: %1 s").replace("%1", f"{result.seconds:.2f}"))
        if result.failed:
            parts.append(
                self.tr("%1 failed: its column says why").replace("%1", str(result.failed))
            )
        return " · ".join(parts)

    def _import_error_text(self, error: TextSetError) -> str:
        return explain_import_error(error, self.tr("%1 holds no documents."))
