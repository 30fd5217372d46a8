"""The Chat panel (tab page ``tab.chat``): conversation list, model and parameters, the view.

It wires widgets to the :class:`ChatController` (which owns the reply task and the store writes)
and to the :class:`ModelListController` (the model list, loaded in the background on first show).
Parameters are sent only when set: each control has a "Default" state meaning "leave it out".
It carries out what the view's per-message links ask (edit, delete, regenerate), asking first when
that would remove later messages, and pages long conversations (the last 100 messages first).
Shortcuts: Ctrl+Enter sends, Esc stops, Ctrl+N starts a new conversation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sfdesk.api import build_chat_body
from sfdesk.store import ConversationStore, Message
from sfdesk.store.export import safe_filename
from sfdesk.ui.chat.code_dialog import CodeDialog
from sfdesk.ui.chat.composer import Composer
from sfdesk.ui.chat.controller import ChatController, request_messages, user_message
from sfdesk.ui.chat.conversations import ConversationList
from sfdesk.ui.chat.export import write_export
from sfdesk.ui.chat.models import DEFAULT_MODEL, ModelListController
from sfdesk.ui.chat.params import ChatParams
from sfdesk.ui.chat.view import ChatView
from sfdesk.ui.context import AppContext
from sfdesk.ui.errors import explain_record
from sfdesk.ui.lazy_page import LazyPage

WARM_UP_DELAY_MS = 500  # after the first show: see _warm_up_markdown
HISTORY_LIMIT = 100  # messages shown when a conversation is opened; each "earlier" adds as many


class ChatPanel(QWidget):
    def __init__(
        self, ctx: AppContext, store: ConversationStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("tab.chat")
        self._store = store
        self._ctx = ctx
        self._models_requested = False
        self._warm_up: asyncio.Future[None] | None = None  # the Markdown stack, imported once
        self._replacing = False  # the next message added replaces stored ones: redraw the view
        self._history_limit = HISTORY_LIMIT
        self._stats_message: Message | None = None  # whose line chat.stats shows
        self.controller = ChatController(ctx.client, store, parent=self)
        self.models = ModelListController(ctx.client, parent=self)

        self.conversations = ConversationList(store, self)
        self._build_controls()

        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self._settings_form)
        column.addWidget(self.view, 1)
        column.addWidget(self.stats)
        input_row = QHBoxLayout()
        input_row.addWidget(self.composer, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        buttons.addWidget(self.composer.attach_button)
        buttons.addWidget(self.code_button)
        input_row.addLayout(buttons)
        column.addLayout(input_row)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("chat.splitter")
        self.splitter.addWidget(self.conversations)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 800])
        # Two pages: the conversations, and the compare workbench (built when first opened, so
        # it costs the app's start nothing).
        self.modes = QTabWidget(self)
        self.modes.setObjectName("chat.modes")
        self.modes.setDocumentMode(True)
        self.modes.addTab(self.splitter, "")
        self.compare_page = LazyPage("chat.compare", _build_compare(ctx), self.modes)
        self.modes.addTab(self.compare_page, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.modes)

        self._connect()
        self._on_model_changed(self.model.currentText())
        self._on_controller_busy_changed(False)
        self._retranslate()

    # -- construction -------------------------------------------------------------------------

    def _build_controls(self) -> None:
        self.model = QComboBox(self)
        self.model.setObjectName("chat.model")
        self.model.setEditable(True)
        self.model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model.addItem(DEFAULT_MODEL)
        self.model.setMinimumContentsLength(28)

        self.system = QPlainTextEdit(self)
        self.system.setObjectName("chat.system")
        self.system.setMaximumHeight(56)

        self.chat_params = ChatParams(self)

        self.model_label = QLabel(self)
        self.system_label = QLabel(self)
        self._settings_form = QFormLayout()
        self._settings_form.addRow(self.model_label, self.model)
        self._settings_form.addRow(self.system_label, self.system)
        self._settings_form.addRow(self.chat_params)

        self.view = ChatView(self)
        self.stats = QLabel(self)
        self.stats.setObjectName("chat.stats")
        self.stats.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stats.setWordWrap(True)

        self.composer = Composer(self)
        self.input = self.composer.input
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("chat.send")
        self.stop_button = QPushButton(self)
        self.stop_button.setObjectName("chat.stop")
        self.code_button = QPushButton(self)
        self.code_button.setObjectName("chat.view_code")

    def _connect(self) -> None:
        chat = self.controller
        chat.sig_conversation_opened.connect(self._on_controller_conversation_opened)
        chat.sig_message_added.connect(self._on_controller_message_added)
        chat.sig_reply_delta.connect(self.view.feed)
        chat.sig_reply_ended.connect(self._on_controller_reply_ended)
        chat.sig_busy_changed.connect(self._on_controller_busy_changed)
        self.models.sig_models_loaded.connect(self._on_models_models_loaded)
        self.conversations.sig_conversation_selected.connect(chat.open_conversation)
        self.conversations.sig_new_requested.connect(chat.new_conversation)
        self.conversations.sig_conversation_deleted.connect(self._on_list_conversation_deleted)
        self.conversations.sig_export_requested.connect(self.export_conversation)
        self.view.sig_retry_requested.connect(self.retry)
        self.view.sig_reasoning_toggled.connect(self._on_view_reasoning_toggled)
        self.view.sig_message_action.connect(self._on_view_message_action)
        self.view.sig_earlier_requested.connect(self._on_view_earlier_requested)
        self.model.currentTextChanged.connect(self._on_model_changed)
        self.send_button.clicked.connect(self.send)
        self.code_button.clicked.connect(self.show_code)
        self.stop_button.clicked.connect(self.controller.stop)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self.input, self.send, context=context)
        QShortcut(QKeySequence("Esc"), self, self.controller.stop, context=context)
        QShortcut(QKeySequence("Ctrl+N"), self, self.controller.new_conversation, context=context)

    # -- actions ------------------------------------------------------------------------------

    def params(self) -> dict[str, Any]:
        """The request parameters that are set (the rest are left to the server)."""
        return self.chat_params.params()

    def model_name(self) -> str:
        return self.model.currentText().strip() or DEFAULT_MODEL

    def send(self) -> None:
        composer = self.composer
        if composer.is_empty() or self.controller.busy:
            return
        if composer.attachments.loading:
            composer.show_notice(
                self.tr("The images are still being prepared; send again in a moment.")
            )
            return
        text, images, editing = composer.text(), composer.images(), composer.editing
        composer.clear()
        options: dict[str, Any] = {
            "model": self.model_name(),
            "system_prompt": self.system.toPlainText(),
            "params": self.params(),
        }
        if editing is not None:
            self._replacing = True
            reply = self.controller.edit_and_resend(editing, text, attachments=images, **options)
            self._replacing = False
            if reply is None:  # the message was deleted meanwhile: send it as a new one
                self.controller.send(text, attachments=images, **options)
        else:
            self.controller.send(text, attachments=images, **options)

    def request_body(self) -> dict[str, Any]:
        """The exact body the next Send would post (the message being typed included; when a
        message is being edited, the history stops before it)."""
        conversation_id = self.controller.conversation_id
        history = self._store.messages(conversation_id) if conversation_id is not None else []
        editing = self.composer.editing
        edited = self._store.get_message(editing) if editing is not None else None
        if edited is not None:
            history = [m for m in history if m.position < edited.position]
        messages = request_messages(self.system.toPlainText(), history)
        if not self.composer.is_empty():
            messages.append(user_message(self.composer.text(), self.composer.images()))
        return build_chat_body(self.model_name(), messages, self.params(), stream=True)

    def show_code(self) -> CodeDialog:
        dialog = CodeDialog(self._ctx.base_url, self.request_body(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # not exec(): no nested event loop while replies stream
        return dialog

    def export_conversation(self, conversation_id: int) -> QFileDialog:
        """Ask where to save the conversation (Markdown or JSON), then write it there."""
        conversation = self._store.get_conversation(conversation_id)
        title = conversation.title if conversation is not None else ""
        dialog = QFileDialog(self, self.tr("Export conversation"))
        dialog.setObjectName("chat.export_dialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([self.tr("Markdown (*.md)"), self.tr("JSON (*.json)")])
        dialog.setDefaultSuffix("md")
        dialog.selectFile(safe_filename(title) + ".md")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda name: self._write_export(conversation_id, name))
        dialog.open()  # not exec(): no nested event loop while replies stream
        return dialog

    def _write_export(self, conversation_id: int, name: str) -> None:
        try:
            write_export(self._store, conversation_id, Path(name))
        except (OSError, LookupError) as exc:
            QMessageBox.warning(
                self,
                self.tr("Export failed"),
                self.tr("The conversation could not be saved: %1").replace("%1", str(exc)),
            )

    def retry(self, message_id: int = 0) -> None:
        """Replace a reply (by default the last one) with a new one; later messages go too."""
        self._replacing = True
        reply = self.controller.regenerate(
            model=self.model_name(),
            system_prompt=self.system.toPlainText(),
            params=self.params(),
            message_id=message_id or None,
        )
        self._replacing = False
        if reply is None:
            self._reload_view()

    def delete_message(self, message_id: int) -> None:
        self.controller.delete_message(message_id)
        if self.composer.editing == message_id:
            self.composer.cancel_edit()
        self._reload_view(keep_scroll="end")
        self.conversations.reload()

    def confirm(self, text: str, action: Callable[[], None]) -> QMessageBox:
        """Ask before something that removes messages; ``action`` runs on Yes."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Chat"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("chat.confirm")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def on_finished(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                action()

        box.finished.connect(on_finished)
        box.open()  # not exec(): no nested event loop while replies stream
        return box

    # -- slots --------------------------------------------------------------------------------

    def _on_controller_conversation_opened(self, conversation_id: int | None) -> None:
        self.conversations.set_current(conversation_id)
        self._stats_message = None
        self._history_limit = HISTORY_LIMIT
        self.composer.cancel_edit()
        self.stats.clear()
        if conversation_id is None:
            self.view.show_messages([])
            return
        conversation = self._store.get_conversation(conversation_id)
        if conversation is not None and conversation.message_count:
            self._apply_settings(
                conversation.model, conversation.system_prompt, conversation.params
            )
        self._reload_view()

    def _on_controller_message_added(self, message: Message) -> None:
        if message.role == "assistant":
            self.stats.setText(self.tr("Waiting for the answer…"))
        if self._replacing:
            # regenerate() or an edit replaced stored messages: show the conversation afresh
            # (its last message, if still streaming, becomes the live region).
            self._replacing = False
            self._reload_view()
        else:
            self.view.add_message(message)

    def _on_controller_reply_ended(self, message: Message, _error: object) -> None:
        if self.view.streaming:
            self.view.end_reply(message)
        else:
            self._reload_view()
        self._stats_message = message
        self.stats.setText(self.stats_text(message))
        self.conversations.reload()

    def _on_controller_busy_changed(self, busy: bool) -> None:
        self.stop_button.setEnabled(busy)
        self.send_button.setEnabled(not busy)

    def _on_models_models_loaded(self, models: list[str]) -> None:
        current = self.model.currentText()
        self.model.blockSignals(True)
        self.model.clear()
        self.model.addItems(models)
        self.model.setCurrentText(current)
        self.model.blockSignals(False)

    def _on_list_conversation_deleted(self, conversation_id: int) -> None:
        if self.controller.conversation_id == conversation_id:
            self.controller.new_conversation()

    def _on_view_reasoning_toggled(self, message_id: int) -> None:
        self.view.toggle_reasoning(message_id)
        if not self.view.streaming:
            # The reasoning opens below the link the reader just clicked: keep the top in place.
            self._reload_view(keep_scroll="top")

    def _on_view_message_action(self, action: str, message_id: int) -> None:
        message = self._store.get_message(message_id)
        if message is None or message.conversation_id != self.controller.conversation_id:
            return
        if action == "edit":
            self.composer.begin_edit(message)
        elif action == "delete":
            self.confirm(
                self.tr("Delete this message? This cannot be undone."),
                lambda: self.delete_message(message_id),
            )
        elif action == "regenerate":
            later = self._messages_after(message)
            if later:
                self.confirm(
                    self.tr(
                        "Regenerate this answer? The %1 message(s) after it will be removed."
                    ).replace("%1", str(later)),
                    lambda: self.retry(message_id),
                )
            else:
                self.retry(message_id)

    def _on_view_earlier_requested(self) -> None:
        self._history_limit += HISTORY_LIMIT
        self._reload_view(keep_scroll="end")

    def _on_model_changed(self, _model: str) -> None:
        self.chat_params.set_model(self.model_name())

    # -- helpers ------------------------------------------------------------------------------

    def _reload_view(self, *, keep_scroll: Literal["end", "top"] | None = None) -> None:
        """Redraw the conversation's last messages; ``keep_scroll`` keeps what the reader was
        looking at in place: its distance from the end (when content above changes) or from the
        top (when content below the viewport's top changes)."""
        bar = self.view.verticalScrollBar()
        from_end, from_top = bar.maximum() - bar.value(), bar.value()
        conversation_id = self.controller.conversation_id
        if conversation_id is None:
            self.view.show_messages([])
            return
        messages = self._store.messages(conversation_id, limit=self._history_limit)
        earlier = self._store.message_count(conversation_id) - len(messages)
        self.view.show_messages(messages, earlier=earlier)
        if keep_scroll == "end":
            bar.setValue(bar.maximum() - from_end)
        elif keep_scroll == "top":
            bar.setValue(from_top)

    def _messages_after(self, message: Message) -> int:
        total = self._store.message_count(message.conversation_id)
        before = self._store.messages(message.conversation_id, before_position=message.position)
        return total - len(before) - 1

    def _apply_settings(self, model: str, system_prompt: str, params: dict[str, Any]) -> None:
        if model:
            self.model.setCurrentText(model)
        self.system.setPlainText(system_prompt)
        self.chat_params.apply(params)

    def stats_text(self, message: Message) -> str:
        """One line about a finished reply: timing, tokens and how it ended."""
        if message.status == "error" and message.error:
            return explain_record(message.error)[0]
        stats = message.stats or {}
        usage = message.usage or {}
        parts: list[str] = []
        if stats.get("ttft_ms") is not None:
            parts.append(self.tr("TTFT %1 ms").replace("%1", f"{stats['ttft_ms']:.0f}"))
        if stats.get("tokens_per_s") is not None:
            parts.append(self.tr("%1 tokens/s").replace("%1", f"{stats['tokens_per_s']:.1f}"))
        for key, label in (
            ("prompt_tokens", self.tr("prompt %1")),
            ("completion_tokens", self.tr("completion %1")),
            ("reasoning_tokens", self.tr("reasoning %1")),
        ):
            value = usage.get(key)
            # No "reasoning 0" for a model that did not think.
            if value is not None and (value or key != "reasoning_tokens"):
                parts.append(label.replace("%1", str(value)))
        if message.finish_reason == "length":
            parts.append(self.tr("finish: length (truncated)"))
        elif message.finish_reason:
            parts.append(self.tr("finish: %1").replace("%1", message.finish_reason))
        status = {
            "stopped": self.tr("stopped"),
            "interrupted": self.tr("interrupted"),
        }.get(message.status)
        if status:
            parts.append(status)
        return " · ".join(parts)

    # -- events -------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._models_requested:
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                return  # not yet running (built before the loop starts): try on the next show
            self._models_requested = True
            self.models.load()
            QTimer.singleShot(WARM_UP_DELAY_MS, self, self._warm_up_markdown)

    def _warm_up_markdown(self) -> None:
        """Import markdown-it, Pygments and the common lexers on a worker thread, once.

        Otherwise the GUI thread pays for them at the worst moments: 20–50 ms per language at
        the first code block of a streamed answer (during a repaint), ~90 ms on the first
        conversation opened. After a delay, so that the window's first paint comes first.
        """

        def warm_up() -> None:
            from sfdesk.core.markdown_render import warm_up

            warm_up()

        self._warm_up = asyncio.get_running_loop().run_in_executor(None, warm_up)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.modes.setTabText(0, self.tr("Conversations"))
        self.modes.setTabText(1, self.tr("Compare"))
        self.modes.setTabToolTip(
            1, self.tr("Run one prompt through up to four models or prompt variants side by side")
        )
        self.model_label.setText(self.tr("Model:"))
        self.model.setAccessibleName(self.tr("Model"))
        self.system_label.setText(self.tr("System:"))
        self.system.setPlaceholderText(self.tr("System prompt (optional)"))
        self.system.setAccessibleName(self.tr("System prompt"))
        self.send_button.setText(self.tr("Send"))
        self.send_button.setToolTip(self.tr("Send (Ctrl+Enter)"))
        self.send_button.setAccessibleName(self.tr("Send"))
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop the answer (Esc)"))
        self.stop_button.setAccessibleName(self.tr("Stop"))
        self.code_button.setText(self.tr("View code"))
        self.code_button.setToolTip(
            self.tr("The next request as curl and Python; the key is never shown")
        )
        self.code_button.setAccessibleName(self.tr("View code"))
        self.stats.setAccessibleName(self.tr("Reply statistics"))
        if self._stats_message is not None:  # the last reply's line, in the new language
            self.stats.setText(self.stats_text(self._stats_message))


def _build_compare(ctx: AppContext) -> Callable[[QWidget], QWidget]:
    def build(page: QWidget) -> QWidget:
        from sfdesk.ui.compare.panel import ComparePanel

        return ComparePanel(ctx, page)

    return build
