"""The chat parameters (``chat.params``): which models see which controls, what is sent (only
set, only meaningful), restoring a stored conversation, the stop editor, and one request
through the panel to the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sfdesk.sandbox import SandboxServer
from sfdesk.store import ConversationStore
from sfdesk.ui.chat.models import (
    accepts_thinking_budget,
    is_hybrid,
    supports_json_mode,
    supports_min_p,
    thinks_always,
)
from sfdesk.ui.chat.panel import ChatPanel
from sfdesk.ui.chat.params import ChatParams, StopEditor, decode_stop, encode_stop

QWEN3 = "Qwen/Qwen3-8B"  # hybrid, min_p, JSON mode
R1 = "deepseek-ai/DeepSeek-R1"  # always thinks, no JSON mode
V32 = "deepseek-ai/DeepSeek-V3.2"  # hybrid, no JSON mode
PLAIN = "Qwen/Qwen2.5-7B-Instruct"  # none of the special ones

COMMON = {
    "chat.temperature",
    "chat.max_tokens",
    "chat.top_p",
    "chat.top_k",
    "chat.frequency_penalty",
    "chat.stop_sequences",
}


@pytest.fixture
def make_params(qtbot: QtBot) -> Callable[[str], ChatParams]:
    def factory(model: str) -> ChatParams:
        widget = ChatParams()
        qtbot.addWidget(widget)
        widget.set_model(model)
        return widget

    return factory


def control(widget: QWidget, name: str) -> Any:
    found = widget.findChild(QWidget, name)
    assert found is not None, name
    return found


def set_everything(params: ChatParams) -> None:
    """Every control away from Default, through the widgets' own setters."""
    control(params, "chat.temperature").setValue(0.55)
    control(params, "chat.max_tokens").setValue(2048)
    control(params, "chat.enable_thinking").setChecked(True)
    control(params, "chat.thinking_budget").setValue(1024)
    control(params, "chat.top_p").setValue(0.9)
    control(params, "chat.top_k").setValue(40)
    control(params, "chat.min_p").setValue(0.05)
    control(params, "chat.frequency_penalty").setValue(-0.5)
    control(params, "chat.json_mode").setChecked(True)
    control(params, "chat.stop_sequences").setPlainText("END\n\\n\\nHuman:")


EVERYTHING = {
    "temperature": 0.55,
    "max_tokens": 2048,
    "enable_thinking": True,
    "thinking_budget": 1024,
    "top_p": 0.9,
    "top_k": 40,
    "min_p": 0.05,
    "frequency_penalty": -0.5,
    "response_format": {"type": "json_object"},
    "stop": ["END", "\n\nHuman:"],
}


# -- capabilities ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "hybrid", "always", "min_p", "json_mode"),
    [
        ("Qwen/Qwen3-8B", True, False, True, True),
        ("Qwen/Qwen3-30B-A3B", True, False, True, True),
        ("Qwen/Qwen3-30B-A3B-Instruct-2507", False, False, True, True),
        ("Qwen/Qwen3-Coder-480B-A35B-Instruct", False, False, True, True),
        ("Qwen/Qwen3-235B-A22B-Thinking-2507", False, True, True, True),
        ("Qwen/Qwen3-Embedding-8B", False, False, False, True),
        ("Qwen/Qwen3.5-397B-A17B", True, False, False, True),
        ("Qwen/QwQ-32B", False, True, False, True),
        ("Qwen/Qwen2.5-7B-Instruct", False, False, False, True),
        ("deepseek-ai/DeepSeek-R1", False, True, False, False),
        ("Pro/deepseek-ai/DeepSeek-R1", False, True, False, False),
        ("deepseek-ai/DeepSeek-R1-0528", False, True, False, False),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", False, False, False, True),
        ("deepseek-ai/DeepSeek-V3", False, False, False, False),
        ("deepseek-ai/DeepSeek-V3.1-Terminus", True, False, False, False),
        ("deepseek-ai/DeepSeek-V3.2", True, False, False, False),
        ("deepseek-ai/DeepSeek-V3.2-Exp", False, False, False, False),
        ("moonshotai/Kimi-K2-Thinking", False, True, False, True),
        ("THUDM/GLM-4.1V-9B-Thinking", False, True, False, True),
        ("zai-org/GLM-4.6", True, False, False, True),
        ("someone/ThinkingMachine-7B", False, False, False, True),
        ("", False, False, False, True),
    ],
)
def test_model_capabilities_are_narrow(
    model: str, hybrid: bool, always: bool, min_p: bool, json_mode: bool
) -> None:
    assert is_hybrid(model) is hybrid
    assert thinks_always(model) is always
    assert accepts_thinking_budget(model) is (hybrid or always)
    assert supports_min_p(model) is min_p
    assert supports_json_mode(model) is json_mode


