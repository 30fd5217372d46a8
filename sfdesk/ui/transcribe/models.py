"""The speech-to-text models: the documented ones until ``/models?sub_type=speech-to-text``
answers (fetched once per base URL in the background by the shared controller)."""

from __future__ import annotations

from typing import ClassVar

from sfdesk.ui.model_list import ModelsController

KNOWN_MODELS: tuple[str, ...] = ("FunAudioLLM/SenseVoiceSmall", "TeleAI/TeleSpeechASR")
DEFAULT_MODEL = KNOWN_MODELS[0]


class SpeechModelsController(ModelsController):
    sub_type = "speech-to-text"
    cache: ClassVar[dict[str, list[str]]] = {}
    what = "speech-to-text model list"
    empty_is_a_list = False
