"""The Microphone (transcription) tab: record, level meter and waveform, chunked transcription,
file import, an editable transcript and the history of recordings.

``page`` is the light tab page the main window holds; the rest is imported when it is first shown:
``models`` (the speech-to-text list), ``controller`` (recording and upload tasks), ``meters``
(level meter, waveform), ``transcript`` (the editable view), ``status`` and ``panel``.
"""