# -- visibility and what is sent ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "thinking_on", "extra"),
    [
        (PLAIN, False, {"chat.json_mode"}),
        (QWEN3, False, {"chat.enable_thinking", "chat.min_p", "chat.json_mode"}),
        (
            QWEN3,
            True,
            {"chat.enable_thinking", "chat.thinking_budget", "chat.min_p", "chat.json_mode"},
        ),
        (V32, True, {"chat.enable_thinking", "chat.thinking_budget"}),
        (R1, False, {"chat.thinking_budget"}),
        ("Qwen/QwQ-32B", False, {"chat.thinking_budget", "chat.json_mode"}),
    ],
)
def test_only_controls_that_mean_something_for_the_model_are_shown(
    make_params: Callable[[str], ChatParams], model: str, thinking_on: bool, extra: set[str]
) -> None:
    params = make_params(model)
    params.more.setChecked(True)
    params.thinking.setChecked(thinking_on)
    names = COMMON | {
        "chat.enable_thinking",
        "chat.thinking_budget",
        "chat.min_p",
        "chat.json_mode",
    }
    shown = {name for name in names if control(params, name).isVisibleTo(params)}
    assert shown == COMMON | extra


def test_the_more_toggle_reveals_the_rest_and_counts_what_is_set(
    make_params: Callable[[str], ChatParams],
) -> None:
    params = make_params(QWEN3)
    more = params.findChild(QAbstractButton, "chat.more_params")
    assert more is not None and more.isCheckable() and not more.isChecked()
    assert control(params, "chat.temperature").isVisibleTo(params)
    assert not control(params, "chat.top_p").isVisibleTo(params)
    assert more.text() == "More"
    more.click()
    assert control(params, "chat.top_p").isVisibleTo(params)
    control(params, "chat.top_p").setValue(0.8)
    control(params, "chat.json_mode").setChecked(True)
    control(params, "chat.temperature").setValue(1.0)  # on the first row: not counted
    more.click()
    assert not control(params, "chat.top_p").isVisibleTo(params)
    # Collapsing hides the controls, not their values: the toggle says two are set.
    assert more.text() == "More (2)"
    assert params.params()["top_p"] == 0.8
    params.set_model(R1)  # JSON mode is not R1's: no longer sent, no longer counted
    assert more.text() == "More (1)"


def test_nothing_is_sent_by_default(make_params: Callable[[str], ChatParams]) -> None:
    assert make_params(PLAIN).params() == {}
    assert make_params(R1).params() == {}
    # A hybrid is told exactly what its checkbox shows (some think by default).
    assert make_params(QWEN3).params() == {"enable_thinking": False}


def test_set_values_are_sent_with_their_json_types(
    make_params: Callable[[str], ChatParams],
) -> None:
    params = make_params(QWEN3)
    set_everything(params)
    sent = params.params()
    assert sent == EVERYTHING
    for key in ("temperature", "top_p", "min_p", "frequency_penalty"):
        assert type(sent[key]) is float, key
    for key in ("max_tokens", "thinking_budget", "top_k"):
        assert type(sent[key]) is int, key
    assert sent["enable_thinking"] is True
    assert "n" not in sent


