"""The Images panel's controller: generations, grid runs, the gallery, thumbnails and files.

Every piece of work is a task in a named slot (see :mod:`sfdesk.ui.tasks`):

- ``generate`` asks for images and saves every one that arrives into the gallery at once — the
  signed links expire after an hour, so the gallery never depends on them. When some files could
  not be downloaded, the images that did arrive are saved and the failed ones are kept as
  gallery entries with their parameters and links (``download_failed``), to be downloaded again
  while the links live, or generated again with the same parameters.
- ``grid`` runs a :class:`GridPlan` (prompts × values of one parameter, one seed), two cells at a
  time, reporting each cell as it arrives; the composed grid is saved as one image.
- ``gallery`` lists (and deletes) entries; ``thumbs`` loads thumbnails in the background for the
  rows the gallery view asks for; ``retry`` downloads a failed entry again; ``file`` copies an
  image to where the user saves it.

The gallery (:class:`~sfdesk.store.image_gallery.ImageGallery`) is opened on first use in a worker
thread, and every call on it runs in one; a gallery that cannot be opened still leaves the
generated images on screen (their bytes travel with the result).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from sfdesk.api import ApiError, ImageDownloadError, SiliconFlowClient
from sfdesk.ui.images.grid_picture import cell_picture, png_bytes
from sfdesk.ui.images.models import GridPlan, ImageRequest
from sfdesk.ui.panel_stores import BackgroundStore, HistoryList
from sfdesk.ui.tasks import Controller

if TYPE_CHECKING:
    from sfdesk.store.image_gallery import GalleryEntry, ImageGallery

log = logging.getLogger(__name__)

GENERATE = "generate"
GRID = "grid"
GRID_SAVE = "grid-save"
GALLERY = "gallery"
THUMBS = "thumbs"
RETRY = "retry"
FILE = "file"

THUMBNAIL_SIZE = 256
#: Grid cells generated at once: faster than one by one, gentle on the account's rate limit.
GRID_CONCURRENCY = 2


@dataclass(frozen=True, eq=False)
class SavedImage:
    """One image of a generation: its bytes (PNG with the parameters) and its gallery entry."""

    png: bytes
    entry: GalleryEntry | None  # None when the gallery could not save it


@dataclass(frozen=True, eq=False)
class Generation:
    """What one Generate produced."""

    request: ImageRequest
    images: tuple[SavedImage, ...]
    seconds: float
    inference_seconds: float | None = None
    seed: int | None = None
    trace_id: str | None = None
    #: Images withheld by moderation (an empty link).
    filtered: int = 0
    #: Entries kept for images whose files could not be downloaded.
    failed: tuple[GalleryEntry, ...] = ()
    #: Why some files could not be downloaded (their links expired, the host failed).
    error: ApiError | None = None
    #: Nothing could be written to the gallery (it could not be opened): the images are only
    #: on screen.
    unsaved: bool = False


@dataclass(frozen=True, eq=False)
class GridCell:
    row: int
    column: int
    request: ImageRequest
    image: SavedImage | None = None
    #: The image at grid size, made in a worker thread.
    picture: QImage | None = None
    error: BaseException | None = None


@dataclass(frozen=True, eq=False)
class GridResult:
    plan: GridPlan
    cells: tuple[GridCell, ...]
    seconds: float

    @property
    def failed(self) -> int:
        return sum(1 for cell in self.cells if cell.image is None)


class ImagesController(Controller):
    """Owns the panel's tasks and the gallery; reports through signals."""

    sig_generated = Signal(object)  # Generation
    sig_grid_started = Signal(object)  # GridPlan
    sig_grid_cell_finished = Signal(object)  # GridCell, as each cell arrives or fails
    sig_grid_finished = Signal(object)  # GridResult
    sig_grid_saved = Signal(object)  # GalleryEntry of the composed grid
    #: The gallery, newest first (list[GalleryEntry]); None when it cannot be opened.
    sig_gallery_listed = Signal(object)
    sig_thumbnail_loaded = Signal(int, object)  # entry id, QImage (null when unreadable)
    sig_entry_downloaded = Signal(object)  # GalleryEntry, after a successful retry
    sig_retry_failed = Signal(object, object)  # GalleryEntry, ApiError
    sig_file_saved = Signal(str)  # path
    sig_file_failed = Signal(str, object)  # path, OSError

    def __init__(
        self,
        client: SiliconFlowClient,
        parent: QObject | None = None,
        *,
        gallery_root: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self._client = client
        self._gallery: BackgroundStore[ImageGallery] = BackgroundStore(
            lambda: _open_gallery(gallery_root), "image gallery (images are not kept)"
        )
        self._thumbs_wanted: dict[int, None] = {}  # ordered set: the view's latest asks first
        self._gallery_list = HistoryList(
            self, GALLERY, self._gallery, self.sig_gallery_listed.emit, listing="entries"
        )
        #: Set by shutdown: the gallery view's queued thumbnail requests start nothing after it.
        self._closed = False

    # -- generating ---------------------------------------------------------------------------

    def generate(self, request: ImageRequest) -> asyncio.Task[None]:
        """Generate ``request``; ``sig_generated`` with the saved images. Replaces a grid run."""
        self.cancel(GRID)
        return self.start(GENERATE, self._generate(request))

    def run_grid(self, plan: GridPlan) -> asyncio.Task[None]:
        self.cancel(GENERATE)
        task = self.start(GRID, self._grid(plan))
        self.sig_grid_started.emit(plan)
        return task

    def cancel_work(self) -> None:
        """Cancel the generation or grid under way (Cancel, Esc); what arrived stays."""
        self.cancel(GENERATE)
        self.cancel(GRID)

    def working(self) -> bool:
        return self.is_running(GENERATE) or self.is_running(GRID)

    async def _generate(self, request: ImageRequest) -> None:
        started = time.monotonic()
        record = request.record()
        try:
            result = await self._client.images.generate(
                model=request.model, prompt=request.prompt, **request.options()
            )
        except ImageDownloadError as exc:
            await self._keep_partial(request, record, exc, started)
            return
        if result.seed is not None:
            record["seed"] = result.seed
        saved = await self._save_all(
            record, [image.data for image in result.images], result.trace_id
        )
        self.sig_generated.emit(
            Generation(
                request=request,
                images=tuple(saved),
                seconds=time.monotonic() - started,
                inference_seconds=result.inference_seconds,
                seed=result.seed,
                trace_id=result.trace_id,
                filtered=result.filtered,
                unsaved=any(image.entry is None for image in saved),
            )
        )
        self.list_gallery()

    async def _keep_partial(
        self,
        request: ImageRequest,
        record: dict[str, Any],
        error: ImageDownloadError,
        started: float,
    ) -> None:
        if error.seed is not None:
            record["seed"] = error.seed
        saved = await self._save_all(
            record, [image.data for image in error.downloaded], error.trace_id
        )
        failed: list[GalleryEntry] = []
        store = await self._gallery.get()
        if store is not None:
            entry = await self._gallery.call(
                store.add_failed,
                record=record,
                urls=list(error.urls),
                error=error_record(error),
                trace_id=error.trace_id,
            )
            if entry is not None:
                failed.append(entry)
        self.sig_generated.emit(
            Generation(
                request=request,
                images=tuple(saved),
                seconds=time.monotonic() - started,
                seed=error.seed,
                trace_id=error.trace_id,
                failed=tuple(failed),
                error=error,
                unsaved=store is None,
            )
        )
        self.list_gallery()

    async def _save_all(
        self, record: dict[str, Any], images: Sequence[bytes], trace_id: str | None
    ) -> list[SavedImage]:
        store = await self._gallery.get()
        saved = []
        for index, data in enumerate(images):
            own = dict(record)
            if len(images) > 1:
                own["batch_index"] = (
                    index  # which image of the batch: with the seed, it is this one
                )
            entry = None
            if store is not None:
                entry = await self._gallery.call(store.add, data, record=own, trace_id=trace_id)
            if entry is not None and entry.path is not None:
                # The saved file: exactly what "save as" and "copy" will hand out.
                png = await asyncio.to_thread(entry.path.read_bytes)
            else:
                png = await asyncio.to_thread(_with_parameters, data, own)
            saved.append(SavedImage(png, entry))
        return saved

    # -- grid runs ----------------------------------------------------------------------------

    async def _grid(self, plan: GridPlan) -> None:
        started = time.monotonic()
        owner = asyncio.current_task()
        gate = asyncio.Semaphore(GRID_CONCURRENCY)

        async def one(row: int, column: int, request: ImageRequest) -> GridCell:
            async with gate:
                try:
                    result = await self._client.images.generate(
                        model=request.model, prompt=request.prompt, **request.options()
                    )
                    record = request.record()
                    if result.seed is not None:
                        record["seed"] = result.seed
                    (image,) = await self._save_all(
                        record, [result.images[0].data], result.trace_id
                    )
                    picture = await asyncio.to_thread(cell_picture, image.png)
                    cell = GridCell(row, column, request, image=image, picture=picture)
                except ApiError as exc:
                    cell = GridCell(row, column, request, error=exc)
            if self.task(GRID) is owner:
                self.sig_grid_cell_finished.emit(cell)
            return cell

        cells = await asyncio.gather(*(one(row, column, req) for row, column, req in plan.cells()))
        self.sig_grid_finished.emit(
            GridResult(plan=plan, cells=tuple(cells), seconds=time.monotonic() - started)
        )
        self.list_gallery()

    def save_grid(self, plan: GridPlan, image: QImage) -> asyncio.Task[None]:
        """Keep the composed grid image in the gallery (with what it compares)."""
        return self.start(GRID_SAVE, self._save_grid(plan, image))

    async def _save_grid(self, plan: GridPlan, image: QImage) -> None:
        store = await self._gallery.get()
        if store is None:
            return
        png = await asyncio.to_thread(png_bytes, image)
        entry = await self._gallery.call(store.add, png, record=plan.record(), kind="grid")
        if entry is not None:
            self.sig_grid_saved.emit(entry)
        self.list_gallery()

    # -- the gallery --------------------------------------------------------------------------

    def list_gallery(self) -> asyncio.Task[Any]:
        """List the gallery (after the deletes asked for); joins a listing under way."""
        return self._gallery_list.sync()

    def delete_entries(self, entry_ids: Sequence[int]) -> asyncio.Task[Any]:
        return self._gallery_list.delete(entry_ids)

    def request_thumbnails(self, entry_ids: Sequence[int]) -> None:
        """Load these thumbnails in the background (``sig_thumbnail_loaded`` for each)."""
        if self._closed:
            return
        for entry_id in entry_ids:
            self._thumbs_wanted[entry_id] = None
        if self._thumbs_wanted and not self.is_running(THUMBS):
            self.start(THUMBS, self._load_thumbnails())

    async def _load_thumbnails(self) -> None:
        store = await self._gallery.get()
        while self._thumbs_wanted:
            # The newest request first: it is what the view shows now.
            entry_id = next(reversed(self._thumbs_wanted))
            del self._thumbs_wanted[entry_id]
            image = QImage()
            if store is not None:
                data = await self._gallery.call(store.thumbnail, entry_id, THUMBNAIL_SIZE)
                if data:
                    image = await asyncio.to_thread(QImage.fromData, data)
            self.sig_thumbnail_loaded.emit(entry_id, image)

    def retry_download(self, entry: GalleryEntry) -> asyncio.Task[None]:
        """Download a ``download_failed`` entry again (its links live an hour)."""
        return self.start(RETRY, self._retry(entry))

    async def _retry(self, entry: GalleryEntry) -> None:
        store = await self._gallery.get()
        if store is None:
            return
        current = entry
        for number, url in enumerate(entry.urls):
            try:
                image = await self._client.images.download(url)
            except ApiError as exc:
                self.sig_retry_failed.emit(current, exc)
                self.list_gallery()
                return
            if number == 0:
                current = await self._gallery.call(store.attach, entry.id, image.data) or current
            else:
                await self._gallery.call(
                    store.add, image.data, record=entry.params, trace_id=entry.trace_id
                )
        self.sig_entry_downloaded.emit(current)
        self.list_gallery()

    def save_copy(self, source: Path, target: Path) -> asyncio.Task[None]:
        """Copy a gallery image (with its parameters inside) to where the user chose."""
        return self.start(FILE, self._copy(source, target))

    async def _copy(self, source: Path, target: Path) -> None:
        try:
            await asyncio.to_thread(shutil.copyfile, source, target)
        except OSError as exc:
            self.sig_file_failed.emit(str(target), exc)
            return
        self.sig_file_saved.emit(str(target))

    async def read_file(self, path: Path) -> bytes | None:
        try:
            return await asyncio.to_thread(path.read_bytes)
        except OSError:
            return None

    async def shutdown(self, grace: float = 5.0) -> None:
        self._closed = True
        await super().shutdown(grace)
        await self._gallery.close()


# -- helpers -------------------------------------------------------------------------------------


def error_record(error: ApiError) -> dict[str, Any]:
    """What the gallery keeps of a failure (never a traceback)."""
    return {
        "reason": error.reason,
        "status": error.status,
        "code": error.code,
        "message": error.message,
        "trace_id": error.trace_id,
    }


def _with_parameters(data: bytes, record: dict[str, Any]) -> bytes:
    """The image with its parameters inside, for showing when the gallery could not save it."""
    from sfdesk.core.png_metadata import MetadataError, with_parameters

    try:
        return with_parameters(data, record)
    except MetadataError:
        return data


def _open_gallery(root: Path | None) -> ImageGallery:
    from sfdesk.store.image_gallery import ImageGallery

    return ImageGallery(root)
