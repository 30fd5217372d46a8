"""Prompt variables: which ``{{…}}`` are variables, filling them in, and reading pasted tables."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfdesk.core.prompt_vars import (
    TABLE_ERRORS,
    VARIABLE,
    MissingValues,
    TableError,
    fill,
    rows_from_text,
    variables,
)

# --- variables ----------------------------------------------------------------------------------


def test_names_come_once_in_order_of_first_appearance_across_texts() -> None:
    system = "You answer about {{ city }} in {{language}}."
    user = "Tell me about {{city}}, then {{topic}}; again {{ language }}."
    assert variables(system, user) == ["city", "language", "topic"]
    assert variables(user, system) == ["city", "topic", "language"]


def test_names_may_be_chinese_and_contain_digits_and_underscores() -> None:
    text = "请用{{语言}}介绍{{城市_1}}，参考 {{ _hint }} 和 {{ 城市_1 }}。"
    assert variables(text) == ["语言", "城市_1", "_hint"]


@pytest.mark.parametrize(
    "text",
    [
        "{{ }}",
        "{{}}",
        "{{1x}}",
        "{{2024年}}",
        "{{a-b}}",
        "{{a b}}",
        "{{a.b}}",
        '{{"key": 1}}',
        "{ {x} }",
        "{x}",
        "{{x\n}}",  # a placeholder never spans lines
        "{{\nx}}",
    ],
)
def test_things_between_braces_that_are_not_names_stay_text(text: str) -> None:
    assert variables(text) == []
    assert fill(text, {}) == text


def test_spaces_and_tabs_inside_the_braces_are_allowed() -> None:
    match = VARIABLE.fullmatch("{{ \t name  }}")
    assert match is not None and match.group(1) == "name"


def test_a_variable_inside_extra_braces_keeps_the_extra_braces() -> None:
    assert variables("{{{x}}}") == ["x"]
    assert fill("{{{x}}}", {"x": "1"}) == "{1}"


def test_json_in_a_prompt_is_not_mistaken_for_variables() -> None:
    prompt = 'Reply as {"answer": "{{answer_hint}}", "list": [{"a": 1}]} about {{topic}}.'
    assert variables(prompt) == ["answer_hint", "topic"]


# --- fill ---------------------------------------------------------------------------------------


def test_fill_replaces_every_occurrence() -> None:
    text = "{{city}} is nice. Visit {{ city }} in {{season}}."
    assert fill(text, {"city": "杭州", "season": "spring", "unused": "x"}) == (
        "杭州 is nice. Visit 杭州 in spring."
    )


def test_fill_names_every_missing_value_in_order_and_changes_nothing() -> None:
    with pytest.raises(MissingValues) as caught:
        fill("{{b}} {{a}} {{c}} {{b}}", {"a": "1"})
    assert caught.value.names == ("b", "c")
    assert isinstance(caught.value, ValueError)
    assert "b" in str(caught.value) and "c" in str(caught.value)


def test_an_empty_value_is_a_value() -> None:
    assert fill("[{{x}}]", {"x": ""}) == "[]"


def test_values_are_inserted_literally_and_never_expanded_again() -> None:
    values = {"a": "{{b}}", "b": "B", "c": r"\1 \g<0> \n"}
    assert fill("{{a}}|{{b}}|{{c}}", values) == r"{{b}}|B|\1 \g<0> \n"


def test_a_value_naming_a_missing_variable_does_not_make_it_required() -> None:
    assert fill("{{a}}", {"a": "{{nowhere}}"}) == "{{nowhere}}"


_names = st.from_regex(r"[A-Za-z_\u4e00-\u9fa5][A-Za-z0-9_\u4e00-\u9fa5]{0,6}", fullmatch=True)
_filler = st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=20)


@given(
    names=st.lists(_names, min_size=1, max_size=5),
    fillers=st.lists(_filler, min_size=6, max_size=6),
    spaces=st.lists(st.sampled_from(["", " ", "  ", "\t"]), min_size=10, max_size=10),
)
def test_filling_with_markers_leaves_every_marker_and_no_placeholder(
    names: list[str], fillers: list[str], spaces: list[str]
) -> None:
    parts = [fillers[0]]
    for n, name in enumerate(names):
        parts.append(f"{{{{{spaces[2 * n]}{name}{spaces[2 * n + 1]}}}}}{fillers[n + 1]}")
    text = "".join(parts)
    # Single braces: the fillers have none, so a marker cannot occur in the text by chance.
    markers = {name: f"{{{n}:{name}}}" for n, name in enumerate(dict.fromkeys(names))}
    assert variables(text) == list(markers)
    filled = fill(text, markers)
    for name, marker in markers.items():
        assert filled.count(marker) == names.count(name)
    assert VARIABLE.search(filled) is None
    assert fill(filled, {}) == filled  # nothing left to fill


# --- tables -------------------------------------------------------------------------------------


def test_a_tab_separated_copy_from_excel() -> None:
    # What Excel/WPS put on the clipboard: tabs, CRLF, a multi-line cell quoted, a trailing CRLF.
    # Line ends inside a value come back as "\n", whatever the clipboard used.
    text = '城市\t季节\r\n杭州\t春天\r\n"哈尔滨"\t"冬天\r\n很冷"\r\n'
    header, rows = rows_from_text(text)
    assert header == ["城市", "季节"]
    assert rows == [{"城市": "杭州", "季节": "春天"}, {"城市": "哈尔滨", "季节": "冬天\n很冷"}]


def test_tab_separated_values_keep_their_commas_and_quotes_inside() -> None:
    header, rows = rows_from_text('q\tnote\nHello, world\tsay "hi" later\n')
    assert header == ["q", "note"]
    assert rows == [{"q": "Hello, world", "note": 'say "hi" later'}]


def test_csv_with_quoted_commas_and_spaces_after_commas() -> None:
    text = 'name, question\n张三, "你好，世界, and more"\n"李, 四",plain\n'
    header, rows = rows_from_text(text)
    assert header == ["name", "question"]
    assert rows == [
        {"name": "张三", "question": "你好，世界, and more"},
        {"name": "李, 四", "question": "plain"},
    ]


def test_csv_written_by_the_csv_module_reads_back() -> None:
    out = io.StringIO()
    data = [["a", "b"], ["1, 2", 'x "y"'], ["多\n行", ""]]
    csv.writer(out).writerows(data)
    header, rows = rows_from_text(out.getvalue())
    assert header == ["a", "b"]
    assert rows == [{"a": "1, 2", "b": 'x "y"'}, {"a": "多\n行", "b": ""}]


def test_a_single_column_keeps_commas_in_its_values() -> None:
    header, rows = rows_from_text("question\nWhat is 1,000 + 1?\n\nWhy, though?\n")
    assert header == ["question"]
    assert rows == [{"question": "What is 1,000 + 1?"}, {"question": "Why, though?"}]


def test_blank_lines_are_skipped_and_ragged_rows_padded() -> None:
    text = "\n\na\tb\tc\n\n1\n  \n2\t3\n\t\t\n4\t5\t6\n"
    header, rows = rows_from_text(text)
    assert header == ["a", "b", "c"]
    assert rows == [
        {"a": "1", "b": "", "c": ""},
        {"a": "2", "b": "3", "c": ""},
        {"a": "4", "b": "5", "c": "6"},
    ]


def test_header_cells_are_trimmed_and_may_be_written_as_placeholders() -> None:
    header, rows = rows_from_text(" {{city}} \t  season \t\t\nA\tB\t\t\n")
    assert header == ["city", "season"]  # trailing empty header cells: a too-wide selection
    assert rows == [{"city": "A", "season": "B"}]


def test_values_keep_their_spaces_in_tab_separated_text() -> None:
    _, rows = rows_from_text("a\tb\n  indented\t trailing \n")
    assert rows == [{"a": "  indented", "b": " trailing "}]


def test_a_byte_order_mark_from_a_file_is_ignored() -> None:
    assert rows_from_text("\ufeffa,b\n1,2\n") == (["a", "b"], [{"a": "1", "b": "2"}])


def test_a_header_alone_gives_no_rows() -> None:
    assert rows_from_text("a\tb\n") == (["a", "b"], [])


@pytest.mark.parametrize("text", ["", "\n\n", "  \t \n \r\n"])
def test_an_empty_table(text: str) -> None:
    with pytest.raises(TableError) as caught:
        rows_from_text(text)
    assert caught.value.reason == "empty"


@pytest.mark.parametrize(
    "text",
    [
        "What is the capital of France?\tParis\n",  # data pasted without its header line
        "1\t2\n3\t4\n",
        "a\t\tb\n1\t2\t3\n",  # a column with no name
        "a,b-c\n1,2\n",
    ],
)
def test_a_first_line_that_does_not_name_variables(text: str) -> None:
    with pytest.raises(TableError) as caught:
        rows_from_text(text)
    assert caught.value.reason == "no-header"
    assert caught.value.line == 1


def test_a_duplicate_header() -> None:
    with pytest.raises(TableError) as caught:
        rows_from_text("城市\tx\t{{城市}}\n1\t2\t3\n")
    assert caught.value.reason == "duplicate-header"
    assert caught.value.detail == "城市"


def test_header_names_are_case_sensitive_like_placeholders() -> None:
    header, _ = rows_from_text("City\tcity\n1\t2\n")
    assert header == ["City", "city"]


def test_a_value_right_of_the_last_named_column_is_an_error_not_lost() -> None:
    with pytest.raises(TableError) as caught:
        rows_from_text("a\tb\n1\t2\n\n3\t4\tstray\n")
    assert caught.value.reason == "extra-cells"
    assert caught.value.line == 4
    assert caught.value.detail == "stray"


def test_every_reason_is_listed_for_the_ui() -> None:
    assert {"empty", "no-header", "duplicate-header", "extra-cells"} <= set(TABLE_ERRORS)


def test_rows_fill_the_prompt_they_were_pasted_for() -> None:
    prompt = "把「{{句子}}」翻译成{{语言}}。"
    header, rows = rows_from_text("句子\t语言\n你好\t英文\n谢谢\t日文\n")
    assert variables(prompt) == header
    assert [fill(prompt, row) for row in rows] == [
        "把「你好」翻译成英文。",
        "把「谢谢」翻译成日文。",
    ]
