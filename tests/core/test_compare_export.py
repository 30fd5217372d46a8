"""Compare workbench exports: the Markdown document people read and the CSV Excel opens."""

from __future__ import annotations

import csv
import io
import re

import pytest

from sfdesk.core.compare_export import (
    CSV_COLUMNS,
    EXCEL_CELL_LIMIT,
    CompareCell,
    ExportLabels,
    to_csv,
    to_markdown,
)

ROWS = ["城市=杭州", "城市=哈尔滨"]
COLUMNS = ["Qwen3-8B · 简洁", "DeepSeek-V3", "GLM-4 | thinking"]
ANSWER = (
    "#### 杭州\n\n- 西湖\n- 灵隐寺\n\n"
    "```python\nprint('你好')\n```\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |"
)
CELLS = {
    (0, 0): CompareCell(
        text=ANSWER,
        model="Qwen/Qwen3-8B",
        variant="简洁",
        ttft_seconds=0.4213,
        tokens_per_second=38.456,
        completion_tokens=512,
        finish_reason="stop",
    ),
    (0, 1): CompareCell(
        text="",
        model="deepseek-ai/DeepSeek-V3",
        variant="",
        ttft_seconds=None,
        tokens_per_second=None,
        completion_tokens=None,
        finish_reason=None,
        error="429 Too Many Requests\nTPM limit reached",
    ),
    (0, 2): CompareCell(
        text="哈哈",
        model="THUDM/GLM-4-9B",
        variant="thinking",
        ttft_seconds=1.5,
        tokens_per_second=20.0,
        completion_tokens=40,
        finish_reason="stop",
        reasoning="先想一想。\n再回答。",
    ),
    (1, 0): CompareCell(
        text='- 冰雪大世界, "冰灯"\n- 中央大街',
        model="Qwen/Qwen3-8B",
        variant="简洁",
        ttft_seconds=0.3,
        tokens_per_second=41.0,
        completion_tokens=30,
        finish_reason="length",
    ),
    # (1, 1) never ran: missing
    (1, 2): CompareCell(
        text="",
        model="THUDM/GLM-4-9B",
        variant="thinking",
        ttft_seconds=0.9,
        tokens_per_second=None,
        completion_tokens=0,
        finish_reason="stop",
    ),
}


def _sections(markdown: str) -> dict[str, str]:
    """``"row / column"`` → the text of that ``###`` subsection."""
    out: dict[str, str] = {}
    row = ""
    for part in re.split(r"(?m)^(?=## |### )", markdown):
        if part.startswith("## "):
            row = part.splitlines()[0][3:]
        elif part.startswith("### "):
            head, _, body = part.partition("\n")
            out[f"{row} / {head[4:]}"] = body.strip()
    return out


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_has_a_title_then_a_section_per_row_and_a_subsection_per_column() -> None:
    markdown = to_markdown(ROWS, COLUMNS, CELLS, title="Prompt tuning")
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert headings == [
        "# Prompt tuning",
        "## 城市=杭州",
        "### Qwen3-8B · 简洁",
        "#### 杭州",  # the answer's own heading, kept
        "### DeepSeek-V3",
        "### GLM-4 | thinking",
        "## 城市=哈尔滨",
        "### Qwen3-8B · 简洁",
        "### DeepSeek-V3",
        "### GLM-4 | thinking",
    ]
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")


def test_markdown_default_title_comes_from_the_labels() -> None:
    assert to_markdown(ROWS, COLUMNS, CELLS).startswith("# Compare results\n")
    chinese = ExportLabels(title="对比结果")
    assert to_markdown(ROWS, COLUMNS, CELLS, labels=chinese).startswith("# 对比结果\n")


def test_markdown_stats_line_of_a_cell() -> None:
    section = _sections(to_markdown(ROWS, COLUMNS, CELLS))["城市=杭州 / Qwen3-8B · 简洁"]
    stats = section.splitlines()[0]
    assert stats == (
        "model: `Qwen/Qwen3-8B` · variant: 简洁 · TTFT 0.42 s · 38.5 tok/s · 512 tokens · "
        "finish: `stop`"
    )


def test_markdown_answers_stay_markdown_unchanged() -> None:
    section = _sections(to_markdown(ROWS, COLUMNS, CELLS))["城市=杭州 / Qwen3-8B · 简洁"]
    assert section.endswith(ANSWER)
    assert "```python\nprint('你好')\n```" in section


