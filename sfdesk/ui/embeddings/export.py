"""What each of the panel's exports writes, and under which name and filter it is offered.

The file formats themselves are :mod:`sfdesk.core.embedding_export`'s; this module picks the data
of a run for each kind and turns pictures of the views into PNG bytes. :func:`payload` returns a
function to run in a worker thread (it only touches numpy arrays and bytes); pictures are taken
on the GUI thread first, since only it may touch widgets.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage

from sfdesk.ui.embeddings.controller import RunResult
from sfdesk.ui.export_button import ExportKind
from sfdesk.ui.i18n import QT_TRANSLATE_NOOP

MATRIX_CSV = "matrix-csv"
VECTORS_NPY = "vectors-npy"
VECTORS_JSONL = "vectors-jsonl"
HEATMAP_PNG = "heatmap-png"
MAP_PNG = "map-png"


KINDS: tuple[ExportKind, ...] = (
    ExportKind(
        MATRIX_CSV,
        QT_TRANSLATE_NOOP("EmbeddingsPanel", "Similarity matrix as CSV…"),
        QT_TRANSLATE_NOOP("EmbeddingsPanel", "CSV (*.csv)"),
        "csv",
        "similarity",
    ),
    ExportKind(
        VECTORS_NPY,
        QT_TRANSLATE_NOOP("EmbeddingsPanel", "Vectors as NumPy .npy…"),
        QT_TRANSLATE_NOOP("EmbeddingsPanel", "NumPy array (*.npy)"),
        "npy",
        "vectors",
    ),
    ExportKind(
        VECTORS_JSONL,
        QT_TRANSLATE_NOOP("EmbeddingsPanel", "Texts and vectors as JSON Lines…"),
        QT_TRANSLATE_NOOP("EmbeddingsPanel", "JSON Lines (*.jsonl)"),
        "jsonl",
        "vectors",
    ),
    ExportKind(
        HEATMAP_PNG,
        QT_TRANSLATE_NOOP("EmbeddingsPanel", "Heatmap as PNG image…"),
        QT_TRANSLATE_NOOP("EmbeddingsPanel", "PNG image (*.png)"),
        "png",
        "heatmap",
    ),
    ExportKind(
        MAP_PNG,
        QT_TRANSLATE_NOOP("EmbeddingsPanel", "2-D map as PNG image…"),
        QT_TRANSLATE_NOOP("EmbeddingsPanel", "PNG image (*.png)"),
        "png",
        "map",
    ),
)
BY_KEY = {kind.key: kind for kind in KINDS}


def payload(kind: str, result: RunResult, picture: QImage | None = None) -> Callable[[], bytes]:
    """A function that builds the bytes of export ``kind`` of ``result`` (for a worker thread).

    PNG kinds need ``picture``, taken on the GUI thread; it is encoded here, on the GUI thread
    too, because QBuffer is a QObject (a heatmap picture encodes in a few milliseconds).
    """
    from sfdesk.core import embedding_export

    texts = list(result.texts.texts)
    if kind == MATRIX_CSV:
        return lambda: embedding_export.matrix_to_csv(result.matrix, texts)
    if kind == VECTORS_NPY:
        return lambda: embedding_export.vectors_to_npy(result.vectors)
    if kind == VECTORS_JSONL:
        groups = list(result.texts.groups)
        return lambda: embedding_export.vectors_to_jsonl(result.vectors, texts, groups)
    if kind in (HEATMAP_PNG, MAP_PNG):
        if picture is None:
            raise ValueError(f"{kind} needs a picture")
        data = png_bytes(picture)
        return lambda: data
    raise KeyError(kind)


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # stubs: bytes; runtime: str
        raise ValueError("the picture could not be encoded as PNG")
    buffer.close()
    return bytes(data.data())
