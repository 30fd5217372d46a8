"""The Embeddings panel's status line (``emb.status``): what to say about each outcome.

It turns what happened — a finished run (texts, tokens, cache hits, time, duplicates), a ranked
query, a comparison, an import or export, a cancel, an API error explained in plain words with its
trace id (:func:`sfdesk.ui.errors.explain`) — into one translated message, and keeps what it was
told so a language switch rewrites the message in the new language.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from sfdesk.api import ApiError
from sfdesk.core.text_sets import TextSetError
from sfdesk.ui.embeddings.controller import (
    COMPARE,
    QUERY,
    RESTORE,
    RUN,
    ComparisonResult,
    QueryResult,
    RunResult,
)
from sfdesk.ui.embeddings.models import estimate_tokens, max_input_tokens
from sfdesk.ui.errors import explain
from sfdesk.ui.import_errors import explain_import_error
from sfdesk.ui.status_line import StatusLineBase


class StatusLine(StatusLineBase):
    """``show_message(kind, data)``; kinds are listed in :meth:`text_for`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("emb.status", parent)

    def text_for(self, kind: str, data: object) -> str:
        """The message for ``kind``; ``data`` is what that kind needs (see each case)."""
        fixed = {
            "intro": self.tr(
                "Enter texts (one per line) or pick an example set, then press Run (Ctrl+Enter)."
            ),
            "empty": self.tr("Nothing to embed: enter at least one text, one per line."),
            "no-query": self.tr("Type a query first, then press Enter."),
            "same-model": self.tr("Pick a second model (or other dimensions) to compare with."),
            "nothing-to-export": self.tr("Nothing to export yet: run the texts first."),
            "cancelled": self.tr(
                "Cancelled. Vectors that had already arrived are kept in the cache."
            ),
            "history-missing": self.tr("That run is no longer in the history."),
        }
        if kind in fixed:
            return fixed[kind]
        if kind == "working" and isinstance(data, tuple):  # (slot, model)
            slot, model = data
            return {
                RUN: self.tr("Embedding the texts with %1…").replace("%1", str(model)),
                QUERY: self.tr("Embedding the query…"),
                COMPARE: self.tr("Embedding the texts with both models…"),
                RESTORE: self.tr("Showing the run from the history again…"),
            }.get(slot, "")
        if kind == "run" and isinstance(data, RunResult):
            return self._run_text(data)
        if kind == "query" and isinstance(data, QueryResult):
            return self._query_text(data)
        if kind == "compare" and isinstance(data, ComparisonResult):
            return self._compare_text(data)
        if kind == "example":  # the set's title
            return self.tr("Example set “%1” loaded. Press Run to see it.").replace("%1", str(data))
        if kind == "imported" and isinstance(data, tuple):  # (count, file name)
            count, name = data
            return (
                self.tr("Imported %1 text(s) from %2.")
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
        if kind == "error" and isinstance(data, tuple):  # (error, model, texts)
            error, model, texts = data
            return self._error_text(error, str(model), texts)
        return ""

    # -- messages -----------------------------------------------------------------------------

    def _run_text(self, result: RunResult) -> str:
        model = result.model
        if result.dimensions is not None:
            model = f"{model} ({result.dimensions})"
        parts = [
            model,
            self.tr("Texts: %1").replace("%1", str(len(result.texts))),
            self.tr("Tokens: %1").replace("%1", str(result.tokens)),
            self.tr("from cache: %1").replace("%1", str(result.cached)),
            self.tr("Time: %1 s").replace("%1", f"{result.seconds:.2f}"),
        ]
        if result.texts.duplicates:
            parts.append(self._duplicates_text(len(result.texts.duplicates)))
        if result.restored:
            # Tokens and cache hits are those of showing it again: 0 tokens when all was cached.
            parts.insert(0, self.tr("From the history"))
        return " · ".join(parts)

    def _duplicates_text(self, count: int) -> str:
        return self.tr("duplicates: %1 (each distinct text is embedded once)").replace(
            "%1", str(count)
        )

    def _query_text(self, result: QueryResult) -> str:
        text = self.tr("Ranked %1 text(s) by similarity to the query.").replace(
            "%1", str(len(result.run.texts))
        )
        if result.ranking:
            index, score = result.ranking[0]
            text += " " + self.tr("Closest: text %1 (%2).").replace("%1", str(index + 1)).replace(
                "%2", f"{score:.4f}"
            )
        return text

    def _compare_text(self, result: ComparisonResult) -> str:
        parts = [
            self.tr("Compared %1 and %2 on %3 text(s)")
            .replace("%1", result.model_a)
            .replace("%2", result.model_b)
            .replace("%3", str(len(result.texts)))
        ]
        if result.mean_spearman is not None:
            parts.append(self.tr("mean Spearman ρ %1").replace("%1", f"{result.mean_spearman:.3f}"))
        parts.append(self.tr("Tokens: %1").replace("%1", str(result.tokens)))
        return " · ".join(parts)

    def _error_text(self, error: object, model: str, texts: Sequence[str]) -> str:
        if not isinstance(error, BaseException):
            return ""
        title, explanation = explain(error)
        text = f"{title}: {explanation}"
        note = self._length_note(error, model, texts)
        return f"{text}\n\n{note}" if note else text

    def _length_note(self, error: BaseException, model: str, texts: Sequence[str]) -> str:
        """For a rejected request, which text is probably too long for the model, if any.

        SiliconFlow answers an over-long text with a bare 400 "parameter invalid" that names no
        text; the model's documented limit and the longest text are the best lead to give.
        """
        if not isinstance(error, ApiError) or error.reason not in ("bad_request", "too_large"):
            return ""
        limit = max_input_tokens(model)
        if limit is None or not texts:
            return ""
        longest = max(range(len(texts)), key=lambda i: estimate_tokens(texts[i]))
        return (
            self.tr(
                "A text may be too long: %1 reads at most %2 tokens per text; the longest "
                "here is text %3, about %4 tokens."
            )
            .replace("%1", model)
            .replace("%2", str(limit))
            .replace("%3", str(longest + 1))
            .replace("%4", str(estimate_tokens(texts[longest])))
        )

    def _import_error_text(self, error: TextSetError) -> str:
        return explain_import_error(error, self.tr("%1 holds no texts."))
