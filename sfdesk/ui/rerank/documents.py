"""The documents to rank: the editor (``rerank.documents``, one per line), the example-set picker
(``rerank.examples``), the Import button (``rerank.import``), the count line (``rerank.count``)
and the note on documents too long for a chosen model (``rerank.length_note``).

It owns what is typed and how it is replaced: an example set or an imported file replaces the
documents as one undoable edit (Ctrl+Z brings the old ones back). Parsing is
:func:`sfdesk.core.rerank_sets.parse_documents`'s; the count line is refreshed shortly after
typing stops. Reading a chosen file is the controller's work (in a thread): this widget only asks
for the file, without a nested event loop, and emits ``sig_file_chosen``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sfdesk.core.rerank_sets import RerankExample, example_sets, parse_documents
from sfdesk.ui.text_editing import open_file_dialog, replace_all

#: The count line is refreshed this long after the last keystroke.
PARSE_DELAY_MS = 200
#: The file types offered by the import dialog (all of them read by ``load_file``).
IMPORT_PATTERNS = "*.txt *.csv *.tsv *.jsonl *.ndjson *.json"


class DocumentsEditor(QWidget):
    sig_file_chosen = Signal(Path)
    sig_example_chosen = Signal(str)  # the set's id
    #: The documents changed (after typing pauses, or at once when replaced).
    sig_documents_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self)
        self.examples = QComboBox(self)
        self.examples.setObjectName("rerank.examples")
        self.examples.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.examples.setMinimumContentsLength(8)
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("rerank.import")
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("rerank.documents")
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)  # one line, one document
        self.heading.setBuddy(self.editor)
        self.count = QLabel(self)
        self.count.setObjectName("rerank.count")
        self.count.setWordWrap(True)
        self.length_note = QLabel(self)
        self.length_note.setObjectName("rerank.length_note")
        self.length_note.setWordWrap(True)
        self.length_note.setTextFormat(Qt.TextFormat.PlainText)
        self.length_note.setVisible(False)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PARSE_DELAY_MS)

        sources = QHBoxLayout()
        sources.addWidget(self.heading)
        sources.addStretch(1)
        sources.addWidget(self.examples, 2)
        sources.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(sources)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.length_note)

        self.examples.activated.connect(self._on_examples_activated)
        self.import_button.clicked.connect(self.import_dialog)
        self.editor.textChanged.connect(self._timer.start)
        self._timer.timeout.connect(self.sig_documents_edited)
        self._retranslate()

    # -- the documents ------------------------------------------------------------------------

    def documents(self) -> tuple[str, ...]:
        return parse_documents(self.editor.toPlainText())

    def replace_documents(self, text: str) -> None:
        """Put ``text`` in the editor as one undoable edit."""
        replace_all(self.editor, text)
        self._timer.stop()
        self.sig_documents_edited.emit()

    def update_count(self, *, stale: bool) -> None:
        """Refresh the count line (and whether the input changed since the results shown)."""
        self._timer.stop()
        documents = self.documents()
        parts = [self.tr("Documents: %1").replace("%1", str(len(documents)))]
        duplicates = len(documents) - len(set(documents))
        if duplicates:
            parts.append(self.tr("repeated: %1").replace("%1", str(duplicates)))
        if stale:
            parts.append(self.tr("changed since the results shown"))
        self.count.setText(" · ".join(parts))

    def set_length_note(self, text: str) -> None:
        self.length_note.setText(text)
        self.length_note.setVisible(bool(text))

    def import_dialog(self) -> QFileDialog:
        """Ask for a file of documents (non-modal); ``sig_file_chosen`` reports the choice."""
        return open_file_dialog(
            self,
            self.tr("Import documents"),
            "rerank.import_dialog",
            [self.tr("Documents (%1)").replace("%1", IMPORT_PATTERNS), self.tr("All files (*)")],
            self.sig_file_chosen.emit,
        )

    # -- slots and language -------------------------------------------------------------------

    def _on_examples_activated(self, index: int) -> None:
        example_id = self.examples.itemData(index)
        self.examples.setCurrentIndex(0)  # the combo is a menu: it always shows its prompt
        if isinstance(example_id, str):
            self.sig_example_chosen.emit(example_id)

    def _fill_examples(self) -> None:
        self.examples.blockSignals(True)
        self.examples.clear()
        self.examples.addItem(self.tr("Example sets…"), None)
        for example in example_sets():
            self.examples.addItem(example_title(example), example.id)
        self.examples.setCurrentIndex(0)
        self.examples.blockSignals(False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.heading.setText(self.tr("&Documents"))
        self._fill_examples()
        self.examples.setAccessibleName(self.tr("Example sets"))
        self.examples.setToolTip(self.tr("Put a ready-made query and documents in place"))
        self.import_button.setText(self.tr("Import…"))
        self.import_button.setAccessibleName(self.tr("Import documents"))
        self.import_button.setToolTip(
            self.tr("Documents from a .txt, .csv, .tsv, .jsonl or .json file")
        )
        self.editor.setPlaceholderText(
            self.tr("One document per line.\nThen press Run (Ctrl+Enter).")
        )
        self.editor.setAccessibleName(self.tr("Documents to rank, one per line"))
        self.count.setAccessibleName(self.tr("Document count"))
        self.length_note.setAccessibleName(self.tr("Documents too long for a model"))


def example_title(example: RerankExample) -> str:
    """The set's title in the UI language (the locale follows it: see sfdesk.ui.i18n)."""
    chinese = QLocale().language() == QLocale.Language.Chinese
    return example.title_zh if chinese else example.title_en