def test_markdown_quotes_errors_line_by_line() -> None:
    section = _sections(to_markdown(ROWS, COLUMNS, CELLS))["城市=杭州 / DeepSeek-V3"]
    assert section.splitlines() == [
        "model: `deepseek-ai/DeepSeek-V3`",
        "",
        "> **Error:** 429 Too Many Requests",
        "> TPM limit reached",
    ]


def test_markdown_keeps_partial_text_of_a_failed_cell_after_its_error() -> None:
    cell = CompareCell("half an ans", "m", "", 0.1, None, 3, None, error="stream interrupted")
    section = _sections(to_markdown(["r"], ["c"], {(0, 0): cell}))["r / c"]
    assert section.index("> **Error:** stream interrupted") < section.index("half an ans")


def test_markdown_says_when_a_cell_is_missing_or_empty() -> None:
    sections = _sections(to_markdown(ROWS, COLUMNS, CELLS))
    assert sections["城市=哈尔滨 / DeepSeek-V3"] == "*No result.*"
    assert sections["城市=哈尔滨 / GLM-4 | thinking"].endswith("*Empty answer.*")


def test_markdown_puts_reasoning_in_a_collapsed_block_before_the_answer() -> None:
    section = _sections(to_markdown(ROWS, COLUMNS, CELLS))["城市=杭州 / GLM-4 | thinking"]
    assert "<details><summary>Reasoning</summary>\n\n先想一想。\n再回答。\n\n</details>" in section
    assert section.endswith("哈哈")


def test_markdown_summary_table_at_the_top() -> None:
    markdown = to_markdown(ROWS, COLUMNS, CELLS)
    table = [line for line in markdown.split("\n## ")[0].splitlines() if line.startswith("|")]
    assert table == [
        "| | Qwen3-8B · 简洁 | DeepSeek-V3 | GLM-4 \\| thinking |",
        "|---|---|---|---|",
        "| 城市=杭州 | 38.5 tok/s · stop | **Error** | 20.0 tok/s · stop |",
        "| 城市=哈尔滨 | 41.0 tok/s · length | — | stop |",
    ]
    # Every table row has as many cells as the header: escaped pipes do not add columns.
    widths = {len(re.split(r"(?<!\\)\|", line)) for line in table}
    assert len(widths) == 1


def test_markdown_uses_the_labels_it_is_given() -> None:
    labels = ExportLabels(
        title="对比",
        ttft="首字 {value} 秒",
        tokens_per_second="{value} 字/秒",
        tokens="{value} 个 token",
        finish_reason="结束：{value}",
        model="模型：{value}",
        variant="变体：{value}",
        error="错误",
        reasoning="思考过程",
        missing="没有结果。",
        empty="空回答。",
    )
    markdown = to_markdown(ROWS, COLUMNS, CELLS, labels=labels)
    sections = _sections(markdown)
    assert sections["城市=杭州 / Qwen3-8B · 简洁"].splitlines()[0] == (
        "模型：`Qwen/Qwen3-8B` · 变体：简洁 · 首字 0.42 秒 · 38.5 字/秒 · 512 个 token · "
        "结束：`stop`"
    )
    assert "> **错误:** 429 Too Many Requests" in sections["城市=杭州 / DeepSeek-V3"]
    assert "<summary>思考过程</summary>" in sections["城市=杭州 / GLM-4 | thinking"]
    assert sections["城市=哈尔滨 / DeepSeek-V3"] == "*没有结果。*"
    for word in (
        "Compare results",
        "TTFT",
        "tok/s",
        "finish:",
        "No result",
        "Reasoning",
        "**Error",
    ):
        assert word not in markdown


def test_labels_with_other_braces_are_safe() -> None:
    labels = ExportLabels(tokens="{value} tokens {sic}")
    markdown = to_markdown(["r"], ["c"], {(0, 0): CELLS[(0, 0)]}, labels=labels)
    assert "512 tokens {sic}" in markdown


def test_an_answer_cut_inside_a_code_block_does_not_swallow_the_rest() -> None:
    cut = CompareCell(
        "Here:\n\n````js\nconst a = 1;\n```\nstill code", "m", "", None, None, 9, "length"
    )
    markdown = to_markdown(["r"], ["a", "b"], {(0, 0): cut, (0, 1): CELLS[(1, 0)]})
    after_cut = markdown.split("still code\n", 1)[1]
    assert after_cut.startswith("````\n")  # closed with the same fence it opened with
    fences = re.findall(r"(?m)^[ \t]*(`{3,}|~{3,})", markdown)
    assert fences == ["````", "```", "````"]
    assert "### b" in after_cut


