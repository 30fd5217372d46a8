"""The Images panel's parameter form: it shows only what the chosen model's family accepts.

Size presets per model (typed sizes are accepted too, and checked), the batch size (Kolors),
steps, guidance scale (Kolors) or CFG (Qwen-Image), the negative prompt and the seed with its lock
and dice. Every generation is sent a seed: with the lock off a new one is drawn for each run and
written into the field, so every image can be made again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QStyle,
    QToolButton,
    QWidget,
)

from sfdesk.ui.images.models import (
    KOLORS,
    MAX_SEED,
    ImageFamily,
    ImageRequest,
    Range,
    new_seed,
    parse_size,
)


class ParamsForm(QWidget):
    """The parameters of the next generation, for one :class:`ImageFamily` at a time."""

    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("img.params")
        self.family = KOLORS
        self.negative = QPlainTextEdit(self)
        self.negative.setObjectName("img.negative")
        self.negative.setTabChangesFocus(True)
        self.negative.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.size_box = QComboBox(self)
        self.size_box.setObjectName("img.size")
        self.size_box.setEditable(True)
        self.size_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.size_note = QLabel(self)
        self.size_note.setObjectName("img.size_note")
        self.size_note.setWordWrap(True)
        self.batch = QSpinBox(self)
        self.batch.setObjectName("img.batch")
        self.batch.setRange(1, 4)
        self.steps = QSpinBox(self)
        self.steps.setObjectName("img.steps")
        self.guidance = QDoubleSpinBox(self)
        self.guidance.setObjectName("img.guidance")
        self.guidance.setDecimals(1)
        self.cfg = QDoubleSpinBox(self)
        self.cfg.setObjectName("img.cfg")
        self.cfg.setDecimals(1)
        self.seed = QLineEdit(self)
        self.seed.setObjectName("img.seed")
        self.seed.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,10}"), self.seed)
        )
        self.seed_lock = QCheckBox(self)
        self.seed_lock.setObjectName("img.seed_lock")
        self.dice = QToolButton(self)
        self.dice.setObjectName("img.seed_dice")
        # A standard icon: an emoji die is a box on systems without an emoji font.
        self.dice.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
        self.dice.clicked.connect(self._on_dice_clicked)
        seed_row = QWidget(self)
        seed_layout = QHBoxLayout(seed_row)
        seed_layout.setContentsMargins(0, 0, 0, 0)
        seed_layout.addWidget(self.seed, 1)
        seed_layout.addWidget(self.dice)
        seed_layout.addWidget(self.seed_lock)

        self._labels: dict[str, QLabel] = {}
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        for key, widget in (
            ("negative", self.negative),
            ("size", self.size_box),
            ("size_note", self.size_note),
            ("batch", self.batch),
            ("steps", self.steps),
            ("guidance", self.guidance),
            ("cfg", self.cfg),
            ("seed", seed_row),
        ):
            label = QLabel(self)
            label.setBuddy(widget)
            self._labels[key] = label
            self._layout.addRow(label, widget)
        for signal in (
            self.negative.textChanged,
            self.size_box.currentTextChanged,
            self.batch.valueChanged,
            self.steps.valueChanged,
            self.guidance.valueChanged,
            self.cfg.valueChanged,
            self.seed.textChanged,
            self.seed_lock.toggled,
        ):
            signal.connect(self.sig_changed)
        self.seed.setText(str(new_seed()))
        self.set_family(KOLORS, force=True)
        self._retranslate()

    def add_leading_row(self, position: int, label: QLabel, widget: QWidget) -> None:
        """Put a row of the panel's (model, prompt, …) above the parameters, so that every
        label of the form lines up in one column."""
        self._layout.insertRow(position, label, widget)

    def set_row_visible(self, widget: QWidget, visible: bool) -> None:
        self._layout.setRowVisible(widget, visible)

    # -- the family ---------------------------------------------------------------------------

    def set_family(self, family: ImageFamily, *, force: bool = False) -> None:
        """Show the controls ``family`` takes; values reset to its defaults when it changes."""
        if family == self.family and not force:
            return
        self.family = family
        current = self.size_box.currentText()
        self.size_box.blockSignals(True)
        self.size_box.clear()
        self.size_box.addItems(list(family.sizes))
        self.size_box.setCurrentText(
            current if current in family.sizes else family.sizes[0] if family.sizes else ""
        )
        self.size_box.blockSignals(False)
        self._set_range(self.steps, family.steps)
        self._set_range(self.guidance, family.guidance_scale)
        self._set_range(self.cfg, family.cfg)
        if not family.batch:
            self.batch.setValue(1)
        rows = {
            "size": family.takes_size,
            "size_note": not family.takes_size,
            "batch": family.batch,
            "steps": family.steps is not None,
            "guidance": family.guidance_scale is not None,
            "cfg": family.cfg is not None,
        }
        for key, visible in rows.items():
            self._layout.setRowVisible(self._labels[key], visible)
        self.sig_changed.emit()

    @staticmethod
    def _set_range(box: QSpinBox | QDoubleSpinBox, values: Range | None) -> None:
        if values is None:
            return
        box.blockSignals(True)
        if isinstance(box, QSpinBox):
            box.setRange(int(values.low), int(values.high))
            box.setValue(int(values.default))
        else:
            box.setRange(values.low, values.high)
            box.setSingleStep(values.step)
            box.setValue(values.default)
        box.blockSignals(False)

    # -- reading and writing ------------------------------------------------------------------

    def size_problem(self) -> str | None:
        """A sentence saying why the typed size cannot be sent, or None when it can."""
        if not self.family.takes_size:
            return None
        if parse_size(self.size_box.currentText()) is None:
            return self.tr(
                "“%1” is not an image size. Type it as width×height, e.g. 1024x1024, each side "
                "between 64 and 2048 pixels."
            ).replace("%1", self.size_box.currentText().strip())
        return None

    def image_size(self) -> str | None:
        parsed = parse_size(self.size_box.currentText()) if self.family.takes_size else None
        return None if parsed is None else f"{parsed[0]}x{parsed[1]}"

    def seed_value(self) -> int | None:
        text = self.seed.text().strip()
        if not text.isdigit():
            return None
        value = int(text)
        return value if value <= MAX_SEED else None

    def seed_for_run(self) -> int:
        """The seed of the next generation: the locked one, or a new one (shown in the field)."""
        value = self.seed_value()
        if self.seed_lock.isChecked() and value is not None:
            return value
        value = new_seed()
        self.seed.setText(str(value))
        return value

    def request(self, model: str, prompt: str, *, seed: int | None = None) -> ImageRequest:
        """The request these controls describe (without reference images)."""
        family = self.family
        return ImageRequest(
            model=model,
            prompt=prompt,
            negative_prompt=self.negative.toPlainText().strip(),
            image_size=self.image_size(),
            batch_size=self.batch.value() if family.batch else 1,
            seed=self.seed_value() if seed is None else seed,
            num_inference_steps=self.steps.value() if family.steps else None,
            guidance_scale=round(self.guidance.value(), 2) if family.guidance_scale else None,
            cfg=round(self.cfg.value(), 2) if family.cfg else None,
        )

    def apply(self, request: ImageRequest) -> None:
        """Show ``request``'s parameters ("reuse parameters"); its seed is locked."""
        self.set_family(request.family)
        self.negative.setPlainText(request.negative_prompt)
        if request.image_size and self.family.takes_size:
            self.size_box.setCurrentText(request.image_size)
        self.batch.setValue(request.batch_size)
        if request.num_inference_steps is not None:
            self.steps.setValue(request.num_inference_steps)
        if request.guidance_scale is not None:
            self.guidance.setValue(request.guidance_scale)
        if request.cfg is not None:
            self.cfg.setValue(request.cfg)
        if request.seed is not None:
            self.seed.setText(str(request.seed))
            self.seed_lock.setChecked(True)

    def _on_dice_clicked(self) -> None:
        self.seed.setText(str(new_seed()))

    # -- language -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        texts = {
            "negative": self.tr("Negative prompt"),
            "size": self.tr("Size"),
            "size_note": "",
            "batch": self.tr("Images"),
            "steps": self.tr("Steps"),
            "guidance": self.tr("Guidance scale"),
            "cfg": self.tr("CFG"),
            "seed": self.tr("Seed"),
        }
        for key, text in texts.items():
            self._labels[key].setText(text)
        self.negative.setPlaceholderText(self.tr("What the image should not show (optional)"))
        self.size_note.setText(self.tr("This model keeps the aspect ratio of the reference image."))
        self.size_box.setToolTip(
            self.tr("The sizes this model recommends; another width×height can be typed.")
        )
        self.batch.setToolTip(self.tr("How many images one request makes (1–4)."))
        self.steps.setToolTip(self.tr("More steps: more detail, slower."))
        self.guidance.setToolTip(self.tr("How closely the image follows the prompt (0–20)."))
        self.cfg.setToolTip(
            self.tr("How closely the image follows the prompt; above 1 to render text.")
        )
        self.seed.setPlaceholderText(self.tr("random"))
        self.seed.setToolTip(self.tr("The same seed and parameters give the same image."))
        self.seed_lock.setText(self.tr("Lock"))
        self.seed_lock.setToolTip(
            self.tr("Keep this seed for every generation; unlocked, each one gets a new seed.")
        )
        self.dice.setToolTip(self.tr("A new random seed"))
        self.dice.setAccessibleName(self.tr("New random seed"))
        for key, label in self._labels.items():
            widget = label.buddy()
            if widget is not None and key != "size_note":
                widget.setAccessibleName(label.text())