def test_hidden_controls_never_leak_and_come_back_with_the_model(
    make_params: Callable[[str], ChatParams],
) -> None:
    params = make_params(QWEN3)
    set_everything(params)
    params.set_model(R1)
    assert params.params() == {
        key: value
        for key, value in EVERYTHING.items()
        if key not in ("enable_thinking", "min_p", "response_format")
    }
    params.set_model(PLAIN)
    assert params.params() == {
        key: value
        for key, value in EVERYTHING.items()
        if key not in ("enable_thinking", "thinking_budget", "min_p")
    }
    params.set_model(QWEN3)
    assert params.params() == EVERYTHING
    # A hybrid's budget goes only with thinking on.
    control(params, "chat.enable_thinking").setChecked(False)
    assert "thinking_budget" not in params.params()
    assert params.params()["enable_thinking"] is False


# -- the Default state -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("chat.temperature", 0.0),
        ("chat.top_p", 0.05),
        ("chat.min_p", 0.0),
        ("chat.frequency_penalty", 0.0),  # the middle of -2..2, not its edge
        ("chat.max_tokens", 256),
        ("chat.thinking_budget", 1024),
        ("chat.top_k", -1),
    ],
)
def test_each_spin_box_steps_out_of_and_back_into_default(
    make_params: Callable[[str], ChatParams], name: str, first: float
) -> None:
    params = make_params(QWEN3)
    params.thinking.setChecked(True)
    spin = control(params, name)
    assert isinstance(spin, QAbstractSpinBox)
    assert spin.text() == "Default"
    spin.stepBy(1)
    assert spin.value() == pytest.approx(first)
    assert spin.text() != "Default"
    spin.stepBy(-1000)
    assert spin.text() == "Default"


def test_top_k_skips_zero_which_the_server_refuses(
    qtbot: QtBot, make_params: Callable[[str], ChatParams]
) -> None:
    params = make_params(PLAIN)
    top_k = params.findChild(QSpinBox, "chat.top_k")
    top_k.stepBy(1)
    assert top_k.value() == -1 and params.params()["top_k"] == -1
    top_k.stepBy(1)
    assert top_k.value() == 1
    top_k.stepBy(-1)
    assert top_k.value() == -1
    top_k.setValue(5)
    assert top_k.validate("0", 1)[0] != top_k.validate("5", 1)[0]
    top_k.lineEdit().selectAll()
    qtbot.keyClicks(top_k, "0")
    top_k.interpretText()
    assert params.params()["top_k"] == 5


def test_temperature_rounds_to_two_decimals(make_params: Callable[[str], ChatParams]) -> None:
    params = make_params(PLAIN)
    params.findChild(QDoubleSpinBox, "chat.temperature").setValue(0.7000001)
    assert params.params() == {"temperature": 0.7}


# -- restoring ---------------------------------------------------------------------------------


def test_apply_round_trips_and_ignores_unknown_keys(
    make_params: Callable[[str], ChatParams], qtbot: QtBot
) -> None:
    source = make_params(QWEN3)
    set_everything(source)
    target = make_params(QWEN3)
    with qtbot.waitSignal(target.sig_changed):
        target.apply({**source.params(), "n": 3, "seed": 7, "tools": []})
    assert target.params() == EVERYTHING
    assert (
        target.findChild(QPlainTextEdit, "chat.stop_sequences").toPlainText() == "END\n\\n\\nHuman:"
    )


def test_apply_emits_one_change(make_params: Callable[[str], ChatParams]) -> None:
    params = make_params(QWEN3)
    changes: list[None] = []
    params.sig_changed.connect(lambda: changes.append(None))
    params.apply(EVERYTHING)
    assert len(changes) == 1


