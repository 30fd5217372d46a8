"""Generation parameters kept inside a saved PNG, so an image always says how it was made.

A generated image is saved with its prompt and every request parameter in PNG text chunks:
``parameters`` holds the whole record as JSON (UTF-8, in an ``iTXt`` chunk, so Chinese prompts
survive), and ``prompt`` / ``model`` / ``seed`` are repeated as plain keys that other image tools
show. :func:`read_parameters` reads the record back ("reuse parameters", a gallery rebuilt from the
files). The API key is never part of a request body, so it cannot end up here.

Pillow does the chunk work; this module is Qt-free and imported only when an image is saved.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PIL import Image, PngImagePlugin

PARAMETERS_KEY = "parameters"
FORMAT = "sfdesk.image"  # marks records written by this module (and their version)
VERSION = 1


class MetadataError(ValueError):
    """The bytes are not a PNG this module can read or write."""


def with_parameters(png: bytes, parameters: Mapping[str, Any]) -> bytes:
    """``png`` re-saved with ``parameters`` (JSON-serialisable) in its text chunks.

    The pixels are kept as they are; chunks from an earlier call are replaced, not duplicated.
    """
    record = {"format": FORMAT, "version": VERSION, **parameters}
    try:
        text = json.dumps(record, ensure_ascii=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise MetadataError(f"parameters are not JSON: {exc}") from exc
    try:
        with Image.open(io.BytesIO(png)) as image:
            if image.format != "PNG":
                raise MetadataError(f"not a PNG but {image.format}")
            image.load()
            info = PngImagePlugin.PngInfo()
            info.add_itxt(PARAMETERS_KEY, text)
            for key in ("prompt", "negative_prompt", "model", "seed"):
                value = parameters.get(key)
                if value not in (None, ""):
                    info.add_itxt(key, str(value))
            out = io.BytesIO()
            image.save(out, "PNG", pnginfo=info)
    except (OSError, Image.DecompressionBombError) as exc:
        raise MetadataError(str(exc)) from exc
    return out.getvalue()


def read_parameters(source: bytes | Path) -> dict[str, Any] | None:
    """The parameters a PNG was saved with; None when it carries none (or not ours)."""
    try:
        data = source.read_bytes() if isinstance(source, Path) else source
        with Image.open(io.BytesIO(data)) as image:
            text = getattr(image, "text", {}).get(PARAMETERS_KEY)
    except (OSError, Image.DecompressionBombError):
        return None
    if not isinstance(text, str):
        return None
    try:
        record = json.loads(text)
    except ValueError:
        return None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return None
    record.pop("format", None)
    record.pop("version", None)
    return record
