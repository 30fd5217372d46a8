"""The Images panel's status line (``img.status``): what to say about each outcome.

Input refused before any request, a generation or grid under way (with the time so far), what it
made (how many images, how long, the seed), what was withheld or not downloaded and what to do,
failures in plain words with the trace id, and the gallery's file actions. It keeps what it was
told, so a language switch rewrites the message in the new language.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from sfdesk.api import ApiError
from sfdesk.ui.errors import explain
from sfdesk.ui.images.controller import Generation, GridResult
from sfdesk.ui.status_line import StatusLineBase

#: The API's code for an image size the model does not take.
BAD_SIZE_CODE = 20025


class ImagesStatus(StatusLineBase):
    """``show_message(kind, data)``; kinds are listed in :meth:`text_for`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("img.status", parent)

    def text_for(self, kind: str, data: object) -> str:
        fixed = {
            "intro": self.tr(
                "Pick a model, describe the image and press Generate (Ctrl+Enter). Every image "
                "is kept in the gallery with the parameters it was made with."
            ),
            "no-prompt": self.tr("Describe the image first: the prompt is empty."),
            "references-loading": self.tr(
                "The reference image is still being prepared; try again in a moment."
            ),
            "cancelled": self.tr("Cancelled. Images that had already arrived are kept."),
            "copied": self.tr("Image copied to the clipboard."),
            "reused": self.tr(
                "The image's parameters are back in the form, with its seed locked: Generate "
                "makes it again."
            ),
            "downloaded": self.tr("Downloaded: the image is in the gallery now."),
            "grid-saved": self.tr("The grid is saved in the gallery as one image."),
        }
        if kind in fixed:
            return fixed[kind]
        if kind in ("bad-size", "grid-problem") and isinstance(data, str):
            return data
        if kind == "no-reference" and isinstance(data, str):  # the model
            return self.tr(
                "%1 edits an image: add a reference image first (Add image…, paste or drag and "
                "drop)."
            ).replace("%1", data)
        if kind == "working" and isinstance(data, tuple):  # (images, seconds)
            images, seconds = data
            return (
                self.tr("Generating %1 image(s)… %2 s (Esc cancels)")
                .replace("%1", str(images))
                .replace("%2", f"{seconds:.1f}")
            )
        if kind == "grid-working" and isinstance(data, tuple):  # (done, total, seconds)
            done, total, seconds = data
            return (
                self.tr("Grid: %1 of %2 images… %3 s (Esc cancels)")
                .replace("%1", str(done))
                .replace("%2", str(total))
                .replace("%3", f"{seconds:.1f}")
            )
        if kind == "generated" and isinstance(data, Generation):
            return self._generated(data)
        if kind == "grid-finished" and isinstance(data, GridResult):
            return self._grid(data)
        if kind == "failed" and isinstance(data, BaseException):
            return self._failure(data)
        if kind == "retry-failed" and isinstance(data, BaseException):
            title, text = explain(data)
            return (
                self.tr(
                    "%1: %2 The parameters stay in the gallery: Reuse parameters, then Generate, "
                    "makes the image again."
                )
                .replace("%1", title)
                .replace("%2", text)
            )
        if kind == "saved":
            return self.tr("Saved to %1 (with its parameters inside).").replace("%1", str(data))
        if kind == "save-failed" and isinstance(data, tuple):  # (path, error)
            path, error = data
            return (
                self.tr("Could not save %1: %2")
                .replace("%1", str(path))
                .replace("%2", str(getattr(error, "strerror", None) or error))
            )
        if kind == "deleted" and isinstance(data, int):
            return self.tr("Deleted %1 image(s) from the gallery.").replace("%1", str(data))
        return ""

    def _generated(self, result: Generation) -> str:
        parts = [
            self.tr("%1 image(s) in %2 s")
            .replace("%1", str(len(result.images)))
            .replace("%2", f"{result.seconds:.1f}")
        ]
        if result.inference_seconds is not None:
            parts.append(self.tr("inference %1 s").replace("%1", f"{result.inference_seconds:.1f}"))
        if result.seed is not None:
            parts.append(self.tr("seed %1").replace("%1", str(result.seed)))
        text = ", ".join(parts) + "."
        if result.filtered:
            text += " " + self.tr(
                "%1 image(s) were withheld by content moderation: rephrase the prompt."
            ).replace("%1", str(result.filtered))
        if result.error is not None:
            text += " " + self.tr(
                "%1 image(s) could not be downloaded (%2). Their parameters are kept in the "
                "gallery: Download again works while the link lives (one hour)."
            ).replace("%1", str(len(getattr(result.error, "urls", ()) or ()))).replace(
                "%2", explain(result.error)[0]
            )
        if result.unsaved:
            text += " " + self.tr("The gallery could not save them: use Save as… to keep them.")
        return text

    def _grid(self, result: GridResult) -> str:
        text = (
            self.tr("Grid finished: %1 images in %2 s.")
            .replace("%1", str(len(result.cells) - result.failed))
            .replace("%2", f"{result.seconds:.1f}")
        )
        if result.failed:
            first = next(cell.error for cell in result.cells if cell.error is not None)
            text += " " + self.tr("%1 cell(s) failed: %2").replace(
                "%1", str(result.failed)
            ).replace("%2", explain(first)[0])
        return text

    def _failure(self, error: BaseException) -> str:
        title, text = explain(error)
        if isinstance(error, ApiError) and error.code == BAD_SIZE_CODE:
            # The general "a parameter may not be supported" says less than we know; the
            # server's message and the trace id stay.
            _general, _sep, details = text.partition("\n\n")
            text = self.tr(
                "This model does not take that image size. Choose one of the sizes in the list."
            )
            text = f"{text}\n\n{details}" if details else text
        return f"{title}: {text}"