def test_a_finished_code_block_is_not_closed_twice() -> None:
    markdown = to_markdown(["r"], ["c"], {(0, 0): CELLS[(0, 0)]})
    assert markdown.count("```") == 2


def test_hidden_models_leave_no_trace_in_markdown() -> None:
    markdown = to_markdown(
        ["r"], ["A", "B"], {(0, 0): CELLS[(0, 0)], (0, 1): CELLS[(0, 1)]}, hide_models=True
    )
    assert "Qwen" not in markdown and "deepseek" not in markdown


def test_labels_are_one_line_in_headings() -> None:
    markdown = to_markdown(["line one\nline two"], ["", "c"], {})
    assert "## line one line two" in markdown.splitlines()
    assert "### 1" in markdown.splitlines()  # an empty column label: its position


def test_a_cell_outside_the_grid_is_an_error() -> None:
    with pytest.raises(ValueError, match="outside"):
        to_markdown(["r"], ["c"], {(0, 1): CELLS[(0, 0)]})
    with pytest.raises(ValueError, match="outside"):
        to_csv(["r"], ["c"], {(1, 0): CELLS[(0, 0)]})


# --- CSV ----------------------------------------------------------------------------------------


def _read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_round_trips_through_the_csv_module() -> None:
    records = _read_csv(to_csv(ROWS, COLUMNS, CELLS))
    assert tuple(records[0]) == CSV_COLUMNS
    assert [record[:2] for record in records[1:]] == [
        ["城市=杭州", "Qwen3-8B · 简洁"],
        ["城市=杭州", "DeepSeek-V3"],
        ["城市=杭州", "GLM-4 | thinking"],
        ["城市=哈尔滨", "Qwen3-8B · 简洁"],
        ["城市=哈尔滨", "GLM-4 | thinking"],  # the missing cell has no line
    ]
    first = dict(zip(CSV_COLUMNS, records[1], strict=True))
    assert first == {
        "row": "城市=杭州",
        "column": "Qwen3-8B · 简洁",
        "model": "Qwen/Qwen3-8B",
        "variant": "简洁",
        "ttft_seconds": "0.421",
        "tokens_per_second": "38.46",
        "completion_tokens": "512",
        "finish_reason": "stop",
        "error": "",
        "text": ANSWER,  # newlines, pipes and code kept
        "reasoning": "",
    }
    failed = dict(zip(CSV_COLUMNS, records[2], strict=True))
    assert failed["error"] == "429 Too Many Requests\nTPM limit reached"
    assert failed["ttft_seconds"] == failed["completion_tokens"] == failed["text"] == ""
    thinking = dict(zip(CSV_COLUMNS, records[3], strict=True))
    assert thinking["reasoning"] == "先想一想。\n再回答。"


def test_csv_lines_end_with_crlf_and_newlines_inside_text_stay_lf() -> None:
    data = to_csv(["r"], ["c"], {(0, 0): CELLS[(0, 0)]}).decode("utf-8-sig")
    assert data.endswith("\r\n")
    assert data.count("\r\n") == 2  # header and the one cell; the answer's own lines are LF


def test_csv_defuses_text_excel_would_run_as_a_formula() -> None:
    records = _read_csv(to_csv(ROWS, COLUMNS, CELLS))
    markdown_list = dict(zip(CSV_COLUMNS, records[4], strict=True))
    # "- item" would show as #NAME? in Excel: the apostrophe keeps it text.
    assert markdown_list["text"] == '\'- 冰雪大世界, "冰灯"\n- 中央大街'
    formula = CompareCell('=HYPERLINK("http://x")', "m", "@v", None, None, None, None)
    (_, record) = _read_csv(to_csv(["+r"], ["c"], {(0, 0): formula}))
    assert record[0] == "'+r" and record[3] == "'@v" and record[9].startswith("'=HYPERLINK")


def test_csv_cuts_texts_to_excels_cell_limit() -> None:
    long = CompareCell("字" * (EXCEL_CELL_LIMIT + 10), "m", "", None, None, None, None)
    (_, record) = _read_csv(to_csv(["r"], ["c"], {(0, 0): long}))
    assert record[9] == "字" * EXCEL_CELL_LIMIT


def test_csv_hides_models_when_asked() -> None:
    records = _read_csv(to_csv(ROWS, COLUMNS, CELLS, hide_models=True))
    assert all(record[2] == "" for record in records[1:])
    assert b"Qwen/" not in to_csv(ROWS, COLUMNS, CELLS, hide_models=True)


def test_csv_of_an_empty_grid_is_just_the_header() -> None:
    assert _read_csv(to_csv([], [], {})) == [list(CSV_COLUMNS)]
