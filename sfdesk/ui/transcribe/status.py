"""The Microphone panel's status line (``asr.status``): what to say about each outcome.

Why recording is impossible (and what to install or connect), a recording or import under way,
what a finished one gave (how long, how many chunks, failures and what to do), and the file
actions. It keeps what it was told, so a language switch rewrites the message.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from sfdesk.ui.errors import explain
from sfdesk.ui.status_line import StatusLineBase
from sfdesk.ui.transcribe.controller import AudioImportError, SessionResult


def clock(seconds: float) -> str:
    """``MM:SS`` (``H:MM:SS`` past an hour) for the elapsed time."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class TranscribeStatus(StatusLineBase):
    """``show_message(kind, data)``; kinds are listed in :meth:`text_for`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("asr.status", parent)

    def text_for(self, kind: str, data: object) -> str:
        fixed = {
            "intro": self.tr(
                "Choose a microphone and press Record (Ctrl+R), or hold F9 to talk. Text appears "
                "at each pause. Audio files can be imported or dropped here."
            ),
            "no-portaudio": self.tr(
                "Recording needs the PortAudio library, which is not installed. On Debian or "
                "Ubuntu: sudo apt install libportaudio2, then restart sfdesk. Importing audio "
                "files still works."
            ),
            "no-device": self.tr(
                "No microphone was found. Connect one and press Refresh. Importing audio files "
                "still works."
            ),
            "starting": self.tr("Opening the microphone…"),
            "copied": self.tr("Transcript copied to the clipboard."),
            "sent": self.tr("Transcript sent to the Chat tab's input."),
            "empty": self.tr("There is no transcript yet."),
            "cancelled": self.tr("Stopped."),
        }
        if kind in fixed:
            return fixed[kind]
        if kind == "device-error":
            return self.tr("The microphone could not be opened: %1").replace("%1", str(data))
        if kind == "recording" and isinstance(data, tuple):  # (seconds, pending)
            seconds, pending = data
            text = self.tr("Recording… %1 (Esc stops)").replace("%1", clock(seconds))
            if pending:
                busy = self.tr("%1 chunk(s) being transcribed")
                text += " · " + busy.replace("%1", str(pending))
            return text
        if kind == "finishing" and isinstance(data, int):
            return self.tr("Finishing: %1 chunk(s) left to transcribe…").replace("%1", str(data))
        if kind == "importing" and isinstance(data, tuple):  # (name, pending)
            name, pending = data
            return (
                self.tr("Transcribing %1… %2 chunk(s) to go")
                .replace("%1", str(name))
                .replace("%2", str(pending))
            )
        if kind == "finished" and isinstance(data, SessionResult):
            return self._finished(data)
        if kind == "import-failed" and isinstance(data, AudioImportError):
            texts = {
                "not-audio": self.tr(
                    "%1 is not an audio file the service takes (wav, mp3, m4a, "
                    "flac, ogg, opus, webm)."
                ),
                "too-large": self.tr(
                    "%1 is larger than the 50 MB the service takes. Convert it "
                    "to WAV: WAV files are cut into small chunks here."
                ),
                "unreadable": self.tr("%1 could not be read."),
            }
            return texts.get(data.reason, texts["unreadable"]).replace("%1", data.name)
        if kind == "failed" and isinstance(data, BaseException):
            title, text = explain(data)
            return f"{title}: {text}"
        if kind == "exported":
            return self.tr("Saved to %1.").replace("%1", str(data))
        if kind == "export-failed" and isinstance(data, tuple):
            path, error = data
            return (
                self.tr("Could not save %1: %2")
                .replace("%1", str(path))
                .replace("%2", str(getattr(error, "strerror", None) or error))
            )
        if kind == "playback-failed":
            return self.tr("The recording cannot be played here: %1").replace("%1", str(data))
        return ""

    def _finished(self, result: SessionResult) -> str:
        ok = len(result.chunks) - len(result.failed)
        text = (
            self.tr("Transcribed %1 of audio in %2 chunk(s).")
            .replace("%1", clock(result.duration))
            .replace("%2", str(ok))
        )
        if not result.chunks:
            text = self.tr("Nothing was said: no chunk had speech to transcribe.")
        if result.failed:
            first = result.failed[0].error
            reason = explain(first)[0] if first is not None else ""
            text += " " + self.tr(
                "%1 chunk(s) failed (%2). The audio is kept: use Transcribe again in the history."
            ).replace("%1", str(len(result.failed))).replace("%2", reason)
        if result.hit_limit:
            text += " " + self.tr("The recording stopped at the one-hour limit.")
        if result.device_lost:
            text += " " + self.tr("The microphone stopped delivering audio (unplugged?).")
        if result.entry is None:
            text += " " + self.tr("The history could not keep it: copy or export the text.")
        return text
