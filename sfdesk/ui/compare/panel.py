"""The compare workbench (``compare.panel``), the Chat tab's second page.

Up to four columns (:class:`~sfdesk.ui.compare.column.CompareColumn`), each a model with its own
system prompt and parameters; one input box (``compare.input``) sends to all (Run, Ctrl+Enter;
Stop, Esc). ``{{name}}`` placeholders in the prompts become the columns of a small table of rows
(``compare.variables``; a table copied from a spreadsheet can be pasted), and a run goes through
every row: the columns show the row chosen in ``compare.row`` (following the run as it goes), and
the results grid (``compare.grid``) shows every row × column with its figures, exportable to
Markdown or CSV. Presets keep a column's prompts and parameters under a name, with versions and a
diff between two (:mod:`sfdesk.ui.compare.presets`). Blind mode (``compare.blind``) hides who each
column is until the audience has voted and Reveal is pressed; a tally is kept for the session.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sfdesk.ui.chat.models import DEFAULT_MODEL, ModelListController
from sfdesk.ui.compare.column import CompareColumn
from sfdesk.ui.compare.controller import (
    MAX_COLUMNS,
    RUN,
    CellResult,
    CompareController,
    CompareRequest,
)
from sfdesk.ui.context import AppContext
from sfdesk.ui.errors import short_title
from sfdesk.ui.export_button import ExportButton, ExportKind
from sfdesk.ui.first_show import LoadsWhenShown
from sfdesk.ui.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from sfdesk.core.blind import BlindRound, Tally
    from sfdesk.ui.compare.presets import PresetsDialog

MARKDOWN, CSV = "md", "csv"
KINDS: tuple[ExportKind, ...] = (
    ExportKind(
        MARKDOWN,
        QT_TRANSLATE_NOOP("ComparePanel", "Results as Markdown…"),
        QT_TRANSLATE_NOOP("ComparePanel", "Markdown (*.md)"),
        "md",
        "compare",
    ),
    ExportKind(
        CSV,
        QT_TRANSLATE_NOOP("ComparePanel", "Results as CSV…"),
        QT_TRANSLATE_NOOP("ComparePanel", "CSV (*.csv)"),
        "csv",
        "compare",
    ),
)
#: The second column of a new workbench: another family, so a first run already compares.
SECOND_MODEL = "deepseek-ai/DeepSeek-V3.2"
GRID_PREVIEW_CHARS = 160


class ComparePanel(LoadsWhenShown):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compare.panel")
        self._ctx = ctx
        self.controller = CompareController(ctx.client, parent=self)
        self.models_controller = ModelListController(ctx.client, parent=self)
        self._models: list[str] = [DEFAULT_MODEL, SECOND_MODEL]
        #: Every finished cell of the latest run, by (row, column).
        self.results: dict[tuple[int, int], CellResult] = {}
        self.request: CompareRequest | None = None
        self._shown_row = 0
        self._follow = True  # the columns follow the row being run until the user picks one
        self.round: BlindRound | None = None
        self._round_keys: list[str] = []  # the round's key of each column, by position
        self.tally: Tally | None = None
        self._presets_dialog: PresetsDialog | None = None
        self.columns: list[CompareColumn] = []
        self._build()
        self._connect()
        self.add_column(DEFAULT_MODEL)
        self.add_column(SECOND_MODEL)
        self._sync()
        self._retranslate()

    # -- construction -------------------------------------------------------------------------

    def _build(self) -> None:
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("compare.add_column")
        self.blind = QCheckBox(self)
        self.blind.setObjectName("compare.blind")
        self.reveal_button = QPushButton(self)
        self.reveal_button.setObjectName("compare.reveal")
        self.tally_label = QLabel(self)
        self.tally_label.setObjectName("compare.tally")
        self.presets_button = QPushButton(self)
        self.presets_button.setObjectName("compare.presets")
        self.export_button = ExportButton("compare", KINDS, self)
        self.columns_area = QSplitter(Qt.Orientation.Horizontal, self)
        self.columns_area.setObjectName("compare.columns")
        self.columns_area.setChildrenCollapsible(False)
        self.input = QPlainTextEdit(self)
        self.input.setObjectName("compare.input")
        self.input.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.run_button = QPushButton(self)
        self.run_button.setObjectName("compare.run")
        self.stop_button = QPushButton(self)
        self.stop_button.setObjectName("compare.stop")
        self.row_choice = QComboBox(self)
        self.row_choice.setObjectName("compare.row")
        self.row_choice.setVisible(False)  # only for a run of several rows
        self.status = QLabel(self)
        self.status.setObjectName("compare.status")
        self.status.setWordWrap(True)
        self.variables = QTableWidget(0, 0, self)
        self.variables.setObjectName("compare.variables")
        self.add_row_button = QPushButton(self)
        self.add_row_button.setObjectName("compare.add_row")
        self.paste_button = QPushButton(self)
        self.paste_button.setObjectName("compare.paste_rows")
        self.remove_row_button = QPushButton(self)
        self.remove_row_button.setObjectName("compare.remove_row")
        self.grid = QTableWidget(0, 0, self)
        self.grid.setObjectName("compare.grid")
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setWordWrap(True)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        toolbar = QHBoxLayout()
        for widget in (self.add_button, self.presets_button, self.blind, self.reveal_button):
            toolbar.addWidget(widget)
        toolbar.addWidget(self.tally_label, 1)
        toolbar.addWidget(self.export_button)
        prompt_row = QHBoxLayout()
        prompt_row.addWidget(self.input, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.row_choice)
        buttons.addStretch(1)
        prompt_row.addLayout(buttons)
        variables_page = QWidget(self)
        variables_layout = QVBoxLayout(variables_page)
        variables_layout.setContentsMargins(0, 0, 0, 0)
        variables_layout.addWidget(self.variables, 1)
        row_buttons = QHBoxLayout()
        for button in (self.add_row_button, self.remove_row_button, self.paste_button):
            row_buttons.addWidget(button)
        row_buttons.addStretch(1)
        variables_layout.addLayout(row_buttons)
        self.bottom = QTabWidget(self)
        self.bottom.setObjectName("compare.bottom")
        self.bottom.addTab(variables_page, "")
        self.bottom.addTab(self.grid, "")
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(prompt_row)
        lower_layout.addWidget(self.status)
        lower_layout.addWidget(self.bottom, 1)
        # Columns keep a readable width; four of them scroll sideways rather than widen the
        # window past the screen.
        self.columns_scroll = QScrollArea(self)
        self.columns_scroll.setWidget(self.columns_area)
        self.columns_scroll.setWidgetResizable(True)
        self.columns_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.columns_scroll)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([640, 260])  # the answers first; the scroll area's own hint is tiny
        self.columns_scroll.setMinimumHeight(280)
        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(split, 1)

    def _connect(self) -> None:
        c = self.controller
        c.sig_task_started.connect(self._sync)
        c.sig_task_finished.connect(self._sync)
        c.sig_task_failed.connect(self._on_controller_task_failed)
        c.sig_task_cancelled.connect(self._on_controller_task_cancelled)
        c.sig_run_started.connect(self._on_controller_run_started)
        c.sig_row_started.connect(self._on_controller_row_started)
        c.sig_cell_delta.connect(self._on_controller_cell_delta)
        c.sig_cell_finished.connect(self._on_controller_cell_finished)
        c.sig_run_finished.connect(self._on_controller_run_finished)
        c.sig_export_written.connect(
            lambda path: self.status.setText(self.tr("Saved to %1.").replace("%1", path))
        )
        c.sig_export_failed.connect(
            lambda path, error: self.status.setText(
                self.tr("Could not save %1: %2").replace("%1", path).replace("%2", str(error))
            )
        )
        self.models_controller.sig_models_loaded.connect(self._on_models_loaded)
        self.add_button.clicked.connect(lambda: self.add_column())
        self.blind.toggled.connect(self._on_blind_toggled)
        self.reveal_button.clicked.connect(self.reveal)
        self.presets_button.clicked.connect(self.open_presets)
        self.export_button.sig_chosen.connect(self.export_dialog)
        self.run_button.clicked.connect(self.run)
        self.stop_button.clicked.connect(self.controller.stop)
        self.input.textChanged.connect(self._sync_variables)
        self.row_choice.activated.connect(self._on_row_choice_activated)
        self.add_row_button.clicked.connect(self.add_row)
        self.remove_row_button.clicked.connect(self._remove_rows)
        self.paste_button.clicked.connect(self.paste_rows)
        self.grid.cellClicked.connect(lambda row, _column: self.show_row(row))
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.run, context=context)
        QShortcut(QKeySequence("Esc"), self, self.controller.stop, context=context)

    def first_shown(self) -> None:
        self.models_controller.load()

    # -- columns ------------------------------------------------------------------------------

    def add_column(self, model: str | None = None) -> CompareColumn | None:
        if len(self.columns) >= MAX_COLUMNS:
            return None
        column = CompareColumn(len(self.columns), self)
        column.set_models(self._models, model or self._models[0])
        column.sig_remove_requested.connect(lambda c=column: self.remove_column(c))
        column.sig_vote_requested.connect(lambda c=column: self.vote(c))
        column.sig_changed.connect(self._sync_variables)
        self.columns.append(column)
        self.columns_area.addWidget(column)
        self._sync()
        self._sync_variables()
        return column

    def remove_column(self, column: CompareColumn) -> None:
        if len(self.columns) <= 1 or self.controller.running():
            return
        self.columns.remove(column)
        column.setParent(None)
        column.deleteLater()
        for index, remaining in enumerate(self.columns):
            remaining.index = index
            remaining.setObjectName(f"compare.column.{index}")
            remaining.changeEvent(QEvent(QEvent.Type.LanguageChange))
        self.results = {}
        self._fill_grid()
        self._sync()
        self._sync_variables()

    def _on_models_loaded(self, models: list[str]) -> None:
        if models:
            self._models = models
            for column in self.columns:
                column.set_models(models, models[0])

    # -- variables ----------------------------------------------------------------------------

    def variable_names(self) -> list[str]:
        from sfdesk.core.prompt_vars import variables

        texts = [self.input.toPlainText(), *(c.system.toPlainText() for c in self.columns)]
        return variables(*texts)

    def _table_names(self) -> list[str]:
        """The variable names the table's columns are for, in order."""
        names = []
        for index in range(self.variables.columnCount()):
            item = self.variables.horizontalHeaderItem(index)
            names.append(item.text() if item is not None else "")
        return names

    def _sync_variables(self) -> None:
        """The table's columns follow the placeholders; values typed under a name stay."""
        names = self.variable_names()
        current = self._table_names()
        if names == current:
            return
        rows = self.rows()
        self.variables.setColumnCount(len(names))
        self.variables.setHorizontalHeaderLabels(names)
        self.variables.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, name in enumerate(names):
                self.variables.setItem(row, column, QTableWidgetItem(values.get(name, "")))
        self._retranslate_tabs()

    def rows(self) -> list[dict[str, str]]:
        """The rows of values, by variable name."""
        names = self._table_names()
        rows = []
        for row in range(self.variables.rowCount()):
            values = {}
            for column, name in enumerate(names):
                item = self.variables.item(row, column)
                values[name] = item.text() if item is not None else ""
            rows.append(values)
        return rows

    def add_row(self, values: dict[str, str] | None = None) -> None:
        row = self.variables.rowCount()
        self.variables.insertRow(row)
        for column, name in enumerate(self._table_names()):
            self.variables.setItem(row, column, QTableWidgetItem((values or {}).get(name, "")))
        self._retranslate_tabs()

    def set_rows(self, rows: list[dict[str, str]]) -> None:
        self.variables.setRowCount(0)
        for values in rows:
            self.add_row(values)

    def _remove_rows(self) -> None:
        for row in sorted({i.row() for i in self.variables.selectedIndexes()}, reverse=True):
            self.variables.removeRow(row)
        self._retranslate_tabs()

    def paste_rows(self) -> None:
        """Rows from a table on the clipboard (copied from a spreadsheet: a header line of
        variable names, then one line per row)."""
        from sfdesk.core.prompt_vars import TableError, rows_from_text

        try:
            header, rows = rows_from_text(QGuiApplication.clipboard().text())
        except TableError:
            self.status.setText(
                self.tr(
                    "The clipboard holds no table: copy a header line of variable names and "
                    "one line per row (tab- or comma-separated)."
                )
            )
            return
        unknown = [name for name in header if name not in self.variable_names()]
        for values in rows:
            self.add_row(values)
        text = self.tr("%1 row(s) added.").replace("%1", str(len(rows)))
        if unknown:
            text += " " + self.tr("Columns not used by any prompt: %1").replace(
                "%1", ", ".join(unknown)
            )
        self.status.setText(text)

    # -- running ------------------------------------------------------------------------------

    def compare_request(self) -> CompareRequest:
        names = self.variable_names()
        rows = tuple(self.rows()) if names else ()
        return CompareRequest(
            columns=tuple(column.spec() for column in self.columns),
            user_prompt=self.input.toPlainText().strip(),
            rows=rows,
        )

    def problem(self, request: CompareRequest) -> str | None:
        if not request.user_prompt:
            return self.tr("Type what to send to every column first.")
        if any(not column.model for column in request.columns):
            return self.tr("Every column needs a model.")
        if self.variable_names() and not request.rows:
            return self.tr(
                "The prompts use %1: add at least one row of values under Variables."
            ).replace("%1", ", ".join("{{" + n + "}}" for n in self.variable_names()))
        return None

    def run(self) -> asyncio.Task[None] | None:
        if self.controller.running():
            return None
        request = self.compare_request()
        problem = self.problem(request)
        if problem:
            self.status.setText(problem)
            return None
        if self.blind.isChecked():
            self._new_round()
        return self.controller.run(request)

    def _on_controller_run_started(self, request: CompareRequest) -> None:
        self.request = request
        self.results = {}
        self._follow = True
        self._shown_row = 0
        self.row_choice.clear()
        for index, values in enumerate(request.row_values()):
            self.row_choice.addItem(self._row_label(index, values))
        self.row_choice.setVisible(len(request.row_values()) > 1)
        for column in self.columns:
            column.clear_answer(waiting=True)
        self._fill_grid()
        self.status.setText(
            self.tr("Running %1 column(s) × %2 row(s)…")
            .replace("%1", str(len(request.columns)))
            .replace("%2", str(len(request.row_values())))
        )
        self._sync()

    def _row_label(self, index: int, values: Any) -> str:
        if not values:
            return self.tr("Row %1").replace("%1", str(index + 1))
        shown = ", ".join(f"{k}={v}" for k, v in values.items())
        if len(shown) > 40:
            shown = shown[:39] + "…"
        return self.tr("Row %1: %2").replace("%1", str(index + 1)).replace("%2", shown)

    def _on_controller_row_started(self, row: int) -> None:
        if self._follow:
            self.show_row(row, follow=True)

    def _on_controller_cell_delta(self, row: int, column: int, text: str, _reasoning: str) -> None:
        if row == self._shown_row and 0 <= column < len(self.columns) and text:
            self.columns[column].append_text(text)

    def _on_controller_cell_finished(self, result: CellResult) -> None:
        self.results[(result.row, result.column)] = result
        if result.row == self._shown_row and result.column < len(self.columns):
            self.columns[result.column].show_result(result)
        self._fill_grid()

    def _on_controller_run_finished(self, results: list[CellResult]) -> None:
        failed = sum(1 for result in results if not result.ok)
        text = self.tr("Done: %1 answer(s).").replace("%1", str(len(results) - failed))
        if failed:
            first = next(result.error for result in results if result.error is not None)
            text += " " + self.tr("%1 failed (%2).").replace("%1", str(failed)).replace(
                "%2", short_title(first) if first is not None else ""
            )
        if self.round is not None and not self.round.revealed:
            text += " " + self.tr("Blind: vote for the best answer, then Reveal.")
        self.status.setText(text)
        self._sync()

    def _on_controller_task_cancelled(self, slot: str) -> None:
        if slot == RUN:
            self.status.setText(self.tr("Stopped. Finished answers are kept."))
        self._sync()

    def _on_controller_task_failed(self, _slot: str, error: object) -> None:
        if isinstance(error, BaseException):
            self.status.setText(short_title(error))
        self._sync()

    def show_row(self, row: int, *, follow: bool = False) -> None:
        """Show row ``row``'s answers in the columns."""
        if self.request is None or not 0 <= row < len(self.request.row_values()):
            return
        self._follow = follow
        self._shown_row = row
        self.row_choice.setCurrentIndex(row)
        for index, column in enumerate(self.columns):
            result = self.results.get((row, index))
            if result is not None:
                column.show_result(result)
            else:
                column.clear_answer(waiting=self.controller.running())

    def _on_row_choice_activated(self, index: int) -> None:
        self.show_row(index)

    def _fill_grid(self) -> None:
        request = self.request
        rows = request.row_values() if request is not None else []
        self.grid.setRowCount(len(rows))
        self.grid.setColumnCount(len(request.columns) if request is not None else 0)
        if request is None:
            return
        self.grid.setHorizontalHeaderLabels(self._column_labels(request))
        self.grid.setVerticalHeaderLabels(
            [self._row_label(i, values) for i, values in enumerate(rows)]
        )
        for (row, column), result in self.results.items():
            if result.error is not None:
                text = "⚠ " + short_title(result.error)
            else:
                text = " ".join(result.text.split())
                if len(text) > GRID_PREVIEW_CHARS:
                    text = text[: GRID_PREVIEW_CHARS - 1] + "…"
            item = QTableWidgetItem(text)
            if column < len(self.columns):
                item.setToolTip(self.columns[column].stats_text(result))
            self.grid.setItem(row, column, item)
        self.grid.resizeRowsToContents()

    def _column_labels(self, request: CompareRequest) -> list[str]:
        if self.round is not None and not self.round.revealed:
            return [
                self.tr("Answer %1").replace("%1", self.round.letter_of(key))
                for key in self._round_keys
            ]
        return [spec.label() for spec in request.columns]

    # -- blind mode ---------------------------------------------------------------------------

    def _show_in_set_up_order(self) -> None:
        for position, column in enumerate(self.columns):
            column.set_blind(None)
            self.columns_area.insertWidget(position, column)

    def _on_blind_toggled(self, on: bool) -> None:
        if on:
            self._new_round()
        else:
            self.round = None
            self._show_in_set_up_order()
        self._fill_grid()
        self._sync()

    def _new_round(self) -> None:
        from sfdesk.core.blind import BlindRound, Tally

        if self.tally is None:
            self.tally = Tally()
        # The tally counts by what a column is (its label), so each round's keys are the labels,
        # made distinct when two columns are set up alike.
        keys: list[str] = []
        for column in self.columns:
            label = column.spec().label()
            key, number = label, 2
            while key in keys:
                key, number = f"{label} ({number})", number + 1
            keys.append(key)
        self._round_keys = keys
        self.round = BlindRound(keys)
        for column, key in zip(self.columns, keys, strict=True):
            column.set_blind(self.round.letter_of(key))
            column.mark_vote(False)
        # Shown in letter order: an audience that watched the set-up cannot tell by position.
        for position, letter in enumerate(self.round.letters):
            column = self.columns[keys.index(self.round.key_of(letter))]
            self.columns_area.insertWidget(position, column)
        self._fill_grid()
        self._sync()

    def vote(self, column: CompareColumn) -> None:
        if self.round is None or self.round.revealed:
            return
        self.round.vote(self.round.letter_of(self._round_keys[column.index]))
        for other in self.columns:
            other.mark_vote(other is column)
        self._sync()

    def reveal(self) -> None:
        """Show who each answer was, and count the vote."""
        if self.round is None or self.round.revealed:
            return
        mapping = self.round.reveal()
        assert self.tally is not None
        self.tally.add(self.round)
        self._show_in_set_up_order()
        shown = ", ".join(f"{letter} = {key}" for letter, key in sorted(mapping.items()))
        self.status.setText(self.tr("Revealed: %1").replace("%1", shown))
        self.blind.blockSignals(True)
        self.blind.setChecked(False)
        self.blind.blockSignals(False)
        self._fill_grid()
        self._sync()

    def tally_text(self) -> str:
        if self.tally is None or not self.tally.rounds:
            return ""
        counts = sorted(self.tally.counts().items(), key=lambda item: (-item[1], item[0]))
        shown = ", ".join(f"{name} {count}" for name, count in counts)
        return (
            self.tr("Votes (%1 round(s)): %2")
            .replace("%1", str(self.tally.rounds))
            .replace("%2", shown or "—")
        )

    # -- presets and export -------------------------------------------------------------------

    def open_presets(self) -> PresetsDialog:
        from sfdesk.ui.compare.presets import PresetsDialog

        if self._presets_dialog is None:
            self._presets_dialog = PresetsDialog(self)
        self._presets_dialog.show()
        self._presets_dialog.refresh()
        return self._presets_dialog

    def export_dialog(self, key: str) -> QFileDialog | None:
        if not self.results:
            self.status.setText(self.tr("Nothing to export yet: run a comparison first."))
            return None
        kind = next(k for k in KINDS if k.key == key)
        return self.export_button.save_dialog(
            kind,
            self.tr("Export the comparison"),
            self.tr(kind.name_filter),
            lambda path: self.export_to(key, path),
        )

    def export_data(self, key: str) -> bytes:
        from sfdesk.core.compare_export import CompareCell, ExportLabels, to_csv, to_markdown

        request = self.request
        assert request is not None
        column_labels = self._column_labels(request)
        row_labels = [self._row_label(i, v) for i, v in enumerate(request.row_values())]
        cells = {
            (row, column): CompareCell(
                text=result.text,
                model=request.columns[column].model,
                variant=request.columns[column].variant,
                ttft_seconds=result.ttft_seconds,
                tokens_per_second=result.tokens_per_second,
                completion_tokens=result.completion_tokens,
                finish_reason=result.finish_reason,
                error=None if result.error is None else short_title(result.error),
                reasoning=result.reasoning,
            )
            for (row, column), result in self.results.items()
        }
        blind = self.round is not None and not self.round.revealed
        if key == CSV:
            return to_csv(row_labels, column_labels, cells, hide_models=blind)
        labels = ExportLabels(
            title=self.tr("Compare results"),
            ttft=self.tr("TTFT {value} s"),
            tokens_per_second=self.tr("{value} tok/s"),
            tokens=self.tr("{value} tokens"),
            finish_reason=self.tr("finish: {value}"),
            model=self.tr("model: {value}"),
            variant=self.tr("variant: {value}"),
            error=self.tr("Error"),
            reasoning=self.tr("Reasoning"),
            missing=self.tr("No result."),
            empty=self.tr("Empty answer."),
        )
        title = self.tr("Comparison: %1").replace("%1", request.user_prompt[:60])
        markdown = to_markdown(
            row_labels, column_labels, cells, title=title, labels=labels, hide_models=blind
        )
        return markdown.encode("utf-8")

    def export_to(self, key: str, path: Path) -> asyncio.Task[None]:
        return self.controller.export(path, self.export_data(key))

    # -- state --------------------------------------------------------------------------------

    def _sync(self, *_args: object) -> None:
        running = self.controller.running()
        self.run_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.add_button.setEnabled(not running and len(self.columns) < MAX_COLUMNS)
        for column in self.columns:
            column.remove.setEnabled(not running and len(self.columns) > 1)
        blind_round = self.round is not None and not self.round.revealed
        self.reveal_button.setEnabled(blind_round and not running)
        self.export_button.set_available(bool(self.results) and not running)
        self.tally_label.setText(self.tally_text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate_tabs(self) -> None:
        self.bottom.setTabText(
            0, self.tr("Variables (%1 rows)").replace("%1", str(self.variables.rowCount()))
        )
        self.bottom.setTabText(1, self.tr("Results grid"))

    def _retranslate(self) -> None:
        self.add_button.setText(self.tr("Add column"))
        self.add_button.setToolTip(self.tr("Up to %1 columns").replace("%1", str(MAX_COLUMNS)))
        self.presets_button.setText(self.tr("Presets…"))
        self.blind.setText(self.tr("Blind"))
        self.blind.setToolTip(self.tr("Hide which model wrote each answer until Reveal"))
        self.reveal_button.setText(self.tr("Reveal"))
        self.input.setPlaceholderText(
            self.tr(
                "What to send to every column (Ctrl+Enter). {{name}} placeholders take their "
                "values from the Variables table, one run per row."
            )
        )
        self.input.setAccessibleName(self.tr("Prompt for every column"))
        self.run_button.setText(self.tr("Run"))
        self.run_button.setToolTip(self.tr("Send to every column (Ctrl+Enter)"))
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop every column (Esc)"))
        self.add_row_button.setText(self.tr("Add row"))
        self.remove_row_button.setText(self.tr("Remove rows"))
        self.paste_button.setText(self.tr("Paste table"))
        self.paste_button.setToolTip(
            self.tr("Rows from a table copied from a spreadsheet (header line: variable names)")
        )
        self.variables.setAccessibleName(self.tr("Variable values, one row per run"))
        self.grid.setAccessibleName(self.tr("Results, rows × columns"))
        self.export_button.retranslate(self.tr)
        self._retranslate_tabs()
        if not self.status.text():
            self.status.setText(
                self.tr(
                    "Set up two to four columns — models, system prompts, parameters — type one "
                    "prompt, and Run: the answers stream side by side."
                )
            )
        self._sync()
