"""The Embeddings similarity panel (``emb.panel``, inside the ``tab.embeddings`` page).

Texts on the left (``emb.texts``: one per line, ``[group]`` tags; import from files, or an example
set), the model and its ``dimensions`` above, Run/Cancel/Export beside them; on the right, tabs with
what a run produced: the heatmap with the pair pane under it, query mode, the 2-D map, the
comparison of two models, and the run history (``emb.history``: kept across restarts; a
double-click shows a run again from the vector cache, Delete or the context menu removes runs).
Progress and the status line (``emb.status``: counts, tokens, cache hits, time, or what went
wrong) sit at the bottom.

The panel wires widgets to the :class:`EmbeddingsController` (which owns every task, the vector
cache and the run history, listed when the panel is first shown) and to the
:class:`EmbeddingModelsController` (the model list, fetched when the panel is first shown). The
views that need numpy and pyqtgraph are built on first show (or first run), so building the panel
imports neither; the main window builds the panel itself only when its tab is first opened
(:mod:`sfdesk.ui.embeddings.page`).
Shortcuts: Ctrl+Enter runs, Esc cancels, Enter in the query box ranks; in the history, Enter
shows the selected run again and Delete removes the selected runs.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sfdesk.core.text_sets import (
    TextSet,
    TextSetError,
    format_lines,
)
from sfdesk.store.embedding_runs import DEFAULT_MAX_RUNS, RunRecord, RunSummary
from sfdesk.ui.context import AppContext
from sfdesk.ui.embeddings import export as exports
from sfdesk.ui.embeddings.controller import (
    FETCH_SLOTS,
    QUERY,
    RESTORE,
    RUN,
    ComparisonResult,
    EmbeddingsController,
    QueryResult,
    RunResult,
)
from sfdesk.ui.embeddings.models import (
    DEFAULT_COMPARE_MODEL,
    DEFAULT_MODEL,
    KNOWN_MODELS,
    EmbeddingModelsController,
    dimension_choices,
)
from sfdesk.ui.embeddings.pair import PairPane
from sfdesk.ui.embeddings.ranking import RankingTable
from sfdesk.ui.embeddings.status import StatusLine
from sfdesk.ui.embeddings.texts_editor import TextsEditor
from sfdesk.ui.export_button import ExportButton
from sfdesk.ui.first_show import LoadsWhenShown
from sfdesk.ui.run_history_view import RunHistoryView

if TYPE_CHECKING:
    from sfdesk.ui.embeddings.compare import CompareView
    from sfdesk.ui.embeddings.heatmap import HeatmapView
    from sfdesk.ui.embeddings.map_view import MapView

log = logging.getLogger(__name__)

#: Characters of a run's query shown in its history entry (the tooltip has all of it).
HISTORY_QUERY_CHARS = 40

# Tab indices of the results area.
HEATMAP_TAB, QUERY_TAB, MAP_TAB, COMPARE_TAB, HISTORY_TAB = range(5)


class EmbeddingsPanel(LoadsWhenShown):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emb.panel")
        self._ctx = ctx
        self.result: RunResult | None = None
        self.query_result: QueryResult | None = None
        self.comparison: ComparisonResult | None = None
        #: The run history as last listed, newest first; None when it cannot be opened.
        self.history: list[RunSummary] | None = []
        self._pending_query: str | None = None
        self.heatmap: HeatmapView | None = None
        self.map_view: MapView | None = None
        self.compare_view: CompareView | None = None

        self.controller = EmbeddingsController(ctx.client, parent=self)
        self.models = EmbeddingModelsController(ctx.client, parent=self)

        self._build_controls()
        self._build_layout()
        self._connect()
        self._on_model_changed(self.model.currentText())
        self._on_compare_model_changed(self.compare_model.currentText())
        self._sync_buttons()
        self._retranslate()

    # -- construction -------------------------------------------------------------------------

    def _build_controls(self) -> None:
        self.model = self._model_combo("emb.model", DEFAULT_MODEL)
        self.dimensions = QComboBox(self)
        self.dimensions.setObjectName("emb.dimensions")
        self.model_label = QLabel(self)
        self.dimensions_label = QLabel(self)

        self.run_button = QPushButton(self)
        self.run_button.setObjectName("emb.run")
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("emb.cancel")
        self.export_button = ExportButton("emb", exports.KINDS, self)
        self.export_button.sig_chosen.connect(self.export_dialog)

        self.texts_editor = TextsEditor(self)
        self.texts = self.texts_editor.editor

        self.sort = QCheckBox(self)
        self.sort.setObjectName("emb.sort")
        self.pair = PairPane(self)

        self.query = QLineEdit(self)
        self.query.setObjectName("emb.query")
        self.query.setClearButtonEnabled(True)
        self.query_button = QPushButton(self)
        self.query_button.setObjectName("emb.query_run")
        self.ranking = RankingTable(self)

        self.compare_model = self._model_combo("emb.compare_model", DEFAULT_COMPARE_MODEL)
        self.compare_dimensions = QComboBox(self)
        self.compare_dimensions.setObjectName("emb.compare_dimensions")
        self.compare_label = QLabel(self)
        self.compare_dimensions_label = QLabel(self)
        self.compare_button = QPushButton(self)
        self.compare_button.setObjectName("emb.compare_run")

        self.history_view = RunHistoryView("emb", self)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("emb.progress")
        self.progress.setVisible(False)
        self.progress.setFormat("%v / %m")
        self.status = StatusLine(self)

    def _model_combo(self, name: str, default: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setEditable(True)  # any model id the site serves, listed or not
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Narrow when the window is (it must fit beside the other controls in 700 px), wider
        # when there is room: model ids run to 40 characters.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(14)
        combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        combo.setMaximumWidth(360)
        combo.addItems(list(KNOWN_MODELS))
        combo.setCurrentText(default)
        return combo

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.model_label)
        top.addWidget(self.model)
        top.addWidget(self.dimensions_label)
        top.addWidget(self.dimensions)
        top.addStretch(1)
        top.addWidget(self.run_button)
        top.addWidget(self.cancel_button)
        top.addWidget(self.export_button)

        self.views = QTabWidget(self)
        self.views.setObjectName("emb.views")
        self.views.setDocumentMode(True)

        heatmap_page = QWidget(self.views)
        self._heatmap_column = QVBoxLayout(heatmap_page)
        self._heatmap_column.setContentsMargins(0, 4, 0, 0)
        self._heatmap_column.addWidget(self.sort)
        self._heatmap_column.addWidget(self.pair)  # the heatmap goes above it, once built

        query_page = QWidget(self.views)
        query_column = QVBoxLayout(query_page)
        query_column.setContentsMargins(0, 4, 0, 0)
        query_row = QHBoxLayout()
        query_row.addWidget(self.query, 1)
        query_row.addWidget(self.query_button)
        query_column.addLayout(query_row)
        query_column.addWidget(self.ranking, 1)

        map_page = QWidget(self.views)
        self._map_column = QVBoxLayout(map_page)
        self._map_column.setContentsMargins(0, 4, 0, 0)

        compare_page = QWidget(self.views)
        self._compare_column = QVBoxLayout(compare_page)
        self._compare_column.setContentsMargins(0, 4, 0, 0)
        compare_row = QHBoxLayout()
        compare_row.addWidget(self.compare_label)
        compare_row.addWidget(self.compare_model)
        compare_row.addWidget(self.compare_dimensions_label)
        compare_row.addWidget(self.compare_dimensions)
        compare_row.addWidget(self.compare_button)
        compare_row.addStretch(1)
        self._compare_column.addLayout(compare_row)

        history_page = self.history_view

        for page in (heatmap_page, query_page, map_page, compare_page, history_page):
            self.views.addTab(page, "")

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("emb.splitter")
        self.splitter.addWidget(self.texts_editor)
        self.splitter.addWidget(self.views)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 700])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)

    def _connect(self) -> None:
        c = self.controller
        c.sig_task_started.connect(self._on_controller_task_started)
        c.sig_task_finished.connect(self._on_controller_task_ended)
        c.sig_task_failed.connect(self._on_controller_task_failed)
        c.sig_task_cancelled.connect(self._on_controller_task_cancelled)
        c.sig_fetch_progressed.connect(self._on_controller_fetch_progressed)
        c.sig_run_finished.connect(self._on_controller_run_finished)
        c.sig_query_ranked.connect(self._on_controller_query_ranked)
        c.sig_comparison_finished.connect(self._on_controller_comparison_finished)
        c.sig_texts_imported.connect(self._on_controller_texts_imported)
        c.sig_import_failed.connect(self._on_controller_import_failed)
        c.sig_export_written.connect(self._on_controller_export_written)
        c.sig_export_failed.connect(self._on_controller_export_failed)
        self.models.sig_models_loaded.connect(self._on_models_models_loaded)

        self.model.currentTextChanged.connect(self._on_model_changed)
        self.dimensions.currentIndexChanged.connect(self._on_settings_edited)
        self.compare_model.currentTextChanged.connect(self._on_compare_model_changed)
        self.texts_editor.sig_file_chosen.connect(self.controller.import_file)
        self.texts_editor.sig_example_loaded.connect(self._on_editor_example_loaded)
        self.texts_editor.sig_texts_edited.connect(self._update_count)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.query.returnPressed.connect(self.run_query)
        self.query_button.clicked.connect(self.run_query)
        self.compare_button.clicked.connect(self.run_compare)
        self.sort.toggled.connect(self._on_sort_toggled)
        c.sig_history_listed.connect(self._on_controller_history_listed)
        c.sig_history_opened.connect(self._on_controller_history_opened)
        c.sig_history_missing.connect(self._on_controller_history_missing)
        self.history_view.sig_open_requested.connect(self.restore)
        self.history_view.sig_delete_requested.connect(self.controller.delete_runs)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.run, context=context)
        QShortcut(QKeySequence("Esc"), self, self.cancel, context=context)

    def _ensure_views(self) -> None:
        """Build the views that need numpy and pyqtgraph (first show or first run)."""
        if self.heatmap is not None:
            return
        from sfdesk.ui.embeddings.compare import CompareView
        from sfdesk.ui.embeddings.heatmap import HeatmapView
        from sfdesk.ui.embeddings.map_view import MapView

        self.heatmap = HeatmapView(self)
        self.heatmap.setAccessibleName(self.tr("Similarity heatmap"))
        self.heatmap.sig_cell_clicked.connect(self._on_heatmap_cell_clicked)
        self._heatmap_column.insertWidget(1, self.heatmap, 1)
        self.map_view = MapView(self)
        self._map_column.addWidget(self.map_view, 1)
        self.compare_view = CompareView(self)
        self._compare_column.addWidget(self.compare_view, 1)
        if self.result is not None:
            self._show_run(self.result)

    # -- reading the controls -----------------------------------------------------------------

    def model_name(self) -> str:
        return self.model.currentText().strip() or DEFAULT_MODEL

    def dimensions_value(self) -> int | None:
        return _combo_dimensions(self.dimensions)

    def compare_model_name(self) -> str:
        return self.compare_model.currentText().strip() or DEFAULT_COMPARE_MODEL

    def compare_dimensions_value(self) -> int | None:
        return _combo_dimensions(self.compare_dimensions)

    def text_set(self) -> TextSet:
        return self.texts_editor.text_set()

    def is_stale(self) -> bool:
        """Whether the texts, model or dimensions differ from those of the shown run."""
        result = self.result
        if result is None:
            return True
        current = self.text_set()
        return (
            current.texts != result.texts.texts
            or current.groups != result.texts.groups
            or self.model_name() != result.model
            or self.dimensions_value() != result.dimensions
        )

    # -- actions ------------------------------------------------------------------------------

    def run(self) -> None:
        """Embed the editor's texts with the chosen model (only those not cached are sent)."""
        text_set = self.text_set()
        if not len(text_set):
            self._pending_query = None
            self.status.show_message("empty")
            return
        self._ensure_views()
        self.controller.run(text_set, self.model_name(), self.dimensions_value())

    def cancel(self) -> None:
        self._pending_query = None
        self.controller.cancel_fetches()

    def run_query(self) -> None:
        """Rank the texts by similarity to the query; runs the texts first if needed."""
        query = self.query.text().strip()
        if not query:
            self.status.show_message("no-query")
            return
        if self.result is None or self.is_stale():
            if not len(self.text_set()):
                self.status.show_message("empty")
                return
            self._pending_query = query
            self.run()
            return
        self.controller.query(query, self.result)

    def run_compare(self) -> None:
        text_set = self.text_set()
        if not len(text_set):
            self.status.show_message("empty")
            return
        model_a, dims_a = self.model_name(), self.dimensions_value()
        model_b, dims_b = self.compare_model_name(), self.compare_dimensions_value()
        if (model_a, dims_a) == (model_b, dims_b):
            self.status.show_message("same-model")
            return
        self._ensure_views()
        self.controller.compare(text_set, model_a, dims_a, model_b, dims_b)

    def restore(self, run_id: int) -> asyncio.Task[None]:
        """Show history entry ``run_id`` again: its texts, models, dimensions and query go back
        into the controls, and its results are rebuilt from the vector cache."""
        self._pending_query = None
        self._ensure_views()
        return self.controller.restore(run_id)

    def selected_run_ids(self) -> list[int]:
        """History ids of the selected entries, in list order."""
        return self.history_view.selected_ids()

    def load_example(self, example_id: str) -> None:
        self.texts_editor.load_example(example_id)

    def import_dialog(self) -> QFileDialog:
        """Ask for a file of texts; its texts replace the editor's (undo brings them back)."""
        return self.texts_editor.import_dialog()

    def export_dialog(self, kind: str) -> QFileDialog:
        """Ask where to save export ``kind`` of the current run, then write it there."""
        spec = exports.BY_KEY[kind]
        return self.export_button.save_dialog(
            spec,
            self.tr("Export"),
            self.tr(spec.name_filter),
            lambda path: self.export_to(kind, path),
        )

    def export_to(self, kind: str, path: Path) -> asyncio.Task[None] | None:
        """Write export ``kind`` of the current run to ``path`` (in a worker thread)."""
        result = self.result
        if result is None:
            self.status.show_message("nothing-to-export")
            return None
        picture = None
        # A picture is taken of the view on screen: a page never shown has no size yet (its
        # grab would be a 100 × 30 sliver), so the view being saved is brought forward first.
        if kind == exports.HEATMAP_PNG and self.heatmap is not None:
            self.views.setCurrentIndex(HEATMAP_TAB)
            picture = self.heatmap.grab_image()
        elif kind == exports.MAP_PNG and self.map_view is not None:
            self.views.setCurrentIndex(MAP_TAB)
            picture = self.map_view.grab_image()
        try:
            make = exports.payload(kind, result, picture)
        except ValueError as exc:
            self._on_controller_export_failed(str(path), exc)
            return None
        return self.controller.export(path, make)

    # -- showing results ----------------------------------------------------------------------

    def _show_run(self, result: RunResult) -> None:
        self._ensure_views()
        assert self.heatmap is not None and self.map_view is not None
        texts = result.texts.texts
        self.heatmap.set_matrix(
            result.matrix, texts, order=result.order if self.sort.isChecked() else None
        )
        self.map_view.set_points(result.coords, texts, result.texts.groups)
        self.pair.clear()
        self.ranking.setRowCount(0)
        self.query_result = None

    # -- slots --------------------------------------------------------------------------------

    def _on_controller_task_started(self, slot: str) -> None:
        if slot in FETCH_SLOTS:
            self.progress.setRange(0, 0)  # busy until the first count arrives
            self.progress.setVisible(True)
            self.status.show_message("working", (slot, self.model_name()))
        self._sync_buttons()

    def _on_controller_task_ended(self, slot: str) -> None:
        self._end_fetch(slot)

    def _on_controller_task_failed(self, slot: str, error: object) -> None:
        self._end_fetch(slot)
        # Expected failures of imports and exports arrive as their own signals; what comes here
        # from them is a bug, still worth a plain message (the traceback is in the log).
        if slot in FETCH_SLOTS:
            self._pending_query = None
        # Which model's limit to mention when a text looks too long: a comparison's failure
        # does not say which of its two models refused.
        model = self.model_name() if slot in (RUN, QUERY, RESTORE) else ""
        self.status.show_message("error", (error, model, self.text_set().texts))

    def _on_controller_task_cancelled(self, slot: str) -> None:
        self._end_fetch(slot)
        if slot in FETCH_SLOTS and not self.controller.fetching():
            self.status.show_message("cancelled")

    def _end_fetch(self, slot: str) -> None:
        if slot in FETCH_SLOTS and not self.controller.fetching():
            self.progress.setVisible(False)
        self._sync_buttons()

    def _on_controller_fetch_progressed(self, slot: str, done: int, total: int) -> None:
        if total <= 0:
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_controller_run_finished(self, result: RunResult) -> None:
        self.result = result
        self._show_run(result)
        self._update_count()  # no longer "changed since the last run"
        self.status.show_message("run", result)
        pending, self._pending_query = self._pending_query, None
        if pending is not None:
            self.controller.query(pending, result)
        self._sync_buttons()

    def _on_controller_query_ranked(self, result: QueryResult) -> None:
        self.query_result = result
        self.ranking.show_ranking(result.ranking, result.run.texts.texts)
        self.status.show_message("query", result)

    def _on_controller_comparison_finished(self, result: ComparisonResult) -> None:
        self.comparison = result
        self._ensure_views()
        assert self.compare_view is not None
        self.compare_view.show_result(result, sort=self.sort.isChecked())
        self.status.show_message("compare", result)

    def _on_controller_texts_imported(self, text_set: TextSet, path: str) -> None:
        self.texts_editor.replace_texts(format_lines(text_set.texts, text_set.groups))
        self.status.show_message("imported", (len(text_set), Path(path).name))

    def _on_controller_import_failed(self, error: TextSetError) -> None:
        self.status.show_message("import-failed", error)

    def _on_controller_export_written(self, path: str) -> None:
        self.status.show_message("exported", path)

    def _on_controller_export_failed(self, path: str, error: object) -> None:
        self.status.show_message("export-failed", (path, error))

    def _on_models_models_loaded(self, models: list[str]) -> None:
        for combo in (self.model, self.compare_model):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(models)
            combo.setCurrentText(current)
            combo.blockSignals(False)

    def _on_model_changed(self, _model: str) -> None:
        _fill_dimensions(
            self.dimensions, self.dimensions_label, self.model_name(), self.tr("Default")
        )
        self._on_settings_edited()

    def _on_compare_model_changed(self, _model: str) -> None:
        _fill_dimensions(
            self.compare_dimensions,
            self.compare_dimensions_label,
            self.compare_model_name(),
            self.tr("Default"),
        )

    def _on_settings_edited(self, *_args: object) -> None:
        self._update_count()

    def _on_editor_example_loaded(self, title: str) -> None:
        self.status.show_message("example", title)

    def _on_sort_toggled(self, checked: bool) -> None:
        if self.heatmap is not None and self.result is not None:
            self.heatmap.set_order(self.result.order if checked else None)
        if self.compare_view is not None:
            self.compare_view.set_sorted(checked)

    def _on_heatmap_cell_clicked(self, i: int, j: int) -> None:
        result = self.result
        if result is None:
            return
        texts = result.texts.texts
        self.pair.show_pair(i, texts[i], j, texts[j], float(result.matrix[i, j]))

    def _on_controller_history_listed(self, runs: list[RunSummary] | None) -> None:
        self.history = runs
        self._fill_history()

    def _on_controller_history_opened(self, record: RunRecord) -> None:
        """Put the entry's settings and texts back before its results arrive (if some texts
        must be fetched again, the editor already shows what is being run)."""
        entry = record.summary
        self.model.setCurrentText(entry.model)
        _select_dimensions(self.dimensions, entry.dimensions)
        self.texts_editor.replace_texts(format_lines(record.texts, record.groups))
        tab = HEATMAP_TAB
        if entry.compare_model is not None:
            self.compare_model.setCurrentText(entry.compare_model)
            _select_dimensions(self.compare_dimensions, entry.compare_dimensions)
            tab = COMPARE_TAB
        if entry.query:
            self.query.setText(entry.query)
            tab = QUERY_TAB if entry.compare_model is None else tab
        self.views.setCurrentIndex(tab)

    def _on_controller_history_missing(self, _run_id: int) -> None:
        self.status.show_message("history-missing")

    # -- helpers ------------------------------------------------------------------------------

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
                "to show it again (vectors still in the cache are not fetched again); "
                "Delete removes the selected runs."
            ).replace("%1", str(DEFAULT_MAX_RUNS)),
        )

    def _history_text(self, run: RunSummary) -> str:
        model = _model_label(run.model, run.dimensions)
        if run.compare_model is not None:
            model = (
                self.tr("%1 vs %2")
                .replace("%1", model)
                .replace("%2", _model_label(run.compare_model, run.compare_dimensions))
            )
        text = (
            self.tr("%1 · %2 · texts: %3")
            .replace("%1", datetime.fromtimestamp(run.created_at).strftime("%Y-%m-%d %H:%M"))
            .replace("%2", model)
            .replace("%3", str(run.text_count))
        )
        if run.query:
            query = run.query
            if len(query) > HISTORY_QUERY_CHARS:
                query = query[: HISTORY_QUERY_CHARS - 1] + "…"
            text += " · " + self.tr("query: %1").replace("%1", query)
        return text

    def _history_tooltip(self, run: RunSummary) -> str:
        lines = list(run.preview)
        if run.text_count > len(run.preview):
            lines.append(
                self.tr("… and %1 more").replace("%1", str(run.text_count - len(run.preview)))
            )
        lines.append("")
        if run.query:
            lines.append(self.tr("Query: %1").replace("%1", run.query))
        lines.append(self.tr("Tokens: %1").replace("%1", str(run.tokens)))
        return "\n".join(lines)

    def _sync_buttons(self) -> None:
        running = self.controller.is_running(RUN)
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(self.controller.fetching())
        has_result = self.result is not None
        self.export_button.set_available(has_result)

    def _update_count(self) -> None:
        stale = self.result is not None and self.is_stale()
        self.texts_editor.update_count(stale=stale)

    # -- events -------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        self._ensure_views()
        super().showEvent(event)

    def first_shown(self) -> None:
        self.models.load()
        self.controller.load_history()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.model_label.setText(self.tr("Model:"))
        self.model.setAccessibleName(self.tr("Embedding model"))
        self.dimensions_label.setText(self.tr("Dimensions:"))
        self.dimensions.setAccessibleName(self.tr("Dimensions"))
        self.dimensions.setToolTip(
            self.tr("Shorter vectors are cheaper to store; the default is the model's full size")
        )
        _retranslate_dimensions(self.dimensions, self.tr("Default"))
        _retranslate_dimensions(self.compare_dimensions, self.tr("Default"))
        self.run_button.setText(self.tr("Run"))
        self.run_button.setAccessibleName(self.tr("Run"))
        self.run_button.setToolTip(self.tr("Embed the texts and compare them (Ctrl+Enter)"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop the requests under way (Esc)"))
        self.export_button.retranslate(self.tr)
        self.sort.setText(self.tr("Sort by similarity"))
        self.sort.setToolTip(self.tr("Put similar texts next to each other"))
        self.query.setPlaceholderText(self.tr("Type a query and press Enter"))
        self.query.setAccessibleName(self.tr("Query"))
        self.query_button.setText(self.tr("Rank"))
        self.query_button.setAccessibleName(self.tr("Rank the texts by similarity to the query"))
        self.compare_label.setText(self.tr("Compare with:"))
        self.compare_model.setAccessibleName(self.tr("Second embedding model"))
        self.compare_dimensions_label.setText(self.tr("Dimensions:"))
        self.compare_dimensions.setAccessibleName(self.tr("Dimensions of the second model"))
        self.compare_button.setText(self.tr("Compare"))
        self.compare_button.setAccessibleName(self.tr("Compare the two models"))
        self.progress.setAccessibleName(self.tr("Progress"))
        for index, title in enumerate(
            (
                self.tr("Heatmap"),
                self.tr("Query"),
                self.tr("2-D map"),
                self.tr("Compare models"),
                self.tr("History"),
            )
        ):
            self.views.setTabText(index, title)
        self.views.setAccessibleName(self.tr("Results"))
        if self.heatmap is not None:
            self.heatmap.setAccessibleName(self.tr("Similarity heatmap"))
        self._fill_history()
        self._update_count()


# -- dimensions combos ---------------------------------------------------------------------------


def _combo_dimensions(combo: QComboBox) -> int | None:
    value = combo.currentData()  # None for "Default", and when the model takes no dimensions
    return value if isinstance(value, int) else None


def _fill_dimensions(combo: QComboBox, label: QLabel, model: str, default_text: str) -> None:
    """Offer ``model``'s sizes (keeping the chosen one when it still applies), or hide the
    combo for models that take no ``dimensions`` (sending it to them is a 400)."""
    choices = dimension_choices(model)
    previous = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    if choices:
        combo.addItem(default_text, None)
        for size in choices:
            combo.addItem(str(size), size)
        _select_dimensions(combo, previous if previous in choices else None)
    combo.blockSignals(False)
    combo.setVisible(bool(choices))
    label.setVisible(bool(choices))


def _select_dimensions(combo: QComboBox, value: int | None) -> None:
    index = combo.findData(value) if value is not None else 0
    combo.setCurrentIndex(max(index, 0))


def _retranslate_dimensions(combo: QComboBox, default_text: str) -> None:
    if combo.count():
        combo.setItemText(0, default_text)


# -- history entries -----------------------------------------------------------------------------


def _model_label(model: str, dimensions: int | None) -> str:
    return model if dimensions is None else f"{model} ({dimensions})"