def test_apply_resets_what_the_stored_params_leave_out(
    make_params: Callable[[str], ChatParams],
) -> None:
    params = make_params(QWEN3)
    set_everything(params)
    params.apply({"temperature": 1.2})
    assert params.params() == {"temperature": 1.2, "enable_thinking": False}
    assert params.findChild(QSpinBox, "chat.max_tokens").text() == "Default"


@pytest.mark.parametrize(
    "stored",
    [
        {"temperature": "hot"},
        {"temperature": 2.5},
        {"temperature": -0.5},
        {"temperature": float("nan")},
        {"temperature": True},
        {"top_p": 0},
        {"top_p": 1.5},
        {"min_p": -0.1},
        {"frequency_penalty": 3},
        {"frequency_penalty": None},
        {"max_tokens": 0},
        {"max_tokens": -5},
        {"max_tokens": 10**9},
        {"max_tokens": 12.5},
        {"max_tokens": "512"},
        {"top_k": 0},
        {"top_k": 101},
        {"top_k": -2},
        {"top_k": "50"},
        {"thinking_budget": 64},
        {"thinking_budget": 40000},
        {"enable_thinking": "yes"},
        {"response_format": "json_object"},
        {"response_format": {"type": "text"}},
        {"stop": ["a", "b", "c", "d", "e"]},
        {"stop": ["ok", 1]},
        {"stop": 42},
        {"stop": ""},
    ],
)
def test_apply_turns_bad_values_into_default(
    make_params: Callable[[str], ChatParams], stored: dict[str, Any]
) -> None:
    params = make_params(QWEN3)
    set_everything(params)
    params.apply(stored)
    assert params.params() == {"enable_thinking": False}


def test_apply_takes_integral_floats_and_a_single_stop_string(
    make_params: Callable[[str], ChatParams],
) -> None:
    params = make_params(R1)
    params.apply({"max_tokens": 512.0, "top_k": 50, "thinking_budget": 128, "stop": "###"})
    assert params.params() == {
        "max_tokens": 512,
        "top_k": 50,
        "thinking_budget": 128,
        "stop": ["###"],
    }
    assert type(params.params()["max_tokens"]) is int


# -- the stop editor ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "sequence"),
    [
        ("END", "END"),
        ("\\n\\n", "\n\n"),
        ("Human: ", "Human: "),  # spaces count
        ("  ", "  "),
        ("a\\tb", "a\tb"),
        ("\\\\n", "\\n"),  # an escaped backslash
        ("C:\\dir", "C:\\dir"),  # unknown escapes stay as typed
        ("ends with \\", "ends with \\"),
        ("。", "。"),
    ],
)
def test_stop_lines_decode_escapes_and_round_trip(typed: str, sequence: str) -> None:
    assert decode_stop(typed) == sequence
    assert decode_stop(encode_stop(sequence)) == sequence


def test_stop_editor_takes_one_sequence_per_line_up_to_four(
    qtbot: QtBot, make_params: Callable[[str], ChatParams]
) -> None:
    params = make_params(PLAIN)
    params.more.setChecked(True)
    params.show()
    stop = params.findChild(StopEditor, "chat.stop_sequences")
    one_line = stop.height()
    stop.setFocus()
    for index, text in enumerate(["END", "\\n\\n", "Q: ", "结束", "fifth"]):
        if index:
            qtbot.keyClick(stop, Qt.Key.Key_Return)
        if text.isascii():
            qtbot.keyClicks(stop, text)
        else:
            stop.insertPlainText(text)  # QTest types ASCII only; an input method would do this
    # The fourth Enter was refused, so "fifth" went on the end of the fourth line.
    assert stop.blockCount() == 4
    assert stop.height() > one_line  # it grows with its lines
    assert params.params()["stop"] == ["END", "\n\n", "Q: ", "结束fifth"]


