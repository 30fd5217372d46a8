"""The chat request parameters (``chat.params``): one compact widget for every sampling option.

Each control has a "Default" state meaning "leave the parameter out, the server decides", and
:meth:`ChatParams.params` returns only the parameters that are set *and* meaningful for the current
model: a control hidden because the model does not take its parameter never reaches the request
(SiliconFlow answers such parameters with a 400 at worst). ``n`` is never sent: the chat shows
one answer.

The common controls (temperature, max tokens, thinking, budget) sit on one row; the "More" toggle
reveals the rest below. Collapsing that row does not unset its values: the toggle counts
the ones that are set, so nothing is sent that the user cannot find.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextOption, QValidator
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sfdesk.ui.chat.models import (
    is_hybrid,
    supports_json_mode,
    supports_min_p,
    thinks_always,
)

MAX_STOP = 4  # SiliconFlow takes at most four stop sequences
MIN_THINKING_BUDGET = 128
MAX_THINKING_BUDGET = 32768
MAX_TOKENS_LIMIT = 131072

# Parameters on the "More" row (the toggle counts the ones that are set).
_MORE = ("top_p", "top_k", "min_p", "frequency_penalty", "stop", "response_format")

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)


def decode_stop(line: str) -> str:
    r"""A stop sequence as typed: ``\n``, ``\t``, ``\r`` and ``\\`` are escapes.

    Everything else is literal, an unknown escape such as ``\d`` included.
    """
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), line)


def encode_stop(sequence: str) -> str:
    """The line that :func:`decode_stop` turns back into ``sequence``."""
    return (
        sequence.replace("\\", "\\\\")
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )


class OptionalDoubleSpinBox(QDoubleSpinBox):
    """A spin box whose minimum is the "Default" state, one unit below the lowest real value.

    The first step up from Default lands on ``start`` (e.g. 0 for a penalty that ranges -2..2)
    rather than one unit above the minimum.
    """

    def __init__(
        self,
        parent: QWidget,
        *,
        low: float,
        high: float,
        step: float,
        decimals: int = 2,
        start: float | None = None,
    ) -> None:
        super().__init__(parent)
        self.setDecimals(decimals)
        self.setRange(round(low - 10**-decimals, decimals), high)
        self.setSingleStep(step)
        self._start = math.ceil(round(low / step, 6)) * step if start is None else start
        self.clear_value()

    def is_set(self) -> bool:
        return self.value() > self.minimum()

    def clear_value(self) -> None:
        self.setValue(self.minimum())

    def stepBy(self, steps: int) -> None:
        if steps > 0 and not self.is_set():
            self.setValue(self._start + (steps - 1) * self.singleStep())
        else:
            super().stepBy(steps)


class OptionalSpinBox(QSpinBox):
    """The whole-number twin of :class:`OptionalDoubleSpinBox`."""

    def __init__(
        self, parent: QWidget, *, low: int, high: int, step: int, start: int | None = None
    ) -> None:
        super().__init__(parent)
        self.setRange(low - 1, high)
        self.setSingleStep(step)
        self._start = -(-low // step) * step if start is None else start
        self.clear_value()

    def is_set(self) -> bool:
        return self.value() > self.minimum()

    def clear_value(self) -> None:
        self.setValue(self.minimum())

    def stepBy(self, steps: int) -> None:
        if steps > 0 and not self.is_set():
            self.setValue(self._start + (steps - 1) * self.singleStep())
        else:
            super().stepBy(steps)


class TopKSpinBox(OptionalSpinBox):
    """``top_k``: -1 (off) or 1..100; 0 is refused by the server (20060), so it is skipped."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, low=-1, high=100, step=1)

    def stepBy(self, steps: int) -> None:
        super().stepBy(steps)
        if self.value() == 0:
            self.setValue(1 if steps > 0 else -1)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        result = super().validate(text, pos)
        if text.strip() in ("0", "-0", "+0"):
            # Not Acceptable, so Qt never takes it as the value and restores the last one.
            return QValidator.State.Intermediate, text, pos
        return result


