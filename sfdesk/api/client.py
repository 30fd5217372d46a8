""":class:`SiliconFlowClient`, the entry point of the service layer.

One client is meant to live as long as the app: it holds the connection pool, and its key or
base URL can be changed in place (:meth:`reconfigure`) when the user switches accounts or sites.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from ._transport import DEFAULT_BASE_URL, RetryPolicy, Timeouts, Transport
from .account import ModelsResource, UserResource
from .audio import AudioResource
from .chat import Chat
from .embeddings import EmbeddingsResource
from .images import ImagesResource
from .rerank import RerankResource

if TYPE_CHECKING:
    import httpx


class SiliconFlowClient:
    """Async client of the SiliconFlow API (and of OpenAI-compatible servers with the same shapes).

    >>> async with SiliconFlowClient(api_key=key) as sf:
    ...     reply = await sf.chat.create(model="Qwen/Qwen3-8B", messages=[...])
    """

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        timeouts: Timeouts | None = None,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        policy = retry or RetryPolicy()
        if max_retries is not None:
            policy = RetryPolicy(
                max_retries=max_retries,
                base_delay=policy.base_delay,
                max_delay=policy.max_delay,
                max_retry_after=policy.max_retry_after,
            )
        self._transport = Transport(
            api_key=api_key,
            base_url=base_url,
            timeouts=timeouts or Timeouts(),
            retry=policy,
            http_client=http_client,
        )
        self.chat = Chat(self._transport)
        self.embeddings = EmbeddingsResource(self._transport)
        self.rerank = RerankResource(self._transport)
        self.images = ImagesResource(self._transport)
        self.audio = AudioResource(self._transport)
        self.models = ModelsResource(self._transport)
        self.user = UserResource(self._transport)

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def timeouts(self) -> Timeouts:
        return self._transport.timeouts

    def reconfigure(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeouts: Timeouts | None = None,
        max_retries: int | None = None,
    ) -> None:
        """Change credentials or limits for requests started from now on."""
        self._transport.reconfigure(api_key=api_key, base_url=base_url)
        if timeouts is not None:
            self._transport.timeouts = timeouts
        if max_retries is not None:
            current = self._transport.retry
            self._transport.retry = RetryPolicy(
                max_retries=max_retries,
                base_delay=current.base_delay,
                max_delay=current.max_delay,
                max_retry_after=current.max_retry_after,
            )

    async def aclose(self) -> None:
        await self._transport.aclose()

    async def __aenter__(self) -> SiliconFlowClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"SiliconFlowClient(base_url={self.base_url!r}, api_key=[redacted])"
