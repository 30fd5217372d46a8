"""The Images panel: the form on the left; the latest images, the grid and the gallery on the right.

It binds the widgets to :class:`~sfdesk.ui.images.controller.ImagesController`: Generate
(``img.generate``, Ctrl+Enter) checks the input, draws the seed and starts a generation; Esc or
Cancel stops it; the elapsed time ticks in the status line. Reference images (edit models and
Kolors' image-to-image) come from a file picker, paste into the prompt, or a drop anywhere on the
panel, and are downscaled in a worker thread before they are sent. The gallery's actions — open,
save as, copy, reuse parameters, download again, delete — end here too.

In sandbox mode the gallery is kept in a folder of its own, so the sandbox's drawn pictures never
mix with real generations.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QMimeData, Qt, QTimer
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QImage,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sfdesk import paths
from sfdesk.api import build_image_body
from sfdesk.ui.chat.attachments import AttachmentBar, ChatInput, image_paths
from sfdesk.ui.context import AppContext
from sfdesk.ui.errors import short_title
from sfdesk.ui.first_show import LoadsWhenShown
from sfdesk.ui.images.code import ImagesCodeDialog
from sfdesk.ui.images.controller import (
    GENERATE,
    GRID,
    Generation,
    GridCell,
    GridResult,
    ImagesController,
)
from sfdesk.ui.images.gallery import GalleryView
from sfdesk.ui.images.grid import Cell, GridSetup, compose_grid
from sfdesk.ui.images.models import (
    DEFAULT_MODEL,
    KNOWN_MODELS,
    GridPlan,
    ImageRequest,
    ImagesModelsController,
    family_of,
)
from sfdesk.ui.images.params import ParamsForm
from sfdesk.ui.images.results import ResultStrip
from sfdesk.ui.images.status import ImagesStatus
from sfdesk.ui.images.viewer import ImageViewer

if TYPE_CHECKING:
    from sfdesk.store.image_gallery import GalleryEntry

log = logging.getLogger(__name__)

RESULT_TAB, GRID_TAB = range(2)
#: The elapsed time in the status line is refreshed this often while work runs.
TICK_MS = 100


class ReferenceBar(AttachmentBar):
    """The reference images of the next generation; the limit follows the model."""

    def limit_text(self) -> str:
        if self.max_images == 0:
            return self.tr("This model takes no reference image.")
        return self.tr("This model takes at most %1 reference image(s).").replace(
            "%1", str(self.max_images)
        )


class ImagesPanel(LoadsWhenShown):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("img.panel")
        self.setAcceptDrops(True)
        self._ctx = ctx
        self._started = 0.0
        self._working_count = 0
        self._grid_cells: list[list[Cell]] = []
        self._grid_plan: GridPlan | None = None
        self._grid_done = 0
        #: The latest generation (what the result strip shows).
        self.generation: Generation | None = None
        self.grid_result: GridResult | None = None
        #: The gallery as last listed, newest first; None when it cannot be opened.
        self.gallery_entries: list[GalleryEntry] | None = []
        gallery_root = paths.data_dir() / "sandbox-gallery" if ctx.sandbox else None
        self.controller = ImagesController(ctx.client, parent=self, gallery_root=gallery_root)
        self.models_controller = ImagesModelsController(ctx.client, parent=self)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick_timeout)

        self._build()
        self._connect()
        self._fill_models(list(KNOWN_MODELS))
        self._on_model_changed()
        self._sync_buttons()
        self._retranslate()

    # -- construction -------------------------------------------------------------------------

    def _build(self) -> None:
        self.model_label = QLabel(self)
        self.model = QComboBox(self)
        self.model.setObjectName("img.model")
        self.model.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.model.setMinimumContentsLength(16)
        self.model_label.setBuddy(self.model)
        self.references = ReferenceBar(self, object_name="img.references", max_images=1)
        self.prompt_label = QLabel(self)
        self.prompt = ChatInput(self.references, self)
        self.prompt.setObjectName("img.prompt")
        self.prompt.setTabChangesFocus(True)
        self.prompt.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 14)
        self.prompt_label.setBuddy(self.prompt)
        self.references_label = QLabel(self)
        self.add_reference = QPushButton(self)
        self.add_reference.setObjectName("img.add_reference")
        self.clear_references = QPushButton(self)
        self.clear_references.setObjectName("img.clear_references")
        self.params = ParamsForm(self)
        self.generate_button = QPushButton(self)
        self.generate_button.setObjectName("img.generate")
        self.generate_button.setDefault(True)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("img.cancel")
        self.code_button = QPushButton(self)
        self.code_button.setObjectName("img.view_code")
        self.status = ImagesStatus(self)
        self.results = ResultStrip(self)
        self.grid = GridSetup(self)
        self.views = QTabWidget(self)
        self.views.setObjectName("img.views")
        self.views.addTab(self.results, "")
        self.views.addTab(self.grid, "")
        self.gallery = GalleryView(self)

        reference_row = QHBoxLayout()
        reference_row.addWidget(self.references, 1)
        reference_row.addWidget(self.add_reference)
        reference_row.addWidget(self.clear_references)
        reference_row.setContentsMargins(0, 0, 0, 0)
        self._reference_row = QWidget(self)
        self._reference_row.setLayout(reference_row)
        for position, (label, widget) in enumerate(
            (
                (self.model_label, self.model),
                (self.prompt_label, self.prompt),
                (self.references_label, self._reference_row),
            )
        ):
            self.params.add_leading_row(position, label, widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.code_button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.params)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.status)
        left_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(360)
        scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(self.views)
        right.addWidget(self.gallery)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setChildrenCollapsible(False)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        c = self.controller
        c.sig_task_started.connect(self._on_controller_task_started)
        c.sig_task_finished.connect(self._on_controller_task_ended)
        c.sig_task_failed.connect(self._on_controller_task_failed)
        c.sig_task_cancelled.connect(self._on_controller_task_cancelled)
        c.sig_generated.connect(self._on_controller_generated)
        c.sig_grid_started.connect(self._on_controller_grid_started)
        c.sig_grid_cell_finished.connect(self._on_controller_grid_cell_finished)
        c.sig_grid_finished.connect(self._on_controller_grid_finished)
        c.sig_gallery_listed.connect(self._on_controller_gallery_listed)
        c.sig_thumbnail_loaded.connect(self._on_controller_thumbnail_loaded)
        c.sig_entry_downloaded.connect(self._on_controller_entry_downloaded)
        c.sig_retry_failed.connect(self._on_controller_retry_failed)
        c.sig_file_saved.connect(self._on_controller_file_saved)
        c.sig_file_failed.connect(self._on_controller_file_failed)
        self.models_controller.sig_models_loaded.connect(self._on_models_controller_models_loaded)
        self.model.currentTextChanged.connect(self._on_model_changed)
        self.prompt.textChanged.connect(self._on_prompt_edited)
        self.references.sig_changed.connect(self._sync_buttons)
        self.references.sig_problem.connect(lambda text: self.status.show_message("bad-size", text))
        self.add_reference.clicked.connect(self.reference_dialog)
        self.clear_references.clicked.connect(self.references.clear)
        self.generate_button.clicked.connect(self.generate)
        self.cancel_button.clicked.connect(self.cancel)
        self.code_button.clicked.connect(self.show_code)
        self.grid.sig_run_requested.connect(self.run_grid)
        self.results.sig_open_requested.connect(self._on_results_open_requested)
        g = self.gallery
        g.sig_thumbnails_wanted.connect(self.controller.request_thumbnails)
        g.sig_open_requested.connect(self.open_entry)
        g.sig_save_requested.connect(self.save_dialog)
        g.sig_copy_requested.connect(self.copy_entry)
        g.sig_reuse_requested.connect(self.reuse)
        g.sig_retry_requested.connect(self.controller.retry_download)
        g.sig_delete_requested.connect(self.confirm_delete)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.generate, context=context)
        QShortcut(QKeySequence("Esc"), self, self.cancel, context=context)

    # -- reading the controls -----------------------------------------------------------------

    def model_name(self) -> str:
        return self.model.currentText().strip() or DEFAULT_MODEL

    def prompt_text(self) -> str:
        return self.prompt.toPlainText().strip()

    def request(self, *, seed: int | None = None) -> ImageRequest:
        """The generation the controls describe (the seed field's seed unless one is given)."""
        base = self.params.request(self.model_name(), self.prompt_text(), seed=seed)
        return replace(base, references=tuple(self.references.attachments()))

    def request_body(self) -> dict[str, Any]:
        """The exact body Generate would send now (seed as in the field)."""
        request = self.request()
        return build_image_body(request.model, request.prompt, request.options())

    def _problem(self, request: ImageRequest) -> tuple[str, object] | None:
        """Why ``request`` cannot be sent, as a status kind and its data."""
        if not request.prompt:
            return ("no-prompt", None)
        problem = self.params.size_problem()
        if problem:
            return ("bad-size", problem)
        if self.references.loading:
            return ("references-loading", None)
        if request.family.needs_reference and not request.references:
            return ("no-reference", request.model)
        return None

    # -- actions ------------------------------------------------------------------------------

    def generate(self) -> asyncio.Task[None] | None:
        """Generate what the form describes; None (and a message) when it cannot be sent."""
        problem = self._problem(self.request())
        if problem is not None:
            self.status.show_message(*problem)
            return None
        request = self.request(seed=self.params.seed_for_run())
        self._working_count = request.batch_size
        self._start_clock()
        return self.controller.generate(request)

    def run_grid(self) -> asyncio.Task[None] | None:
        base = self.request(seed=self.params.seed_for_run())
        plan = self.grid.plan(base)
        if isinstance(plan, str):
            self.status.show_message("grid-problem", plan)
            return None
        problem = self._problem(base)
        if problem is not None and problem[0] != "no-prompt":
            self.status.show_message(*problem)
            return None
        self._start_clock()
        return self.controller.run_grid(plan)

    def cancel(self) -> None:
        self.controller.cancel_work()

    def show_code(self) -> ImagesCodeDialog:
        dialog = ImagesCodeDialog(self._ctx.base_url, self.request_body(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def reference_dialog(self) -> QFileDialog:
        dialog = QFileDialog(self.window(), self.tr("Add a reference image"))
        dialog.setObjectName("img.reference_dialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setNameFilters(
            [self.tr("Images (*.png *.jpg *.jpeg *.webp *.bmp *.gif *.tif *.tiff)")]
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(self.references.add_files)
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.show()
        return dialog

    def open_entry(self, entry: GalleryEntry) -> ImageViewer | None:
        if entry.path is None:
            return None
        image = QImage(str(entry.path))
        if image.isNull():
            self.status.show_message("save-failed", (entry.path, self.tr("the file is missing")))
            return None
        return self._show_viewer(image, entry.prompt)

    def _show_viewer(self, image: QImage, title: str) -> ImageViewer:
        viewer = ImageViewer(image, title[:80], self)
        viewer.show()
        return viewer

    def copy_entry(self, entry: GalleryEntry) -> bool:
        image = QImage(str(entry.path)) if entry.path is not None else QImage()
        if image.isNull():
            return False
        QGuiApplication.clipboard().setImage(image)
        self.status.show_message("copied")
        return True

    def save_dialog(self, entry: GalleryEntry) -> QFileDialog | None:
        if entry.path is None:
            return None
        source = entry.path
        dialog = QFileDialog(self.window(), self.tr("Save image"))
        dialog.setObjectName("img.save_dialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([self.tr("PNG image (*.png)")])
        dialog.setDefaultSuffix("png")
        dialog.selectFile(source.name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda name: self.controller.save_copy(source, Path(name)))
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.show()
        return dialog

    def reuse(self, entry: GalleryEntry) -> None:
        """Put the entry's model, prompt and parameters (seed locked) back in the form."""
        request = ImageRequest.from_record(dict(entry.params))
        if request.model:
            if self.model.findText(request.model) < 0:
                self.model.addItem(request.model)
            self.model.setCurrentText(request.model)
        self.prompt.setPlainText(request.prompt)
        self.params.apply(request)
        self.status.show_message("reused")

    def confirm_delete(self, entries: list[GalleryEntry]) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Images"),
            self.tr("Delete %1 image(s) from the gallery? Their files are deleted too.").replace(
                "%1", str(len(entries))
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("img.confirm")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ids = [entry.id for entry in entries]

        def on_finished(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                self.controller.delete_entries(ids)
                self.status.show_message("deleted", len(ids))

        box.finished.connect(on_finished)
        box.open()  # not exec(): no nested event loop while images generate
        return box

    # -- controller events --------------------------------------------------------------------

    def _on_controller_task_started(self, _slot: str) -> None:
        self._sync_buttons()

    def _on_controller_task_ended(self, slot: str) -> None:
        if slot in (GENERATE, GRID):
            self._stop_clock()
        self._sync_buttons()

    def _on_controller_task_failed(self, slot: str, error: object) -> None:
        if slot in (GENERATE, GRID):
            self._stop_clock()
        self._sync_buttons()
        if isinstance(error, BaseException):
            self.status.show_message("failed", error)

    def _on_controller_task_cancelled(self, slot: str) -> None:
        if slot in (GENERATE, GRID) and not self.controller.working():
            self._stop_clock()
            self.status.show_message("cancelled")
        self._sync_buttons()

    def _on_controller_generated(self, generation: Generation) -> None:
        self.generation = generation
        images = [QImage.fromData(image.png) for image in generation.images]
        self.results.show_images(images)
        self.views.setCurrentIndex(RESULT_TAB)
        self.status.show_message("generated", generation)

    def _on_controller_grid_started(self, plan: GridPlan) -> None:
        self._grid_plan = plan
        self._grid_done = 0
        self._grid_cells = [[None] * len(plan.values) for _ in plan.prompts]
        self.grid_result = None
        self.views.setCurrentIndex(GRID_TAB)
        self._draw_grid()

    def _on_controller_grid_cell_finished(self, cell: GridCell) -> None:
        if self._grid_plan is None:
            return
        self._grid_done += 1
        value: Cell
        if cell.picture is not None and not cell.picture.isNull():
            value = cell.picture
        else:
            value = self.tr("failed") if cell.error is None else short_title(cell.error)
        self._grid_cells[cell.row][cell.column] = value
        self._draw_grid()

    def _on_controller_grid_finished(self, result: GridResult) -> None:
        self.grid_result = result
        image = self._draw_grid()
        self.status.show_message("grid-finished", result)
        if image is not None and len(result.cells) > result.failed:
            self.controller.save_grid(result.plan, image)

    def _draw_grid(self) -> QImage | None:
        plan = self._grid_plan
        if plan is None:
            return None
        title = (
            self.tr("%1 · seed %2")
            .replace("%1", plan.base.model)
            .replace("%2", str(plan.base.seed))
        )
        image = compose_grid(
            self._grid_cells,
            list(plan.prompts),
            self.grid.column_labels(plan),
            title,
            waiting_text=self.tr("waiting…"),
        )
        self.grid.show_image(image)
        return image

    def _on_controller_gallery_listed(self, entries: list[GalleryEntry] | None) -> None:
        self.gallery_entries = entries
        self.gallery.set_entries(entries)

    def _on_controller_thumbnail_loaded(self, entry_id: int, image: QImage) -> None:
        self.gallery.model.set_thumbnail(entry_id, image)

    def _on_controller_entry_downloaded(self, entry: GalleryEntry) -> None:
        self.gallery.model.forget(entry.id)
        self.status.show_message("downloaded")

    def _on_controller_retry_failed(self, _entry: GalleryEntry, error: object) -> None:
        if isinstance(error, BaseException):
            self.status.show_message("retry-failed", error)

    def _on_controller_file_saved(self, path: str) -> None:
        self.status.show_message("saved", path)

    def _on_controller_file_failed(self, path: str, error: object) -> None:
        self.status.show_message("save-failed", (path, error))

    def _on_models_controller_models_loaded(self, models: list[str]) -> None:
        self._fill_models(models)

    def _on_results_open_requested(self, index: int) -> None:
        images = self.results.images()
        if 0 <= index < len(images) and self.generation is not None:
            self._show_viewer(images[index], self.generation.request.prompt)

    # -- keeping the controls in step --------------------------------------------------------

    def _fill_models(self, models: list[str]) -> None:
        current = self.model.currentText() or DEFAULT_MODEL
        self.model.blockSignals(True)
        self.model.clear()
        self.model.addItems(models)
        index = self.model.findText(current)
        self.model.setCurrentIndex(index if index >= 0 else 0)
        self.model.blockSignals(False)
        self._on_model_changed()

    def _on_model_changed(self, *_args: object) -> None:
        family = family_of(self.model_name())
        self.params.set_family(family)
        self.grid.set_family(family)
        self.references.max_images = family.max_references
        extra = len(self.references.attachments()) - family.max_references
        if extra > 0:
            for _ in range(extra):
                self.references.remove(family.max_references)
        self.params.set_row_visible(self._reference_row, family.max_references > 0)
        self._retranslate_references()
        self._sync_buttons()

    def _on_prompt_edited(self) -> None:
        self.grid.set_fallback_prompt(self.prompt_text())

    def _sync_buttons(self) -> None:
        working = self.controller.working()
        self.cancel_button.setEnabled(working)
        self.clear_references.setEnabled(bool(self.references.attachments()))

    def _start_clock(self) -> None:
        self._started = time.monotonic()
        self._tick.start()
        self._on_tick_timeout()

    def _stop_clock(self) -> None:
        self._tick.stop()

    def _on_tick_timeout(self) -> None:
        seconds = time.monotonic() - self._started
        if self.controller.is_running(GRID) and self._grid_plan is not None:
            self.status.show_message(
                "grid-working", (self._grid_done, self._grid_plan.count, seconds)
            )
        elif self.controller.is_running(GENERATE):
            self.status.show_message("working", (self._working_count, seconds))

    # -- drag and drop ------------------------------------------------------------------------

    def _droppable(self, mime: QMimeData) -> bool:
        return bool(image_paths(mime)) or mime.hasImage()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._droppable(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if self.references.add_mime(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dropEvent(event)

    # -- events -------------------------------------------------------------------------------

    def first_shown(self) -> None:
        self.models_controller.load()
        self.controller.list_gallery()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate_references(self) -> None:
        family = family_of(self.model_name())
        if family.needs_reference:
            text = self.tr("Reference (required)")
        elif family.max_references:
            text = self.tr("Reference (optional)")
        else:
            text = ""
        self.references_label.setText(text)
        self.add_reference.setToolTip(
            self.tr("Up to %1 image(s); paste or drop images here too").replace(
                "%1", str(family.max_references)
            )
        )

    def _retranslate(self) -> None:
        self.model_label.setText(self.tr("Model"))
        self.prompt_label.setText(self.tr("Prompt"))
        self.prompt.setPlaceholderText(
            self.tr("Describe the image, e.g. a red fox in snow, watercolour (Ctrl+Enter)")
        )
        self.model.setAccessibleName(self.tr("Image model"))
        self.prompt.setAccessibleName(self.tr("Prompt"))
        self.add_reference.setText(self.tr("Add image…"))
        self.clear_references.setText(self.tr("Clear"))
        self.generate_button.setText(self.tr("Generate"))
        self.generate_button.setToolTip(self.tr("Generate the image (Ctrl+Enter)"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop waiting for the images (Esc)"))
        self.code_button.setText(self.tr("View code"))
        self.code_button.setToolTip(
            self.tr("The request as curl or Python, with the key read from the environment")
        )
        self.views.setTabText(RESULT_TAB, self.tr("Result"))
        self.views.setTabText(GRID_TAB, self.tr("Grid"))
        self._retranslate_references()
        if self._grid_plan is not None:
            self._draw_grid()