class StopEditor(QPlainTextEdit):
    r"""Stop sequences, one per line (at most :data:`MAX_STOP`); ``\n`` types a line break.

    Spaces count, so they are drawn as dots. The editor is one line tall and grows with each line.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        option = self.document().defaultTextOption()
        option.setFlags(option.flags() | QTextOption.Flag.ShowTabsAndSpaces)
        self.document().setDefaultTextOption(option)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(140)
        self.blockCountChanged.connect(self._fit_height)
        self._fit_height()

    def sequences(self) -> list[str]:
        """The non-empty lines, decoded (the editor never holds more than four)."""
        lines = self.toPlainText().split("\n")
        return [decode_stop(line) for line in lines if line][:MAX_STOP]

    def set_sequences(self, sequences: list[str]) -> None:
        self.setPlainText("\n".join(encode_stop(s) for s in sequences[:MAX_STOP]))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Any Enter starts a new sequence (Shift+Enter would otherwise insert a soft break
            # inside one line); a fifth one is refused.
            if self._lines_after_inserting("\n") > MAX_STOP:
                QApplication.beep()
            else:
                self.textCursor().insertText("\n")
                self.ensureCursorVisible()
            event.accept()
            return
        super().keyPressEvent(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasText()

    def insertFromMimeData(self, source: QMimeData) -> None:
        text = source.text().replace("\r\n", "\n").replace("\r", "\n")
        if self._lines_after_inserting(text) > MAX_STOP:
            QApplication.beep()  # a paste that would make a fifth sequence is refused whole
            return
        self.textCursor().insertText(text)

    def _lines_after_inserting(self, text: str) -> int:
        replaced = self.textCursor().selectedText().count("\u2029")  # Qt's paragraph separator
        return self.blockCount() - replaced + text.count("\n")

    def _fit_height(self, _count: int = 0) -> None:
        lines = min(max(self.blockCount(), 1), MAX_STOP)
        margins = self.contentsMargins()
        height = (
            self.fontMetrics().lineSpacing() * lines
            + 2 * math.ceil(self.document().documentMargin())
            + margins.top()
            + margins.bottom()
        )
        self.setFixedHeight(height)


class ChatParams(QWidget):
    """Every chat parameter SiliconFlow accepts, each with a "Default" that leaves it out."""

    sig_changed = Signal()  # a value changed, or the model did (so params() may differ)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chat.params")
        self._model = ""
        self._quiet = 0  # > 0 while apply() sets many values: one sig_changed at the end
        self._build()
        self._connect()
        self._update_visibility()
        self._retranslate()

    # -- construction -------------------------------------------------------------------------

    def _build(self) -> None:
        self.temperature = OptionalDoubleSpinBox(self, low=0.0, high=2.0, step=0.1)
        self.temperature.setObjectName("chat.temperature")
        self.max_tokens = OptionalSpinBox(self, low=1, high=MAX_TOKENS_LIMIT, step=256)
        self.max_tokens.setObjectName("chat.max_tokens")
        self.thinking = QCheckBox(self)
        self.thinking.setObjectName("chat.enable_thinking")
        self.budget = OptionalSpinBox(
            self, low=MIN_THINKING_BUDGET, high=MAX_THINKING_BUDGET, step=1024
        )
        self.budget.setObjectName("chat.thinking_budget")
        self.more = QToolButton(self)
        self.more.setObjectName("chat.more_params")
        self.more.setCheckable(True)
        self.more.setAutoRaise(True)
        self.more.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

        self.top_p = OptionalDoubleSpinBox(self, low=0.01, high=1.0, step=0.05)
        self.top_p.setObjectName("chat.top_p")
        self.top_k = TopKSpinBox(self)
        self.top_k.setObjectName("chat.top_k")
        self.min_p = OptionalDoubleSpinBox(self, low=0.0, high=1.0, step=0.01)
        self.min_p.setObjectName("chat.min_p")
        self.frequency_penalty = OptionalDoubleSpinBox(
            self, low=-2.0, high=2.0, step=0.1, start=0.0
        )
        self.frequency_penalty.setObjectName("chat.frequency_penalty")
        self.json_mode = QCheckBox(self)
        self.json_mode.setObjectName("chat.json_mode")
        self.stop_sequences = StopEditor(self)
        self.stop_sequences.setObjectName("chat.stop_sequences")  # "chat.stop" is the Stop button

        self._labels: dict[str, QLabel] = {}
        self._fields: dict[str, QWidget] = {}
        common = QHBoxLayout()
        common.setContentsMargins(0, 0, 0, 0)
        common.addWidget(self._field("temperature", self.temperature))
        common.addWidget(self._field("max_tokens", self.max_tokens))
        common.addWidget(self._field("enable_thinking", self.thinking, label=False))
        common.addWidget(self._field("thinking_budget", self.budget))
        common.addStretch(1)
        common.addWidget(self.more)

        # The rest: sampling on one line, the stop sequences (which want room) below.
        self.more_row = QWidget(self)
        self.more_row.setObjectName("chat.more_row")
        sampling = QHBoxLayout()
        sampling.setContentsMargins(0, 0, 0, 0)
        sampling.addWidget(self._field("top_p", self.top_p))
        sampling.addWidget(self._field("top_k", self.top_k))
        sampling.addWidget(self._field("min_p", self.min_p))
        sampling.addWidget(self._field("frequency_penalty", self.frequency_penalty))
        sampling.addWidget(self._field("response_format", self.json_mode, label=False))
        sampling.addStretch(1)
        more = QVBoxLayout(self.more_row)
        more.setContentsMargins(0, 0, 0, 0)
        more.addLayout(sampling)
        more.addWidget(self._field("stop", self.stop_sequences))

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(common)
        column.addWidget(self.more_row)

    def _field(self, name: str, control: QWidget, *, label: bool = True) -> QWidget:
        """A control and its label in one box, so the pair shows and hides together."""
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        if label:
            self._labels[name] = QLabel(box)
            self._labels[name].setBuddy(control)
            row.addWidget(self._labels[name])
        row.addWidget(control, 1)
        self._fields[name] = box
        return box

    def _connect(self) -> None:
        for spin in (self.temperature, self.top_p, self.min_p, self.frequency_penalty):
            spin.valueChanged.connect(self._on_value_changed)
        for box in (self.max_tokens, self.budget, self.top_k):
            box.valueChanged.connect(self._on_value_changed)
        self.json_mode.toggled.connect(self._on_value_changed)
        self.stop_sequences.textChanged.connect(self._on_value_changed)
        # The budget of a hybrid shows only while thinking is on.
        self.thinking.toggled.connect(self._on_thinking_toggled)
        self.more.toggled.connect(self._on_more_toggled)

    # -- API ----------------------------------------------------------------------------------

    def set_model(self, model: str) -> None:
        """Show the controls that mean something for ``model`` (and send only those)."""
        model = model.strip()
        if model == self._model:
            return
        self._model = model
        self._update_visibility()
        self._emit_changed()

    def params(self) -> dict[str, Any]:
        """The body fields that are set and apply to the current model."""
        applicable = self._applicable()
        values: dict[str, Any] = {}
        for name, spin in (
            ("temperature", self.temperature),
            ("top_p", self.top_p),
            ("min_p", self.min_p),
            ("frequency_penalty", self.frequency_penalty),
        ):
            if name in applicable and spin.is_set():
                values[name] = round(spin.value(), spin.decimals())
        for name, box in (
            ("max_tokens", self.max_tokens),
            ("top_k", self.top_k),
            ("thinking_budget", self.budget),
        ):
            if name in applicable and box.is_set() and box.value() != 0:
                values[name] = box.value()
        if "enable_thinking" in applicable:
            # Sent either way: what the checkbox shows is what the model does (some hybrids
            # think by default, others don't).
            values["enable_thinking"] = self.thinking.isChecked()
        if "response_format" in applicable and self.json_mode.isChecked():
            values["response_format"] = {"type": "json_object"}
        sequences = self.stop_sequences.sequences()
        if "stop" in applicable and sequences:
            values["stop"] = sequences
        return values

    def apply(self, params: Mapping[str, Any]) -> None:
        """Show ``params`` (a stored conversation's); what is absent, unknown or bad is Default."""
        self._quiet += 1
        try:
            self._set_float(self.temperature, params.get("temperature"))
            self._set_float(self.top_p, params.get("top_p"))
            self._set_float(self.min_p, params.get("min_p"))
            self._set_float(self.frequency_penalty, params.get("frequency_penalty"))
            self._set_int(self.max_tokens, params.get("max_tokens"))
            self._set_int(self.budget, params.get("thinking_budget"))
            self._set_int(self.top_k, params.get("top_k"), forbidden=0)
            self.thinking.setChecked(params.get("enable_thinking") is True)
            response_format = params.get("response_format")
            self.json_mode.setChecked(
                isinstance(response_format, Mapping)
                and response_format.get("type") == "json_object"
            )
            self.stop_sequences.set_sequences(_stop_sequences(params.get("stop")))
        finally:
            self._quiet -= 1
        self._update_visibility()
        self._emit_changed()

    # -- helpers ------------------------------------------------------------------------------

    def _applicable(self) -> set[str]:
        model = self._model
        names = {"temperature", "max_tokens", "top_p", "top_k", "frequency_penalty", "stop"}
        if supports_min_p(model):
            names.add("min_p")
        if supports_json_mode(model):
            names.add("response_format")
        if is_hybrid(model):
            names.add("enable_thinking")
            if self.thinking.isChecked():
                names.add("thinking_budget")
        elif thinks_always(model):
            names.add("thinking_budget")
        return names

    def _update_visibility(self) -> None:
        applicable = self._applicable()
        for name, field in self._fields.items():
            field.setVisible(name in applicable)
        self.more_row.setVisible(self.more.isChecked())
        self.more.setArrowType(
            Qt.ArrowType.DownArrow if self.more.isChecked() else Qt.ArrowType.RightArrow
        )
        self._update_more_text()

    def _update_more_text(self) -> None:
        count = sum(1 for name in self.params() if name in _MORE)
        if count:
            self.more.setText(self.tr("More (%1)").replace("%1", str(count)))
        else:
            self.more.setText(self.tr("More"))

    def _emit_changed(self) -> None:
        if not self._quiet:
            self._update_more_text()
            self.sig_changed.emit()

    @staticmethod
    def _set_float(spin: OptionalDoubleSpinBox, value: object) -> None:
        low = spin.minimum() + 10 ** -spin.decimals()
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and low - 1e-9 <= value <= spin.maximum() + 1e-9
        ):
            spin.setValue(float(value))
        else:
            spin.clear_value()

    @staticmethod
    def _set_int(box: OptionalSpinBox, value: object, *, forbidden: int | None = None) -> None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and box.minimum() < value <= box.maximum()
            and value != forbidden
        ):
            box.setValue(value)
        else:
            box.clear_value()

    # -- slots --------------------------------------------------------------------------------

    def _on_value_changed(self, *_args: object) -> None:
        self._emit_changed()

    def _on_thinking_toggled(self, _checked: bool) -> None:
        self._update_visibility()
        self._emit_changed()

    def _on_more_toggled(self, _checked: bool) -> None:
        self._update_visibility()

    # -- events -------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        default = self.tr("Default")
        for spin in (
            self.temperature,
            self.max_tokens,
            self.budget,
            self.top_p,
            self.top_k,
            self.min_p,
            self.frequency_penalty,
        ):
            spin.setSpecialValueText(default)
            spin.updateGeometry()  # its size hint changed, and layouts cache the old one

        texts = {
            "temperature": (
                self.tr("Temperature:"),
                self.tr("Temperature"),
                self.tr("Randomness: lower is more focused, higher more varied (0–2)"),
            ),
            "max_tokens": (
                self.tr("Max tokens:"),
                self.tr("Max tokens"),
                self.tr("The longest answer in tokens; the answer is cut off there"),
            ),
            "thinking_budget": (
                self.tr("Budget:"),
                self.tr("Thinking budget (tokens)"),
                self.tr("The most tokens the model may spend thinking (128–32768)"),
            ),
            "top_p": (
                self.tr("Top P:"),
                self.tr("Top P"),
                self.tr(
                    "Pick only among the likeliest tokens that together reach this probability"
                    " (0–1)"
                ),
            ),
            "top_k": (
                self.tr("Top K:"),
                self.tr("Top K"),
                self.tr("Pick only among the K likeliest tokens (1–100); -1 turns this off"),
            ),
            "min_p": (
                self.tr("Min P:"),
                self.tr("Min P"),
                self.tr(
                    "Skip tokens less likely than this fraction of the likeliest one"
                    " (0–1, Qwen3 only)"
                ),
            ),
            "frequency_penalty": (
                self.tr("Frequency penalty:"),
                self.tr("Frequency penalty"),
                self.tr("Above 0 discourages repeating words; below 0 allows it (-2 to 2)"),
            ),
            "stop": (
                self.tr("Stop:"),
                self.tr("Stop sequences"),
                self.tr(
                    "The answer ends before any of these texts. Up to 4, one per line;"
                    " type \\n for a line break"
                ),
            ),
        }
        controls: dict[str, QWidget] = {
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "thinking_budget": self.budget,
            "top_p": self.top_p,
            "top_k": self.top_k,
            "min_p": self.min_p,
            "frequency_penalty": self.frequency_penalty,
            "stop": self.stop_sequences,
        }
        for name, (label, accessible, tip) in texts.items():
            self._labels[name].setText(label)
            controls[name].setAccessibleName(accessible)
            controls[name].setToolTip(tip)
            self._labels[name].setToolTip(tip)

        self.thinking.setText(self.tr("Thinking"))
        self.thinking.setAccessibleName(self.tr("Thinking"))
        self.thinking.setToolTip(self.tr("Let a hybrid model think before it answers"))
        self.json_mode.setText(self.tr("JSON mode"))
        self.json_mode.setAccessibleName(self.tr("JSON mode"))
        self.json_mode.setToolTip(
            self.tr("The answer is one valid JSON object; ask for JSON in the prompt too")
        )
        self.stop_sequences.setPlaceholderText(self.tr("One per line"))
        self.more.setAccessibleName(self.tr("More parameters"))
        self.more.setToolTip(self.tr("Show or hide more sampling parameters"))
        self._update_more_text()


def _stop_sequences(value: object) -> list[str]:
    """A stored ``stop`` (a string or up to four strings) as a list; anything else is none."""
    if isinstance(value, str):
        return [value] if value else []
    if (
        isinstance(value, list)
        and len(value) <= MAX_STOP
        and all(isinstance(item, str) for item in value)
    ):
        return [item for item in value if item]
    return []
