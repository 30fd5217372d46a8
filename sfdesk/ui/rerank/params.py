"""The rerank parameters (``rerank.parameters``): ``top_n`` and ``return_documents`` for every
model; ``max_chunks_per_doc`` and ``overlap_tokens`` only while a chosen model splits long
documents into chunks, with a note on how that works (``rerank.chunking_note``; the tooltip
explains each option).

Unset is a value of its own: ``top_n`` "All", ``max_chunks_per_doc`` and ``overlap_tokens``
"Default" are not sent (the server's defaults apply), while an overlap of 0 is. Which model is sent
what is :func:`sfdesk.ui.rerank.models.request_options`'s decision; the instruction sits beside
the query in the panel, not here.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QSpinBox, QWidget

from sfdesk.ui.rerank.models import (
    CHUNK_TOKENS,
    DEFAULT_MAX_CHUNKS,
    DEFAULT_OVERLAP,
    MAX_OVERLAP,
    RerankParams,
    takes_chunking,
)

#: The largest top_n offered (the API documents no maximum; more documents than this make no
#: readable column anyway).
MAX_TOP_N = 1000


class ParametersBox(QGroupBox):
    #: A value changed (any of the four).
    sig_parameters_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rerank.parameters")
        self._chunked: list[str] = []
        self.top_n_label = QLabel(self)
        self.top_n = QSpinBox(self)
        self.top_n.setObjectName("rerank.top_n")
        self.top_n.setRange(0, MAX_TOP_N)  # 0: not sent (every document comes back)
        self.top_n_label.setBuddy(self.top_n)
        self.return_documents = QCheckBox(self)
        self.return_documents.setObjectName("rerank.return_documents")
        self.chunking = QWidget(self)
        self.chunking.setObjectName("rerank.chunking")
        self.max_chunks_label = QLabel(self.chunking)
        self.max_chunks = QSpinBox(self.chunking)
        self.max_chunks.setObjectName("rerank.max_chunks_per_doc")
        self.max_chunks.setRange(0, DEFAULT_MAX_CHUNKS)  # 0: not sent (the API's default)
        self.max_chunks_label.setBuddy(self.max_chunks)
        self.overlap_label = QLabel(self.chunking)
        self.overlap = QSpinBox(self.chunking)
        self.overlap.setObjectName("rerank.overlap_tokens")
        self.overlap.setRange(-1, MAX_OVERLAP)  # -1: not sent; 0 is a real value
        self.overlap.setValue(-1)
        self.overlap_label.setBuddy(self.overlap)
        self.chunking_note = QLabel(self.chunking)
        self.chunking_note.setObjectName("rerank.chunking_note")
        self.chunking_note.setWordWrap(True)
        self.chunking_note.setEnabled(False)  # greyed: an explanation

        chunk_form = QFormLayout(self.chunking)
        chunk_form.setContentsMargins(0, 0, 0, 0)
        chunk_form.addRow(self.max_chunks_label, self.max_chunks)
        chunk_form.addRow(self.overlap_label, self.overlap)
        chunk_form.addRow(self.chunking_note)
        form = QFormLayout(self)
        form.addRow(self.top_n_label, self.top_n)
        form.addRow(self.return_documents)
        form.addRow(self.chunking)

        for spin in (self.top_n, self.max_chunks, self.overlap):
            spin.valueChanged.connect(self.sig_parameters_edited)
        self.return_documents.toggled.connect(self.sig_parameters_edited)
        self.show_for(())
        self._retranslate()

    def params(self, instruction: str | None = None) -> RerankParams:
        """The values set here, with ``instruction`` (from the panel) added."""
        return RerankParams(
            top_n=self.top_n.value() or None,
            return_documents=self.return_documents.isChecked(),
            instruction=instruction or None,
            max_chunks_per_doc=self.max_chunks.value() or None,
            overlap_tokens=None if self.overlap.value() < 0 else self.overlap.value(),
        )

    def set_params(self, params: RerankParams) -> None:
        self.top_n.setValue(params.top_n or 0)
        self.return_documents.setChecked(params.return_documents)
        self.max_chunks.setValue(params.max_chunks_per_doc or 0)
        self.overlap.setValue(-1 if params.overlap_tokens is None else params.overlap_tokens)

    def show_for(self, models: Sequence[str]) -> None:
        """Show the chunking options only while one of ``models`` takes them."""
        self._chunked = [model for model in models if takes_chunking(model)]
        self.chunking.setVisible(bool(self._chunked))
        self._retranslate_note()

    def _retranslate_note(self) -> None:
        if not self._chunked:
            note = details = ""
        else:
            note = (
                self.tr(
                    "Long documents are read in chunks of about %1 tokens and score as their "
                    "best chunk. Sent only to: %2."
                )
                .replace("%1", str(CHUNK_TOKENS))
                .replace("%2", ", ".join(self._chunked))
            )
            details = (
                self.tr(
                    "These models split a long document into chunks of about %1 tokens, score "
                    "each chunk against the query, and give the document its best chunk's "
                    "score.\n"
                    "max_chunks_per_doc: how many chunks of each document are read at most "
                    "(default %2); text beyond them does not count.\n"
                    "overlap_tokens (0–80, default %3): how many tokens neighbouring chunks "
                    "share, so a sentence cut at a chunk boundary is still read whole in one "
                    "of them."
                )
                .replace("%1", str(CHUNK_TOKENS))
                .replace("%2", str(DEFAULT_MAX_CHUNKS))
                .replace("%3", str(DEFAULT_OVERLAP))
            )
        self.chunking_note.setText(note)
        for widget in (self.chunking_note, self.max_chunks, self.overlap):
            widget.setToolTip(details)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setTitle(self.tr("Parameters"))
        self.top_n_label.setText(self.tr("top_&n:"))
        self.top_n.setSpecialValueText(self.tr("All"))
        self.top_n.setAccessibleName(self.tr("How many of the best documents to return"))
        self.top_n.setToolTip(self.tr("Return only the best n documents; All returns every one"))
        self.return_documents.setText(self.tr("return_documents"))
        self.return_documents.setAccessibleName(self.tr("Return the documents with the scores"))
        self.return_documents.setToolTip(
            self.tr("Ask the server to send each document's text back with its score")
        )
        self.max_chunks_label.setText(self.tr("max_&chunks_per_doc:"))
        self.max_chunks.setSpecialValueText(
            self.tr("Default (%1)").replace("%1", str(DEFAULT_MAX_CHUNKS))
        )
        self.max_chunks.setAccessibleName(self.tr("Most chunks read per document"))
        self.overlap_label.setText(self.tr("&overlap_tokens:"))
        self.overlap.setSpecialValueText(
            self.tr("Default (%1)").replace("%1", str(DEFAULT_OVERLAP))
        )
        self.overlap.setAccessibleName(self.tr("Tokens shared by neighbouring chunks"))
        self._retranslate_note()
