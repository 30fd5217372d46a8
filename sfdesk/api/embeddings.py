"""``/embeddings``: any number of texts, batched, a few batches in flight, vectors in input order.

The documented batch limit is 32 (the live API enforces 64), so batches are ≤ 32. A 413 means a
batch was still too big for the server; it is split in half and retried, down to single texts.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ._errors import ApiError, PayloadTooLargeError, ProtocolError
from ._transport import Transport
from ._types import Embeddings, Usage, require_dict

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MAX_BATCH = 32
MAX_IN_FLIGHT = 4

ProgressCallback = Callable[[int, int], None]


class EmbeddingsResource:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def create(
        self,
        *,
        model: str,
        input: Sequence[str] | str,
        dimensions: int | None = None,
        encoding_format: str = "float",
        batch_size: int = MAX_BATCH,
        on_progress: ProgressCallback | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Embeddings:
        """Embed ``input``; ``on_progress(done, total)`` is called as batches complete."""
        import numpy as np  # deferred: importing numpy would slow the app's start

        texts = [input] if isinstance(input, str) else list(input)
        if not texts:
            return Embeddings(vectors=np.zeros((0, 0), dtype=np.float32), usage=None, model=model)
        job = _EmbeddingJob(
            self._transport,
            model=model,
            dimensions=dimensions,
            encoding_format=encoding_format,
            total=len(texts),
            on_progress=on_progress,
            extra_headers=extra_headers,
        )
        batches = [
            (start, texts[start : start + batch_size])
            for start in range(0, len(texts), max(1, batch_size))
        ]
        try:
            async with asyncio.TaskGroup() as group:
                for start, batch in batches:
                    group.create_task(job.run(start, batch))
        except BaseExceptionGroup as failures:
            raise _first_api_error(failures) from None
        return job.result()


class _EmbeddingJob:
    """Collects the vectors of one ``create`` call as its batches complete."""

    def __init__(
        self,
        transport: Transport,
        *,
        model: str,
        dimensions: int | None,
        encoding_format: str,
        total: int,
        on_progress: ProgressCallback | None,
        extra_headers: Mapping[str, str] | None,
    ) -> None:
        self._transport = transport
        self._model = model
        self._dimensions = dimensions
        self._encoding_format = encoding_format
        self._on_progress = on_progress
        self._extra_headers = extra_headers
        self._rows: list[npt.NDArray[np.float32] | None] = [None] * total
        self._gate = asyncio.Semaphore(MAX_IN_FLIGHT)
        self._done = 0
        self._prompt_tokens = 0
        self._total_tokens = 0

    async def run(self, start: int, batch: list[str]) -> None:
        try:
            async with self._gate:
                vectors, usage = await self._request(batch)
        except PayloadTooLargeError:
            if len(batch) == 1:
                raise
            middle = len(batch) // 2
            await self.run(start, batch[:middle])
            await self.run(start + middle, batch[middle:])
            return
        for offset, vector in enumerate(vectors):
            self._rows[start + offset] = vector
        if usage is not None:
            self._prompt_tokens += usage.prompt_tokens
            self._total_tokens += usage.total_tokens
        self._done += len(batch)
        if self._on_progress is not None:
            self._on_progress(self._done, len(self._rows))

    async def _request(
        self, batch: list[str]
    ) -> tuple[list[npt.NDArray[np.float32]], Usage | None]:
        body: dict[str, Any] = {
            "model": self._model,
            "input": batch,
            "encoding_format": self._encoding_format,
        }
        if self._dimensions is not None:
            body["dimensions"] = self._dimensions
        data, trace_id = await self._transport.request_json(
            "POST", "/embeddings", json_body=body, extra_headers=self._extra_headers
        )
        return parse_embeddings(data, expected=len(batch), trace_id=trace_id)

    def result(self) -> Embeddings:
        import numpy as np

        rows = [row for row in self._rows if row is not None]
        if len(rows) != len(self._rows):
            raise ProtocolError("some embeddings are missing from the responses")
        widths = {row.shape[0] for row in rows}
        if len(widths) != 1:
            raise ProtocolError(f"embeddings have mixed dimensions: {sorted(widths)}")
        usage = Usage(prompt_tokens=self._prompt_tokens, total_tokens=self._total_tokens)
        return Embeddings(vectors=np.vstack(rows), usage=usage, model=self._model)


def parse_embeddings(
    data: object, *, expected: int, trace_id: str | None
) -> tuple[list[npt.NDArray[np.float32]], Usage | None]:
    reply = require_dict(data, "embeddings response")
    items = reply.get("data")
    if not isinstance(items, list) or len(items) != expected:
        count = len(items) if isinstance(items, list) else "no"
        raise ProtocolError(f"expected {expected} embeddings, got {count}", trace_id=trace_id)
    ordered: list[npt.NDArray[np.float32] | None] = [None] * expected
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            raise ProtocolError("embedding item is not an object", trace_id=trace_id)
        index = item.get("index", position)
        if not isinstance(index, int) or not 0 <= index < expected or ordered[index] is not None:
            raise ProtocolError(f"bad embedding index {index!r}", trace_id=trace_id)
        ordered[index] = _vector(item.get("embedding"), trace_id)
    return [v for v in ordered if v is not None], Usage.from_json(reply.get("usage"))


def _vector(raw: object, trace_id: str | None) -> npt.NDArray[np.float32]:
    import numpy as np

    if isinstance(raw, str):  # encoding_format=base64: packed little-endian float32
        try:
            packed = base64.b64decode(raw, validate=True)
        except ValueError:
            raise ProtocolError("embedding is not valid base64", trace_id=trace_id) from None
        if len(packed) % 4:
            raise ProtocolError("base64 embedding is not float32-sized", trace_id=trace_id)
        return np.frombuffer(packed, dtype="<f4").astype(np.float32)
    if isinstance(raw, list) and raw:
        try:
            return np.asarray(raw, dtype=np.float32)
        except (TypeError, ValueError):
            raise ProtocolError("embedding is not a list of numbers", trace_id=trace_id) from None
    raise ProtocolError("embedding is missing", trace_id=trace_id)


def _first_api_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The first real failure inside a TaskGroup error (siblings were cancelled because of it)."""
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            return _first_api_error(exc)
        if isinstance(exc, ApiError):
            return exc
    return group.exceptions[0]
