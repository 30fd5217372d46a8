"""The Rerank comparison panel (``rerank.panel``, inside the ``tab.rerank`` page).

The query (``rerank.query``) and Run/Cancel/View code/Export along the top, the instruction under
it (``rerank.instruction``, shown only while a Qwen3 reranker — the only models that take one — is
chosen). On the left: the documents (``rerank.documents``: one per line; import from files, or an
example set), the rerankers to compare (``rerank.models``: check one to four), the cosine
baseline's embedding model (``rerank.baseline``, ``rerank.baseline_model``) and the parameters:
``top_n`` and ``return_documents`` for every model, ``max_chunks_per_doc`` and ``overlap_tokens``
only while a model that splits long documents into chunks is chosen, with a note on how that
works (:mod:`sfdesk.ui.rerank.params`). On the right, tabs: the results (``rerank.results``: one
column per model; click a document to highlight it in every column), the agreement under them
(``rerank.agreement``), and the run history (``rerank.history``: kept across restarts; a
double-click shows a run again without a request). The status line (``rerank.status``) is at the
bottom.

Each model is sent only the options it takes (:func:`sfdesk.ui.rerank.models.request_options`),
for a run and for "view code" alike. Input that cannot be ranked — no query, no documents, no
model — is refused with a message and never sent; documents longer than a chosen model reads
are pointed out before the run (``rerank.length_note``) and, when the server refuses one, in
that model's column.

The panel wires widgets to the :class:`RerankController` (every task, the vector cache, the run
history) and to the model list controllers (rerankers and, for the baseline, the Embeddings
panel's embedding list), all loaded when the panel is first shown. The main window builds the
panel only when its tab is first opened (:mod:`sfdesk.ui.rerank.page`).
Shortcuts: Ctrl+Enter runs, Esc cancels; in the history, Enter shows the selected run again and
Delete removes the selected runs.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sfdesk.api import build_rerank_body
from sfdesk.core.rerank_sets import documents_text, example_set
from sfdesk.core.text_sets import TextSetError
from sfdesk.store.rerank_runs import DEFAULT_MAX_RUNS, RerankRunRecord, RerankRunSummary
from sfdesk.ui.context import AppContext
from sfdesk.ui.embeddings.models import DEFAULT_MODEL as DEFAULT_EMBEDDING_MODEL
from sfdesk.ui.embeddings.models import KNOWN_MODELS as KNOWN_EMBEDDING_MODELS
from sfdesk.ui.embeddings.models import EmbeddingModelsController, estimate_tokens
from sfdesk.ui.export_button import ExportButton
from sfdesk.ui.first_show import LoadsWhenShown
from sfdesk.ui.rerank import export as exports
from sfdesk.ui.rerank.agreement import AgreementView
from sfdesk.ui.rerank.code import RerankCodeDialog
from sfdesk.ui.rerank.controller import (
    RUN,
    ColumnResult,
    RerankController,
    RunRequest,
    RunResult,
)
from sfdesk.ui.rerank.documents import DocumentsEditor, example_title
from sfdesk.ui.rerank.models import (
    DEFAULT_SELECTION,
    KNOWN_MODELS,
    MAX_MODELS,
    RerankModelsController,
    RerankParams,
    document_limit,
    request_options,
    takes_chunking,
    takes_instruction,
)
from sfdesk.ui.rerank.params import ParametersBox
from sfdesk.ui.rerank.results import ResultsView
from sfdesk.ui.rerank.status import RerankStatus
from sfdesk.ui.run_history_view import RunHistoryView

log = logging.getLogger(__name__)

#: Characters of a run's query shown in its history entry (the tooltip has all of it).
HISTORY_QUERY_CHARS = 40

# Tab indices of the right-hand side.
RESULTS_TAB, HISTORY_TAB = range(2)


class RerankPanel(LoadsWhenShown):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rerank.panel")
        self._ctx = ctx
        #: The last finished (or restored) run; what export and the stale check refer to.
        self.result: RunResult | None = None
        #: The columns of the run on screen as they arrive (None: not yet).
        self._columns: list[ColumnResult | None] = []
        self._shown: RunRequest | None = None
        #: The run history as last listed, newest first; None when it cannot be opened.
        self.history: list[RerankRunSummary] | None = []

        self.controller = RerankController(ctx.client, parent=self)
        self.models_controller = RerankModelsController(ctx.client, parent=self)
        self.baseline_models = EmbeddingModelsController(ctx.client, parent=self)

        self._build_controls()
        self._build_layout()
        self._connect()
        self._fill_models(list(KNOWN_MODELS), set(DEFAULT_SELECTION))
        self._sync_parameters()
        self._sync_buttons()
        self._retranslate()

    # -- construction -------------------------------------------------------------------------

    def _build_controls(self) -> None:
        self.query_label = QLabel(self)
        self.query = QLineEdit(self)
        self.query.setObjectName("rerank.query")
        self.query.setClearButtonEnabled(True)
        self.query_label.setBuddy(self.query)
        self.instruction_label = QLabel(self)
        self.instruction = QLineEdit(self)
        self.instruction.setObjectName("rerank.instruction")
        self.instruction.setClearButtonEnabled(True)
        self.instruction_label.setBuddy(self.instruction)

        self.run_button = QPushButton(self)
        self.run_button.setObjectName("rerank.run")
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("rerank.cancel")
        self.code_button = QPushButton(self)
        self.code_button.setObjectName("rerank.view_code")
        self.export_button = ExportButton("rerank", exports.KINDS, self)
        self.export_button.sig_chosen.connect(self.export_dialog)

        self.documents_editor = DocumentsEditor(self)
        self.documents = self.documents_editor.editor

        self.models_label = QLabel(self)
        self.models = QListWidget(self)
        self.models.setObjectName("rerank.models")
        self.models.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.models_label.setBuddy(self.models)

        self.baseline = QCheckBox(self)
        self.baseline.setObjectName("rerank.baseline")
        self.baseline.setChecked(True)
        self.baseline_model = QComboBox(self)
        self.baseline_model.setObjectName("rerank.baseline_model")
        self.baseline_model.setEditable(True)  # any embedding model the site serves
        self.baseline_model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.baseline_model.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.baseline_model.setMinimumContentsLength(12)
        self.baseline_model.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.baseline_model.addItems(list(KNOWN_EMBEDDING_MODELS))
        self.baseline_model.setCurrentText(DEFAULT_EMBEDDING_MODEL)

        self.parameters = ParametersBox(self)

        self.results = ResultsView(self)
        self.legend = QLabel(self)
        self.legend.setObjectName("rerank.legend")
        self.legend.setWordWrap(True)
        self.legend.setEnabled(False)
        self.highlight = QLabel(self)
        self.highlight.setObjectName("rerank.highlight")
        self.highlight.setWordWrap(True)
        self.highlight.setTextFormat(Qt.TextFormat.PlainText)
        self.highlight.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.highlight.setVisible(False)
        self.agreement = AgreementView(self)

        self.history_view = RunHistoryView("rerank", self)

        self.status = RerankStatus(self)

    def _build_layout(self) -> None:
        grid = QFormLayout()
        grid.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        query_row = QHBoxLayout()
        query_row.addWidget(self.query, 1)
        query_row.addWidget(self.run_button)
        query_row.addWidget(self.cancel_button)
        query_row.addWidget(self.code_button)
        query_row.addWidget(self.export_button)
        grid.addRow(self.query_label, query_row)
        grid.addRow(self.instruction_label, self.instruction)

        baseline_row = QHBoxLayout()
        baseline_row.addWidget(self.baseline)
        baseline_row.addWidget(self.baseline_model, 1)

        settings = QWidget(self)
        settings_column = QVBoxLayout(settings)
        settings_column.setContentsMargins(0, 0, 0, 0)
        settings_column.addWidget(self.models_label)
        settings_column.addWidget(self.models)
        settings_column.addLayout(baseline_row)
        settings_column.addWidget(self.parameters)
        settings_column.addStretch(1)
        # Room for the six documented rerankers without scrolling.
        self.models.setMinimumHeight(self.models.fontMetrics().height() * 7 + 12)
        settings_scroll = QScrollArea(self)
        settings_scroll.setObjectName("rerank.settings")
        settings_scroll.setWidgetResizable(True)
        settings_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        settings_scroll.setWidget(settings)

        left = QSplitter(Qt.Orientation.Vertical, self)
        left.setObjectName("rerank.left")
        left.addWidget(self.documents_editor)
        left.addWidget(settings_scroll)
        left.setStretchFactor(0, 1)
        left.setSizes([300, 400])

        results_page = QWidget(self)
        results_column = QVBoxLayout(results_page)
        results_column.setContentsMargins(0, 4, 0, 0)
        lower = QWidget(results_page)
        lower_column = QVBoxLayout(lower)
        lower_column.setContentsMargins(0, 0, 0, 0)
        lower_column.addWidget(self.highlight)
        lower_column.addWidget(self.agreement, 1)
        upper = QWidget(results_page)
        upper_column = QVBoxLayout(upper)
        upper_column.setContentsMargins(0, 0, 0, 0)
        upper_column.addWidget(self.legend)
        upper_column.addWidget(self.results, 1)
        self.results_splitter = QSplitter(Qt.Orientation.Vertical, results_page)
        self.results_splitter.setObjectName("rerank.results_splitter")
        self.results_splitter.addWidget(upper)
        self.results_splitter.addWidget(lower)
        self.results_splitter.setStretchFactor(0, 3)
        self.results_splitter.setStretchFactor(1, 1)
        self.results_splitter.setSizes([520, 200])  # the columns first; a few pairs fit below
        results_column.addWidget(self.results_splitter, 1)

        history_page = self.history_view

        self.views = QTabWidget(self)
        self.views.setObjectName("rerank.views")
        self.views.setDocumentMode(True)
        self.views.addTab(results_page, "")
        self.views.addTab(history_page, "")

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("rerank.splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.views)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([340, 760])

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)

    def _connect(self) -> None:
        c = self.controller
        c.sig_task_started.connect(self._on_controller_task_started)
        c.sig_task_finished.connect(self._on_controller_task_ended)
        c.sig_task_failed.connect(self._on_controller_task_failed)
        c.sig_task_cancelled.connect(self._on_controller_task_cancelled)
        c.sig_run_started.connect(self._on_controller_run_started)
        c.sig_column_finished.connect(self._on_controller_column_finished)
        c.sig_run_finished.connect(self._on_controller_run_finished)
        c.sig_documents_imported.connect(self._on_controller_documents_imported)
        c.sig_import_failed.connect(self._on_controller_import_failed)
        c.sig_export_written.connect(self._on_controller_export_written)
        c.sig_export_failed.connect(self._on_controller_export_failed)
        c.sig_history_listed.connect(self._on_controller_history_listed)
        c.sig_history_opened.connect(self._on_controller_history_opened)
        c.sig_history_missing.connect(self._on_controller_history_missing)
        self.models_controller.sig_models_loaded.connect(self._on_models_controller_models_loaded)
        self.baseline_models.sig_models_loaded.connect(self._on_baseline_models_models_loaded)

        self.models.itemChanged.connect(self._on_models_item_changed)
        self.query.textChanged.connect(self._on_input_edited)
        self.instruction.textChanged.connect(self._on_input_edited)
        self.baseline.toggled.connect(self._on_baseline_toggled)
        self.baseline_model.currentTextChanged.connect(self._on_input_edited)
        self.parameters.sig_parameters_edited.connect(self._on_parameters_edited)
        self.documents_editor.sig_file_chosen.connect(self.controller.import_file)
        self.documents_editor.sig_example_chosen.connect(self.load_example)
        self.documents_editor.sig_documents_edited.connect(self._on_documents_edited)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.code_button.clicked.connect(self.show_code)
        self.query.returnPressed.connect(self.run)
        self.results.sig_document_highlighted.connect(self._on_results_document_highlighted)
        self.history_view.sig_open_requested.connect(self.restore)
        self.history_view.sig_delete_requested.connect(self.controller.delete_runs)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.run, context=context)
        QShortcut(QKeySequence("Esc"), self, self.cancel, context=context)

    # -- reading the controls -----------------------------------------------------------------

    def query_text(self) -> str:
        return self.query.text().strip()

    def document_list(self) -> tuple[str, ...]:
        return self.documents_editor.documents()

    def checked_models(self) -> list[str]:
        """The chosen rerankers, in list order (the order of the columns)."""
        return [
            self.models.item(row).text()
            for row in range(self.models.count())
            if self.models.item(row).checkState() == Qt.CheckState.Checked
        ]

    def set_checked_models(self, models: list[str]) -> None:
        """Check exactly ``models`` (adding those the list does not hold)."""
        listed = [self.models.item(row).text() for row in range(self.models.count())]
        self._fill_models([*listed, *(m for m in models if m not in listed)], set(models))

    def baseline_model_name(self) -> str | None:
        if not self.baseline.isChecked():
            return None
        return self.baseline_model.currentText().strip() or DEFAULT_EMBEDDING_MODEL

    def params(self) -> RerankParams:
        return self.parameters.params(self.instruction.text().strip())

    def request(self) -> RunRequest:
        """The run the controls describe now."""
        return RunRequest(
            query=self.query_text(),
            documents=self.document_list(),
            models=tuple(self.checked_models()),
            params=self.params(),
            baseline_model=self.baseline_model_name(),
        )

    def request_body(self, model: str | None = None) -> dict[str, object]:
        """The exact body a run sends to ``model`` (default: the first chosen model)."""
        models = self.checked_models()
        name = model or (models[0] if models else KNOWN_MODELS[0])
        return build_rerank_body(
            name,
            self.query_text(),
            self.document_list(),
            **request_options(name, self.params()),
        )

    def is_stale(self) -> bool:
        """Whether the controls describe another run than the results shown."""
        return self.result is None or self.request() != self.result.request

    # -- actions ------------------------------------------------------------------------------

    def run(self) -> asyncio.Task[None] | None:
        """Rank the documents with every chosen model at once (refused, with a message and
        without a request, when there is no query, no document or no model)."""
        request = self.request()
        if not request.query:
            self.status.show_message("no-query")
            return None
        if not request.documents:
            self.status.show_message("no-documents")
            return None
        if not request.models:
            self.status.show_message("no-models")
            return None
        self.views.setCurrentIndex(RESULTS_TAB)
        task = self.controller.run(request)
        self.status.show_message("working", (len(request.documents), len(request.columns())))
        return task

    def cancel(self) -> None:
        self.controller.cancel_run()

    def show_code(self) -> RerankCodeDialog | None:
        """The request of the first chosen model as curl and Python (the key never shown)."""
        if not self.checked_models():
            self.status.show_message("no-models")
            return None
        dialog = RerankCodeDialog(self._ctx.base_url, self.request_body(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Modeless: the code can stay open beside the panel while the input is changed.
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.show()
        return dialog

    def load_example(self, example_id: str) -> None:
        """Put example set ``example_id``'s query, instruction and documents in place."""
        example = example_set(example_id)
        self.query.setText(example.query)
        self.instruction.setText(example.instruction or "")
        self.documents_editor.replace_documents(example.editor_text())
        self.status.show_message("example", example_title(example))

    def import_dialog(self) -> QFileDialog:
        """Ask for a file of documents; they replace the editor's (undo brings them back)."""
        return self.documents_editor.import_dialog()

    def export_dialog(self, kind: str) -> QFileDialog:
        """Ask where to save export ``kind`` of the results shown, then write it there."""
        spec = exports.BY_KEY[kind]
        return self.export_button.save_dialog(
            spec,
            self.tr("Export"),
            self.tr(spec.name_filter),
            lambda path: self.export_to(kind, path),
        )

    def export_to(self, kind: str, path: Path) -> asyncio.Task[None] | None:
        """Write export ``kind`` of the results shown to ``path`` (in a worker thread)."""
        result = self.result
        if result is None:
            self.status.show_message("nothing-to-export")
            return None
        return self.controller.export(path, exports.payload(kind, result, self.agreement.pairs))

    def restore(self, run_id: int) -> asyncio.Task[None]:
        """Show history entry ``run_id`` again: its input goes back into the controls and its
        columns are shown as they were, without a request."""
        return self.controller.restore(run_id)

    def selected_run_ids(self) -> list[int]:
        """History ids of the selected entries, in list order."""
        return self.history_view.selected_ids()

    def _on_controller_task_started(self, _slot: str) -> None:
        self._sync_buttons()

    def _on_controller_task_ended(self, _slot: str) -> None:
        self._sync_buttons()

    def _on_controller_task_failed(self, _slot: str, error: object) -> None:
        # Models' failures stay in their columns; what arrives here is a bug (logged with its
        # traceback by the controller), still worth a plain message.
        self._sync_buttons()
        if isinstance(error, BaseException):
            self.status.show_message("error", error)

    def _on_controller_task_cancelled(self, slot: str) -> None:
        self._sync_buttons()
        if slot == RUN:
            self.results.cancel()
            self.status.show_message("cancelled")

    def _on_controller_run_started(self, request: RunRequest) -> None:
        self._shown = request
        self._columns = [None] * len(request.columns())
        self.results.start(request)
        self.agreement.clear()
        self.highlight.setVisible(False)

    def _on_controller_column_finished(self, column: ColumnResult) -> None:
        if 0 <= column.position < len(self._columns):
            self._columns[column.position] = column
        self.results.show_column(column)
        self.agreement.show_columns(self._columns)

    def _on_controller_run_finished(self, result: RunResult) -> None:
        self.result = result
        self._columns = list(result.columns)
        self.agreement.show_columns(self._columns)
        self.status.show_message("run", result)
        self._sync_buttons()
        self._update_count()

    def _on_controller_documents_imported(self, documents: tuple[str, ...], path: str) -> None:
        self.documents_editor.replace_documents(documents_text(documents))
        self.status.show_message("imported", (len(documents), Path(path).name))

    def _on_controller_import_failed(self, error: TextSetError) -> None:
        self.status.show_message("import-failed", error)

    def _on_controller_export_written(self, path: str) -> None:
        self.status.show_message("exported", path)

    def _on_controller_export_failed(self, path: str, error: object) -> None:
        self.status.show_message("export-failed", (path, error))

    def _on_controller_history_listed(self, runs: list[RerankRunSummary] | None) -> None:
        self.history = runs
        self._fill_history()

    def _on_controller_history_opened(self, record: RerankRunRecord) -> None:
        """Put the entry's input back into the controls before its columns arrive."""
        params = RerankParams.from_json(record.params)
        self.query.setText(record.summary.query)
        self.instruction.setText(record.instruction or "")
        self.documents_editor.replace_documents(documents_text(record.documents))
        self.set_checked_models(list(record.summary.models))
        baseline = record.summary.baseline_model
        self.baseline.setChecked(baseline is not None)
        if baseline is not None:
            self.baseline_model.setCurrentText(baseline)
        self.parameters.set_params(params)
        self.views.setCurrentIndex(RESULTS_TAB)

    def _on_controller_history_missing(self, _run_id: int) -> None:
        self.status.show_message("history-missing")

    def _on_models_controller_models_loaded(self, models: list[str]) -> None:
        checked = set(self.checked_models())
        # Keep a chosen model the server does not list (a run may still be shown with it).
        self._fill_models(
            [*models, *(m for m in self.checked_models() if m not in models)], checked
        )

    def _on_baseline_models_models_loaded(self, models: list[str]) -> None:
        current = self.baseline_model.currentText()
        self.baseline_model.blockSignals(True)
        self.baseline_model.clear()
        self.baseline_model.addItems(models)
        self.baseline_model.setCurrentText(current)
        self.baseline_model.blockSignals(False)

    def _on_models_item_changed(self, item: QListWidgetItem) -> None:
        if item.checkState() == Qt.CheckState.Checked and len(self.checked_models()) > MAX_MODELS:
            self.models.blockSignals(True)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.models.blockSignals(False)
            self.status.show_message("too-many-models")
        self._sync_parameters()
        self._on_input_edited()

    def _on_baseline_toggled(self, checked: bool) -> None:
        self.baseline_model.setEnabled(checked)
        self._on_input_edited()

    def _on_parameters_edited(self, *_args: object) -> None:
        self._update_length_note()
        self._on_input_edited()

    def _on_documents_edited(self) -> None:
        self._update_length_note()
        self._update_count()

    def _on_input_edited(self, *_args: object) -> None:
        self._update_count()

    def _on_results_document_highlighted(self, document: int) -> None:
        self._show_highlight(None if document < 0 else document)

    def _fill_models(self, models: list[str], checked: set[str]) -> None:
        self.models.blockSignals(True)
        self.models.clear()
        for model in dict.fromkeys(models):
            item = QListWidgetItem(model)
            item.setFlags(
                Qt.ItemFlag.ItemIsUserCheckable
                | Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
            )
            # At most MAX_MODELS, the first ones listed (a caller never asks for more).
            chosen = model in checked and len(self.checked_models()) < MAX_MODELS
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            item.setToolTip(self._model_tooltip(model))
            self.models.addItem(item)
        self.models.blockSignals(False)
        self._sync_parameters()
        self._update_count()

    def _model_tooltip(self, model: str) -> str:
        if takes_instruction(model):
            return self.tr("%1 takes an instruction that describes the task.").replace("%1", model)
        if takes_chunking(model):
            return self.tr(
                "%1 splits long documents into chunks and scores each by its best chunk."
            ).replace("%1", model)
        return model

    def _sync_parameters(self) -> None:
        """Show the instruction and the chunking options only while a chosen model takes them."""
        models = self.checked_models()
        instructed = [m for m in models if takes_instruction(m)]
        self.instruction.setVisible(bool(instructed))
        self.instruction_label.setVisible(bool(instructed))
        self.instruction.setToolTip(
            self.tr("Sent only to: %1").replace("%1", ", ".join(instructed)) if instructed else ""
        )
        self.parameters.show_for(models)
        self._update_length_note()

    def _update_length_note(self) -> None:
        """Point out documents longer than a chosen model reads (a hint: the server decides)."""
        documents = self.document_list()
        if not documents:
            self.documents_editor.set_length_note("")
            return
        estimates = [estimate_tokens(document) for document in documents]
        params = self.params()
        notes: list[str] = []
        for model in self.checked_models():
            limit = document_limit(model, params)
            if limit is None:
                continue
            over = [i for i, tokens in enumerate(estimates) if tokens > limit]
            if not over:
                continue
            if takes_chunking(model):
                template = self.tr(
                    "%1: document %2 is about %3 tokens, but with these chunking settings only "
                    "its first ~%4 are read; the rest does not count toward its score."
                )
            else:
                template = self.tr(
                    "%1: document %2 is about %3 tokens, more than the ~%4 this model reads "
                    "with the query; the server may refuse it."
                )
            note = (
                template.replace("%1", model)
                .replace("%2", str(over[0] + 1))
                .replace("%3", str(estimates[over[0]]))
                .replace("%4", str(limit))
            )
            if len(over) > 1:
                note += " " + self.tr("(%1 documents in all)").replace("%1", str(len(over)))
            notes.append(note)
        self.documents_editor.set_length_note("\n".join(notes))

    def _show_highlight(self, document: int | None) -> None:
        request = self._shown
        if document is None or request is None or not 0 <= document < len(request.documents):
            self.highlight.setVisible(False)
            return
        places = []
        for column in self.results.columns():
            result = column.result
            if result is None or not result.ok:
                continue
            order = result.order()
            name = column.model
            if column.kind == "baseline":
                name = self.tr("%1 (cosine)").replace("%1", column.model)
            place = f"#{order.index(document) + 1}" if document in order else "—"
            places.append(f"{name} {place}")
        text = (
            self.tr("Document %1: %2")
            .replace("%1", str(document + 1))
            .replace("%2", request.documents[document])
        )
        if places:
            text += "\n" + self.tr("Ranks: %1").replace("%1", " · ".join(places))
        self.highlight.setText(text)
        self.highlight.setVisible(True)

    def _fill_history(self) -> None:
        entries = None
        if self.history is not None:
            entries = [
                (run.id, self._history_text(run), self._history_tooltip(run))
                for run in self.history
            ]
        self.history_view.set_runs(
            entries,
            self.tr(
                "The last %1 runs, newest first, kept after sfdesk closes. Double-click one "
                "to show it again (nothing is sent); Delete removes the selected runs."
            ).replace("%1", str(DEFAULT_MAX_RUNS)),
        )

    def _history_text(self, run: RerankRunSummary) -> str:
        models = ", ".join(run.models)
        if run.baseline_model is not None:
            models += " + " + self.tr("%1 (cosine)").replace("%1", run.baseline_model)
        query = run.query
        if len(query) > HISTORY_QUERY_CHARS:
            query = query[: HISTORY_QUERY_CHARS - 1] + "…"
        text = (
            self.tr("%1 · %2 · documents: %3 · query: %4")
            .replace("%1", datetime.fromtimestamp(run.created_at).strftime("%Y-%m-%d %H:%M"))
            .replace("%2", models)
            .replace("%3", str(run.document_count))
            .replace("%4", query)  # last: a query may itself contain "%2"
        )
        if run.failed:
            text += " · " + self.tr("failed: %1").replace("%1", str(run.failed))
        return text

    def _history_tooltip(self, run: RerankRunSummary) -> str:
        lines = [self.tr("Query: %1").replace("%1", run.query), ""]
        lines += list(run.preview)
        if run.document_count > len(run.preview):
            lines.append(
                self.tr("… and %1 more").replace("%1", str(run.document_count - len(run.preview)))
            )
        lines.append("")
        lines.append(self.tr("Tokens: %1").replace("%1", str(run.tokens)))
        return "\n".join(lines)

    def _sync_buttons(self) -> None:
        running = self.controller.running()
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        has_result = self.result is not None and any(c.ok for c in self.result.columns)
        self.export_button.set_available(has_result)

    def _update_count(self) -> None:
        stale = self.result is not None and self.is_stale()
        self.documents_editor.update_count(stale=stale)

    # -- events -------------------------------------------------------------------------------

    def first_shown(self) -> None:
        self.models_controller.load()
        self.baseline_models.load()
        self.controller.load_history()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.query_label.setText(self.tr("&Query:"))
        self.query.setPlaceholderText(self.tr("What the documents should answer or match"))
        self.query.setAccessibleName(self.tr("Query"))
        self.instruction_label.setText(self.tr("&Instruction:"))
        self.instruction.setPlaceholderText(
            self.tr(
                "Optional: describe the task, e.g. “Given a question, find passages that answer it”"
            )
        )
        self.instruction.setAccessibleName(self.tr("Instruction for the Qwen3 rerankers"))
        self.run_button.setText(self.tr("Run"))
        self.run_button.setAccessibleName(self.tr("Run"))
        self.run_button.setToolTip(
            self.tr("Rank the documents with every chosen model (Ctrl+Enter)")
        )
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop the requests under way (Esc)"))
        self.code_button.setText(self.tr("View code"))
        self.code_button.setAccessibleName(self.tr("View code"))
        self.code_button.setToolTip(
            self.tr("The request of the first chosen model as curl and Python (no API key)")
        )
        self.export_button.retranslate(self.tr)
        self.models_label.setText(
            self.tr("Rerank &models (up to %1):").replace("%1", str(MAX_MODELS))
        )
        self.models.setAccessibleName(self.tr("Rerank models to compare"))
        for row in range(self.models.count()):
            item = self.models.item(row)
            item.setToolTip(self._model_tooltip(item.text()))
        self.baseline.setText(self.tr("Cosine baseline:"))
        self.baseline.setAccessibleName(self.tr("Add a cosine-similarity baseline"))
        self.baseline.setToolTip(
            self.tr(
                "Also rank the documents by the cosine similarity of their embeddings to the "
                "query's: what a plain vector search would return"
            )
        )
        self.baseline_model.setAccessibleName(self.tr("Embedding model of the baseline"))
        self.legend.setText(
            self.tr(
                "▲ up, ▼ down, = unchanged: how many places a document moved against the input "
                "order; in a box, against the cosine baseline. Click a document to highlight it "
                "in every column."
            )
        )
        self.highlight.setAccessibleName(self.tr("Highlighted document"))
        self.views.setTabText(RESULTS_TAB, self.tr("Results"))
        self.views.setTabText(HISTORY_TAB, self.tr("History"))
        self.views.setAccessibleName(self.tr("Results and history"))
        self._sync_parameters()
        self._fill_history()
        self._update_count()
        if self.highlight.isVisible():
            self._show_highlight(self.results.highlighted)