def test_stop_editor_refuses_a_paste_that_makes_a_fifth_line(
    make_params: Callable[[str], ChatParams],
) -> None:
    params = make_params(PLAIN)
    stop = params.findChild(StopEditor, "chat.stop_sequences")
    stop.setPlainText("a\nb")
    mime = QMimeData()
    mime.setText("\nc\nd\ne")
    stop.moveCursor(stop.textCursor().MoveOperation.End)
    stop.insertFromMimeData(mime)
    assert stop.toPlainText() == "a\nb"
    mime.setText("\nc\nd")
    stop.insertFromMimeData(mime)
    assert params.params()["stop"] == ["a", "b", "c", "d"]


def test_empty_stop_lines_are_skipped(make_params: Callable[[str], ChatParams]) -> None:
    params = make_params(PLAIN)
    params.findChild(StopEditor, "chat.stop_sequences").setPlainText("\nEND\n\n")
    assert params.params() == {"stop": ["END"]}


# -- accessibility -----------------------------------------------------------------------------


def test_every_control_has_an_accessible_name_and_a_tooltip(
    make_params: Callable[[str], ChatParams],
) -> None:
    params = make_params(QWEN3)
    names = COMMON | {
        "chat.enable_thinking",
        "chat.thinking_budget",
        "chat.min_p",
        "chat.json_mode",
        "chat.more_params",
    }
    for name in names:
        widget = control(params, name)
        assert widget.accessibleName(), name
        assert widget.toolTip(), name
    assert params.objectName() == "chat.params"


# -- through the panel, to the sandbox ---------------------------------------------------------


@pytest.fixture
def panel(make_panel: Callable[[], ChatPanel]) -> ChatPanel:
    return make_panel()


def sent_params(sandbox: SandboxServer) -> dict[str, Any]:
    body = next(
        entry["body"]
        for entry in reversed(sandbox.requests())
        if entry["path"] == "/v1/chat/completions"
    )
    return {key: value for key, value in body.items() if key not in ("model", "messages", "stream")}


def test_the_request_carries_exactly_the_set_parameters(
    qtbot: QtBot, panel: ChatPanel, sandbox: SandboxServer
) -> None:
    model = panel.findChild(QComboBox, "chat.model")
    model.setCurrentText(QWEN3)
    set_everything(panel)
    panel.findChild(QCheckBox, "chat.json_mode").setChecked(False)
    panel.findChild(QPlainTextEdit, "chat.input").setPlainText("Hello")
    with qtbot.waitSignal(panel.controller.sig_reply_ended, timeout=10_000) as ended:
        panel.findChild(QPushButton, "chat.send").click()
    assert ended.args[0].status == "complete"
    expected = {key: value for key, value in EVERYTHING.items() if key != "response_format"}
    assert sent_params(sandbox) == expected

    # The same settings on a model that takes fewer: only its parameters go out.
    model.setCurrentText(R1)
    panel.findChild(QPlainTextEdit, "chat.input").setPlainText("And again")
    with qtbot.waitSignal(panel.controller.sig_reply_ended, timeout=10_000) as ended:
        panel.findChild(QPushButton, "chat.send").click()
    assert ended.args[0].status == "complete"
    assert sent_params(sandbox) == {
        key: value for key, value in expected.items() if key not in ("enable_thinking", "min_p")
    }


def test_an_opened_conversation_restores_its_parameters(
    qtbot: QtBot, panel: ChatPanel, store: ConversationStore
) -> None:
    store.add_message(
        store.create_conversation("old", QWEN3, "", {"top_p": 0.8, "stop": ["\n\n"], "n": 2}).id,
        "user",
        "hi",
    )
    with qtbot.waitSignal(panel.controller.sig_conversation_opened):
        panel.controller.open_conversation(store.list_conversations()[0].id)
    assert panel.params() == {"top_p": 0.8, "stop": ["\n\n"], "enable_thinking": False}
    assert panel.findChild(QAbstractButton, "chat.more_params").text() == "More (2)"
