"""The texts to compare: the editor (``emb.texts``), the example-set picker (``emb.examples``), the
Import button (``emb.import``) and the count line under them (``emb.count``).

It owns what is typed and how it is replaced: an example set or an imported file replaces the
editor's content as one undoable edit (Ctrl+Z brings the old texts back). Parsing is
:func:`sfdesk.core.text_sets.parse_lines`'s; the count line is refreshed shortly after typing
stops. Reading a chosen file is the controller's work (in a thread): this widget only asks for the
file, without a nested event loop, and emits ``sig_file_chosen``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QLocale, QTimer, Signal
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

from sfdesk.core.text_sets import (
    SUPPORTED_EXTENSIONS,
    ExampleSet,
    TextSet,
    example_set,
    example_sets,
    parse_lines,
)
from sfdesk.ui.text_editing import open_file_dialog, replace_all

#: The count line is refreshed this long after the last keystroke (parsing a few thousand lines
#: on every key would make typing lag).
PARSE_DELAY_MS = 200


class TextsEditor(QWidget):
    sig_file_chosen = Signal(Path)
    sig_example_loaded = Signal(str)  # the set's title in the UI language
    #: The texts changed (after typing pauses, or at once when replaced).
    sig_texts_edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.examples = QComboBox(self)
        self.examples.setObjectName("emb.examples")
        # Titles can be long; the popup shows them whole, the closed combo need not.
        self.examples.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.examples.setMinimumContentsLength(8)
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("emb.import")
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("emb.texts")
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)  # one line, one text
        self.count = QLabel(self)
        self.count.setObjectName("emb.count")
        self.count.setWordWrap(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PARSE_DELAY_MS)

        sources = QHBoxLayout()
        sources.addWidget(self.examples, 1)
        sources.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(sources)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.count)

        self.examples.activated.connect(self._on_examples_activated)
        self.import_button.clicked.connect(self.import_dialog)
        self.editor.textChanged.connect(self._timer.start)
        self._timer.timeout.connect(self.sig_texts_edited)
        self._retranslate()

    # -- the texts ----------------------------------------------------------------------------

    def text_set(self) -> TextSet:
        return parse_lines(self.editor.toPlainText())

    def replace_texts(self, text: str) -> None:
        """Put ``text`` in the editor as one undoable edit."""
        replace_all(self.editor, text)
        self._timer.stop()
        self.sig_texts_edited.emit()

    def update_count(self, *, stale: bool) -> None:
        """Refresh the count line: texts, duplicates, groups, and whether the texts or the
        model changed since the last run (``stale``)."""
        self._timer.stop()
        text_set = self.text_set()
        parts = [self.tr("Texts: %1").replace("%1", str(len(text_set)))]
        if text_set.duplicates:
            parts.append(
                self.tr("duplicates: %1 (each distinct text is embedded once)").replace(
                    "%1", str(len(text_set.duplicates))
                )
            )
        if text_set.has_groups:
            parts.append(self.tr("groups: %1").replace("%1", str(len(text_set.group_names))))
        if stale:
            parts.append(self.tr("changed since the last run"))
        self.count.setText(" · ".join(parts))

    def load_example(self, example_id: str) -> None:
        example = example_set(example_id)
        self.replace_texts(example.editor_text())
        self.sig_example_loaded.emit(example_title(example))

    def import_dialog(self) -> QFileDialog:
        """Ask for a file of texts (non-modal); ``sig_file_chosen`` reports the choice."""
        patterns = " ".join(f"*{ext}" for ext in SUPPORTED_EXTENSIONS)
        return open_file_dialog(
            self,
            self.tr("Import texts"),
            "emb.import_dialog",
            [self.tr("Texts (%1)").replace("%1", patterns), self.tr("All files (*)")],
            self.sig_file_chosen.emit,
        )

    # -- slots and language -------------------------------------------------------------------

    def _on_examples_activated(self, index: int) -> None:
        example_id = self.examples.itemData(index)
        self.examples.setCurrentIndex(0)  # the combo is a menu: it always shows its prompt
        if isinstance(example_id, str):
            self.load_example(example_id)

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
        self._fill_examples()
        self.examples.setAccessibleName(self.tr("Example sets"))
        self.examples.setToolTip(self.tr("Put a ready-made set of texts in the editor"))
        self.import_button.setText(self.tr("Import…"))
        self.import_button.setAccessibleName(self.tr("Import texts"))
        self.import_button.setToolTip(
            self.tr("Texts from a .txt, .csv, .tsv, .jsonl or .json file")
        )
        self.editor.setPlaceholderText(
            self.tr(
                "One text per line.\n"
                "Optional group tag in front: [fruit] apple\n"
                "Then press Run (Ctrl+Enter)."
            )
        )
        self.editor.setAccessibleName(self.tr("Texts to compare, one per line"))
        self.count.setAccessibleName(self.tr("Text count"))


def example_title(example: ExampleSet) -> str:
    """The set's title in the UI language (the locale follows it: see sfdesk.ui.i18n)."""
    chinese = QLocale().language() == QLocale.Language.Chinese
    return example.title_zh if chinese else example.title_en
