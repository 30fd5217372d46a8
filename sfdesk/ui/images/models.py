"""The image models, what each family accepts, and the exact request a generation sends.

The list comes from ``/models?sub_type=text-to-image`` and ``image-to-image``, fetched once per
base URL in the background and cached (:class:`ImagesModelsController`); until it arrives (or if
it never does) the picker offers the models SiliconFlow documents. Which parameters a model takes
follows siliconflow-api.md §6, by family:

- Kolors: ``image_size`` presets, ``batch_size`` 1–4, ``num_inference_steps``,
  ``guidance_scale``, and one optional reference ``image`` (image-to-image);
- Qwen-Image: its own size presets, steps and ``cfg`` (> 1 is needed to render text);
- Qwen-Image-Edit (one reference) and -2509 (up to three: ``image``, ``image2``, ``image3``): a
  reference is required, ``image_size`` is ignored (the output follows the input's aspect);
- Z-Image / ERNIE-Image, FLUX: sizes (and steps for FLUX.1-dev) only;
- any other model: a square size, the prompt, negative prompt and seed.

:meth:`ImageRequest.options` is the one place that decides what a model is sent, so a generation,
"View code", the PNG's metadata and the gallery agree.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from sfdesk.api import ApiError
from sfdesk.ui.model_list import MODELS, ModelsController, log

#: The documented models, shown before the server's list has arrived.
KNOWN_MODELS: tuple[str, ...] = (
    "Kwai-Kolors/Kolors",
    "Qwen/Qwen-Image",
    "Qwen/Qwen-Image-Edit-2509",
    "Qwen/Qwen-Image-Edit",
    "Tongyi-MAI/Z-Image-Turbo",
)
DEFAULT_MODEL = "Kwai-Kolors/Kolors"
MAX_SEED = 9_999_999_999
MIN_SIDE, MAX_SIDE = 64, 2048
REFERENCE_KEYS = ("image", "image2", "image3")
_SIZE = re.compile(r"\s*(\d{1,5})\s*[xX×*]\s*(\d{1,5})\s*")


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    default: float
    step: float = 1.0


@dataclass(frozen=True)
class ImageFamily:
    """What the models of one family accept."""

    key: str
    #: The recommended ``image_size`` values; empty when the model ignores the size.
    sizes: tuple[str, ...] = ("1024x1024",)
    batch: bool = False
    steps: Range | None = None
    guidance_scale: Range | None = None
    cfg: Range | None = None
    #: How many reference images the model takes, and whether one is required.
    max_references: int = 0
    needs_reference: bool = False

    @property
    def takes_size(self) -> bool:
        return bool(self.sizes)

    def axes(self) -> tuple[str, ...]:
        """The parameters a grid run can vary for this family."""
        return tuple(
            name
            for name, value in (
                ("num_inference_steps", self.steps),
                ("guidance_scale", self.guidance_scale),
                ("cfg", self.cfg),
            )
            if value is not None
        )

    def range_of(self, axis: str) -> Range | None:
        return {
            "num_inference_steps": self.steps,
            "guidance_scale": self.guidance_scale,
            "cfg": self.cfg,
        }.get(axis)


_QWEN_SIZES = (
    "1328x1328",
    "1664x928",
    "928x1664",
    "1472x1140",
    "1140x1472",
    "1584x1056",
    "1056x1584",
)
_FLUX_SIZES = ("1024x1024", "512x1024", "768x512", "768x1024", "1024x576", "576x1024")

KOLORS = ImageFamily(
    "kolors",
    sizes=("1024x1024", "960x1280", "768x1024", "720x1440", "720x1280"),
    batch=True,
    steps=Range(1, 100, 20),
    guidance_scale=Range(0, 20, 7.5, 0.5),
    max_references=1,
)
QWEN_IMAGE = ImageFamily(
    "qwen-image",
    sizes=_QWEN_SIZES,
    # The official configuration: 50 steps, CFG 4.0 (the API's own default is 20 steps).
    steps=Range(1, 100, 50),
    cfg=Range(0.1, 20, 4.0, 0.5),
)
QWEN_IMAGE_EDIT = ImageFamily(
    "qwen-image-edit",
    sizes=(),
    steps=Range(1, 100, 50),
    cfg=Range(0.1, 20, 4.0, 0.5),
    max_references=1,
    needs_reference=True,
)
QWEN_IMAGE_EDIT_2509 = replace(QWEN_IMAGE_EDIT, key="qwen-image-edit-2509", max_references=3)
Z_IMAGE = ImageFamily(
    "z-image",
    sizes=("1024x1024", "1200x896", "1264x848", "1376x768", "896x1200", "768x1376"),
)
FLUX_SCHNELL = ImageFamily("flux-schnell", sizes=_FLUX_SIZES)  # steps are fixed at 4
FLUX_DEV = ImageFamily("flux-dev", sizes=_FLUX_SIZES, steps=Range(1, 30, 20))
FLUX_2 = ImageFamily("flux-2", sizes=("1024x768", "768x1024", "512x512", "576x1024", "1024x576"))
GENERIC = ImageFamily("generic")
GENERIC_EDIT = ImageFamily("generic-edit", max_references=1)

_FAMILIES: tuple[tuple[re.Pattern[str], ImageFamily], ...] = (
    (re.compile(r"Kolors", re.I), KOLORS),
    (re.compile(r"Qwen-Image-Edit-2509", re.I), QWEN_IMAGE_EDIT_2509),
    (re.compile(r"Qwen-Image-Edit", re.I), QWEN_IMAGE_EDIT),
    (re.compile(r"Qwen-Image", re.I), QWEN_IMAGE),
    (re.compile(r"Z-Image|ERNIE-Image", re.I), Z_IMAGE),
    (re.compile(r"FLUX\.1-schnell", re.I), FLUX_SCHNELL),
    (re.compile(r"FLUX\.1-dev", re.I), FLUX_DEV),
    (re.compile(r"FLUX\.2", re.I), FLUX_2),
)
#: Models the server lists as image-to-image; an unknown one of them takes a reference.
_EDIT_MODELS: set[str] = set()


def family_of(model: str) -> ImageFamily:
    for pattern, family in _FAMILIES:
        if pattern.search(model):
            return family
    return GENERIC_EDIT if model in _EDIT_MODELS else GENERIC


def parse_size(text: str) -> tuple[int, int] | None:
    """``"1024x768"`` (also ``×``, ``*``, spaces) as (width, height); None if not a size the
    API could take (each side 64–2048)."""
    match = _SIZE.fullmatch(text)
    if match is None:
        return None
    width, height = int(match.group(1)), int(match.group(2))
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        return None
    return width, height


def new_seed() -> int:
    return random.randint(0, MAX_SEED)


@dataclass(frozen=True)
class ImageRequest:
    """Everything one generation asks for, as set in the panel."""

    model: str
    prompt: str
    negative_prompt: str = ""
    image_size: str | None = None
    batch_size: int = 1
    seed: int | None = None
    num_inference_steps: int | None = None
    guidance_scale: float | None = None
    cfg: float | None = None
    #: Reference images as attachment records ({"name", "url": data URL, "width", "height"}).
    references: tuple[dict[str, Any], ...] = field(default=(), compare=False)

    @property
    def family(self) -> ImageFamily:
        return family_of(self.model)

    def options(self) -> dict[str, Any]:
        """Keyword arguments of ``client.images.generate`` (and ``build_image_body``): the
        parameters this model takes, and only those that are set."""
        family = self.family
        options: dict[str, Any] = {}
        if self.negative_prompt.strip():
            options["negative_prompt"] = self.negative_prompt
        if family.takes_size and self.image_size:
            options["image_size"] = self.image_size
        if family.batch and self.batch_size > 1:
            options["batch_size"] = self.batch_size
        if self.seed is not None:
            options["seed"] = self.seed
        if family.steps is not None and self.num_inference_steps is not None:
            options["num_inference_steps"] = self.num_inference_steps
        if family.guidance_scale is not None and self.guidance_scale is not None:
            options["guidance_scale"] = self.guidance_scale
        if family.cfg is not None and self.cfg is not None:
            options["cfg"] = self.cfg
        for key, reference in zip(
            REFERENCE_KEYS, self.references[: family.max_references], strict=False
        ):
            options[key] = reference["url"]
        return options

    def record(self) -> dict[str, Any]:
        """What a saved image keeps of its request (PNG text chunks, the gallery): the body
        without the reference images' data, which can be megabytes — only their names and
        sizes. Never the key (a request body has none)."""
        record: dict[str, Any] = {"model": self.model, "prompt": self.prompt}
        options = self.options()
        for key in REFERENCE_KEYS:
            options.pop(key, None)
        record.update(options)
        used = self.references[: self.family.max_references]
        if used:
            record["references"] = [
                {k: reference.get(k) for k in ("name", "width", "height")} for reference in used
            ]
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ImageRequest:
        """The request a saved image was made with ("reuse parameters"); references are not
        kept, so none come back."""

        def whole(name: str) -> int | None:
            value = record.get(name)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        def real(name: str) -> float | None:
            value = record.get(name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
            return None

        def text(name: str) -> str:
            value = record.get(name)
            return value if isinstance(value, str) else ""

        return cls(
            model=text("model"),
            prompt=text("prompt"),
            negative_prompt=text("negative_prompt"),
            image_size=text("image_size") or None,
            batch_size=whole("batch_size") or 1,
            seed=whole("seed"),
            num_inference_steps=whole("num_inference_steps"),
            guidance_scale=real("guidance_scale"),
            cfg=real("cfg"),
        )


@dataclass(frozen=True)
class GridPlan:
    """A grid run: each prompt (a row) × each value of one parameter (a column), one seed."""

    base: ImageRequest
    prompts: tuple[str, ...]
    axis: str  # "num_inference_steps", "guidance_scale" or "cfg"
    values: tuple[float, ...]

    @property
    def count(self) -> int:
        return len(self.prompts) * len(self.values)

    def cell(self, row: int, column: int) -> ImageRequest:
        request = replace(self.base, prompt=self.prompts[row], batch_size=1)
        value = self.values[column]
        if self.axis == "num_inference_steps":
            return replace(request, num_inference_steps=int(value))
        if self.axis == "guidance_scale":
            return replace(request, guidance_scale=value)
        return replace(request, cfg=value)

    def cells(self) -> list[tuple[int, int, ImageRequest]]:
        return [
            (row, column, self.cell(row, column))
            for row in range(len(self.prompts))
            for column in range(len(self.values))
        ]

    def record(self) -> dict[str, Any]:
        """What the composed grid image keeps: the shared parameters and what varied."""
        record = self.base.record()
        record.pop(self.axis, None)
        record.pop("batch_size", None)
        record["prompt"] = " | ".join(self.prompts)
        record["grid"] = {
            "prompts": list(self.prompts),
            "axis": self.axis,
            "values": list(self.values),
        }
        return record


class ImagesModelsController(ModelsController):
    """Loads the text-to-image and image-to-image lists; a failure leaves the list as it was."""

    sub_type = "text-to-image"
    cache: ClassVar[dict[str, list[str]]] = {}
    what = "image model list"
    empty_is_a_list = False

    def load(self) -> None:
        cached = self.cache.get(self._client.base_url)
        if cached is not None:
            self.sig_models_loaded.emit(list(cached))
            return
        self.start(MODELS, self._fetch_both())

    async def _fetch_both(self) -> None:
        base_url = self._client.base_url
        try:
            text_to_image = await self._client.models.list(sub_type="text-to-image")
            image_to_image = await self._client.models.list(sub_type="image-to-image")
        except ApiError as exc:
            log.info("%s not loaded: %s", self.what, exc)
            return
        models = list(dict.fromkeys([*text_to_image, *image_to_image]))
        if not models:
            return
        _EDIT_MODELS.update(image_to_image)
        self.cache[base_url] = models
        self.sig_models_loaded.emit(list(models))
