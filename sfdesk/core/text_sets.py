"""The texts the Embeddings panel compares: parsed from its editor, imported from files, or taken
from the built-in example sets.

This module owns what a "text" is before it is embedded (one stripped, non-empty line), the
group tag syntax, file import (.txt, .csv/.tsv, .jsonl, .json; :func:`read_text` decodes a file
for callers that read its lines their own way, as the Rerank panel does), and the example sets.
It is pure Python and Qt-free; the panel shows :class:`TextSetError` reasons in the user's
language.

Editor format (``emb.texts``), one text per line:

- leading and trailing whitespace is stripped; empty lines are ignored;
- ``[fruit] apple`` is the text ``apple`` in the group ``fruit`` (groups colour the 2-D map). The
  full-width brackets a Chinese input method types work too: ``【水果】苹果``, ``［水果］苹果``.
  A tag with nothing after it is an empty line (ignored);
- to start a text with a bracket, put a backslash first: ``\\[1] is a list`` is the text
  ``[1] is a list``. A leading backslash before a bracket or another backslash is dropped; any
  other backslash is kept;
- duplicates are kept (each line is one row of the matrix, and removing them would shift every
  row number) but reported, so the panel can say so and embed each distinct text only once.

:func:`format_lines` writes texts and groups back in this format, escaping as needed, so an
imported file or an example set can be put in the editor and parsed back unchanged.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

#: Larger files are refused: the panel is for exploring hundreds to a few thousand texts, and
#: the n × n matrix of even 50 MB of short lines would not fit in memory.
MAX_FILE_BYTES: Final = 50 * 1024 * 1024
#: Column names (compared case-insensitively) recognised in a CSV header or a JSON object, in
#: order of preference.
TEXT_FIELDS: Final = ("text", "sentence", "content", "文本", "句子", "内容")
GROUP_FIELDS: Final = ("group", "label", "tag", "分组", "标签", "类别")

Reason = Literal[
    "not-found",  # the file does not exist
    "unreadable",  # permissions, a directory, an I/O error
    "too-large",  # over MAX_FILE_BYTES
    "unsupported-type",  # not .txt/.csv/.tsv/.jsonl/.ndjson/.json
    "binary",  # NUL bytes: not a text file
    "encoding",  # neither UTF-8/UTF-16 (with BOM) nor GBK/GB18030
    "malformed",  # the CSV parser gave up (e.g. an unterminated quote, a huge field)
    "invalid-json",  # a JSONL line or a .json file is not valid JSON
    "bad-item",  # valid JSON, but not a string or an object with a text field
    "empty",  # the file holds no text at all
]

_SNIFF_CHARS = 64 * 1024
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_INNER_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")
_TAG = re.compile(r"^(?:\[([^\[\]]*)\]|【([^【】]*)】|［([^［］]*)］)(.*)$", re.DOTALL)
_OPENERS: Final = ("[", "【", "［")
_ESCAPABLE: Final = (*_OPENERS, "\\")


class TextSetError(Exception):
    """Why a file could not be read as texts.

    ``reason`` is a stable slug (:data:`Reason`) the UI translates; ``line`` is the 1-based line
    of the file where the problem is, when there is one; ``detail`` is English, for logs.
    """

    def __init__(
        self, reason: Reason, path: Path | str, *, line: int | None = None, detail: str = ""
    ) -> None:
        self.reason: Reason = reason
        self.path = Path(path)
        self.line = line
        self.detail = detail
        where = f"{self.path.name}:{line}" if line is not None else self.path.name
        super().__init__(f"{where}: {reason}" + (f" ({detail})" if detail else ""))


@dataclass(frozen=True, slots=True)
class TextSet:
    """Texts to embed, in order, with their groups and where each came from.

    ``groups[i]`` is the group of ``texts[i]`` or None; ``lines[i]`` is its 1-based line in the
    editor or file; ``duplicate_of`` maps the index of each repeated text to the index of its
    first occurrence.
    """

    texts: tuple[str, ...] = ()
    groups: tuple[str | None, ...] = ()
    lines: tuple[int, ...] = ()
    duplicate_of: Mapping[int, int] = field(default_factory=dict)

    @property
    def duplicates(self) -> tuple[int, ...]:
        """Indices of texts that repeat an earlier text, ascending."""
        return tuple(sorted(self.duplicate_of))

    @property
    def has_groups(self) -> bool:
        return any(group is not None for group in self.groups)

    @property
    def group_names(self) -> tuple[str, ...]:
        """The distinct groups in order of first appearance (a stable colour order)."""
        return tuple(dict.fromkeys(g for g in self.groups if g is not None))

    def __len__(self) -> int:
        return len(self.texts)


def parse_lines(text: str) -> TextSet:
    """The texts of the editor's content (format in the module docstring)."""
    entries: list[tuple[str, str | None, int]] = []
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        parsed = _parse_line(raw)
        if parsed is not None:
            entries.append((*parsed, number))
    return _text_set(entries)


def _parse_line(raw: str) -> tuple[str, str | None] | None:
    line = _clean(raw)
    if not line:
        return None
    if line[0] == "\\" and line[1:2] in _ESCAPABLE:
        return line[1:], None
    match = _TAG.match(line)
    if match is None:
        return line, None
    group = _clean(next(g for g in match.groups()[:3] if g is not None))
    if not group:  # "[] text" or "[ ] text": not a tag, just text
        return line, None
    rest = _clean(match.group(4))
    if not rest:
        return None
    return rest, group


def format_lines(texts: Iterable[str], groups: Iterable[str | None] | None = None) -> str:
    """Editor content for ``texts`` (with their ``groups``), which :func:`parse_lines` reads back
    as the same texts and groups.

    Line breaks inside a text become spaces (one text per line); brackets in a group name become
    parentheses (a tag cannot contain them).
    """
    text_list = list(texts)
    group_list = list(groups) if groups is not None else [None] * len(text_list)
    if len(group_list) != len(text_list):
        raise ValueError(f"{len(text_list)} texts but {len(group_list)} groups")
    out: list[str] = []
    for text, group in zip(text_list, group_list, strict=True):
        line = _one_line(text)
        if group is not None and _one_line(group):
            out.append(f"[{_tag_name(group)}] {line}")
        elif line.startswith(_ESCAPABLE):
            out.append("\\" + line)
        else:
            out.append(line)
    return "\n".join(out)


def _clean(text: str) -> str:
    # U+FEFF turns up where files or clipboard fragments were concatenated; it is never content.
    return text.replace("\ufeff", "").strip()


def _one_line(text: str) -> str:
    return _clean(_INNER_BREAKS.sub(" ", text))


def _tag_name(group: str) -> str:
    return _one_line(group).translate(str.maketrans("[]【】［］", "()()()"))


def _text_set(entries: Sequence[tuple[str, str | None, int]]) -> TextSet:
    first_index: dict[str, int] = {}
    duplicate_of: dict[int, int] = {}
    for index, (text, _, _) in enumerate(entries):
        earlier = first_index.setdefault(text, index)
        if earlier != index:
            duplicate_of[index] = earlier
    return TextSet(
        texts=tuple(e[0] for e in entries),
        groups=tuple(e[1] for e in entries),
        lines=tuple(e[2] for e in entries),
        duplicate_of=duplicate_of,
    )


# --- files --------------------------------------------------------------------------------------


def load_file(path: str | os.PathLike[str]) -> TextSet:
    """The texts in the file at ``path``, chosen by its extension:

    - ``.txt``: the editor format (one text per line, ``[group]`` tags);
    - ``.csv`` / ``.tsv``: the dialect is sniffed (comma, semicolon, tab, pipe). A first row
      naming a column ``text``/``sentence``/``content`` (or ``文本``/``句子``/``内容``) is a
      header, and that column holds the texts; a ``group``/``label``/``tag`` (``分组``/``标签``/
      ``类别``) column gives groups. Without such names the texts are the first column that is
      not all numbers (an id column is skipped), and the first row is skipped only if it looks
      like a header to :class:`csv.Sniffer`;
    - ``.jsonl`` / ``.ndjson``: one JSON value per line, either a string or an object with a
      ``text`` field (or ``sentence``/``content``) and optionally ``group``/``label``/``tag``;
    - ``.json``: an array of such values.

    Encodings: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), and
    GBK/GB18030 (Excel on Chinese Windows saves CSV so). Line breaks inside a CSV/JSON text
    become spaces, so every text fits on one editor line; empty texts are skipped.

    Raises :class:`TextSetError` on anything it cannot read, including a file without texts.
    """
    file = Path(path)
    parser = _PARSERS.get(file.suffix.lower())
    if parser is None:
        raise TextSetError("unsupported-type", file, detail=file.suffix or "no extension")
    entries = parser(read_text(file), file)
    if not entries:
        raise TextSetError("empty", file)
    return _text_set(entries)


def read_text(path: str | os.PathLike[str]) -> str:
    """The whole file at ``path`` as text, decoded as :func:`load_file` decodes it (UTF-8 with
    or without BOM, UTF-16 with BOM, GBK/GB18030), for callers that read lines their own way.

    Raises :class:`TextSetError` (not-found, unreadable, too-large, binary, encoding).
    """
    file = Path(path)
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise TextSetError("too-large", file, detail=f"over {MAX_FILE_BYTES} bytes")
        data = file.read_bytes()
    except FileNotFoundError:
        raise TextSetError("not-found", file) from None
    except OSError as exc:
        raise TextSetError("unreadable", file, detail=exc.strerror or type(exc).__name__) from None
    return _decode(data, file)


def _decode(data: bytes, path: Path) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(encoding)
            except UnicodeDecodeError as exc:
                line = _line_of(body, exc.start, encoding)
                raise TextSetError("encoding", path, line=line, detail=encoding) from None
    if b"\x00" in data:
        raise TextSetError("binary", path, line=_line_of(data, data.index(b"\x00"), "latin-1"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        # GB18030 is a superset of GBK and GB2312, so it reads all three.
        return data.decode("gb18030")
    except UnicodeDecodeError:
        line = _line_of(data, utf8_error.start, "utf-8")
        raise TextSetError("encoding", path, line=line, detail="not UTF-8 or GBK") from None


_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _line_of(data: bytes, offset: int, encoding: str) -> int:
    return data[:offset].decode(encoding, "replace").count("\n") + 1


Entry = tuple[str, str | None, int]


def _parse_txt(text: str, path: Path) -> list[Entry]:
    parsed = parse_lines(text)
    return list(zip(parsed.texts, parsed.groups, parsed.lines, strict=True))


def _parse_csv(text: str, path: Path) -> list[Entry]:
    return _read_table(text, path, tab=False)


def _parse_tsv(text: str, path: Path) -> list[Entry]:
    return _read_table(text, path, tab=True)


def _read_table(text: str, path: Path, *, tab: bool) -> list[Entry]:
    sample = text[:_SNIFF_CHARS]
    dialect: type[csv.Dialect] = csv.excel_tab if tab else _sniff_dialect(sample)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[tuple[int, list[str]]] = []  # (line the record starts on, cells)
    row_start = 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((row_start, row))
            row_start = reader.line_num + 1
    except csv.Error as exc:
        raise TextSetError("malformed", path, line=reader.line_num, detail=str(exc)) from None
    if not rows:
        return []
    columns = _header_columns(rows[0][1])
    if columns is not None:
        text_column, group_column = columns
        rows = rows[1:]
    else:
        if _sniffed_header(sample):
            rows = rows[1:]
        text_column, group_column = _first_text_column(rows), None
    entries: list[Entry] = []
    for line, row in rows:
        value = _one_line(row[text_column]) if text_column < len(row) else ""
        if not value:
            continue
        group = ""
        if group_column is not None and group_column < len(row):
            group = _one_line(row[group_column])
        entries.append((value, group or None, line))
    return entries


def _first_text_column(rows: Sequence[tuple[int, list[str]]]) -> int:
    """Without a header naming it, the texts are in the first column that is not all numbers
    (files often start with an id column)."""
    width = max(len(row) for _, row in rows)
    for column in range(width):
        values = [row[column].strip() for _, row in rows if column < len(row)]
        if any(value and not _is_number(value) for value in values):
            return column
    return 0


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _sniff_dialect(sample: str) -> type[csv.Dialect]:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:  # e.g. a single column: nothing to sniff
        return csv.excel


def _sniffed_header(sample: str) -> bool:
    try:
        return csv.Sniffer().has_header(sample)
    except csv.Error:
        return False


def _header_columns(row: Sequence[str]) -> tuple[int, int | None] | None:
    """(text column, group column) if ``row`` is a header naming either, else None."""
    names = [_clean(cell).lower() for cell in row]
    text_column = next((names.index(n) for n in TEXT_FIELDS if n in names), None)
    group_column = next((names.index(n) for n in GROUP_FIELDS if n in names), None)
    if text_column is None and group_column is None:
        return None
    if text_column is None:
        # Only a group column is named: the texts are the first other column.
        text_column = 1 if group_column == 0 else 0
    return text_column, group_column


def _parse_jsonl(text: str, path: Path) -> list[Entry]:
    entries: list[Entry] = []
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        line = _clean(raw)
        if not line:
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TextSetError("invalid-json", path, line=number, detail=exc.msg) from None
        entry = _json_entry(item, path, number)
        if entry is not None:
            entries.append(entry)
    return entries


def _parse_json(text: str, path: Path) -> list[Entry]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TextSetError("invalid-json", path, line=exc.lineno, detail=exc.msg) from None
    if not isinstance(items, list):
        raise TextSetError("bad-item", path, line=1, detail="expected a JSON array")
    # A JSON array has no line per item; the item's 1-based position stands in for it.
    entries = [_json_entry(item, path, number) for number, item in enumerate(items, start=1)]
    return [entry for entry in entries if entry is not None]


def _json_entry(item: object, path: Path, line: int) -> Entry | None:
    if isinstance(item, str):
        text = _one_line(item)
        return (text, None, line) if text else None
    if not isinstance(item, dict):
        raise TextSetError("bad-item", path, line=line, detail="not a string or an object")
    fields = {str(key).lower(): value for key, value in item.items()}
    name = next((n for n in TEXT_FIELDS if n in fields), None)
    if name is None:
        raise TextSetError("bad-item", path, line=line, detail="no text field")
    value = fields[name]
    if not isinstance(value, str):
        raise TextSetError("bad-item", path, line=line, detail=f"{name} is not a string")
    group = next((fields[n] for n in GROUP_FIELDS if fields.get(n) is not None), None)
    # Dataset labels are often numbers ({"text": ..., "label": 3}); they still name a group.
    if isinstance(group, bool) or not isinstance(group, str | int | None):
        raise TextSetError("bad-item", path, line=line, detail="group is not a string")
    text = _one_line(value)
    if not text:
        return None
    group_name = _one_line(str(group)) if group is not None else ""
    return text, group_name or None, line


_PARSERS: Final = {
    ".txt": _parse_txt,
    ".text": _parse_txt,
    ".csv": _parse_csv,
    ".tsv": _parse_tsv,
    ".jsonl": _parse_jsonl,
    ".ndjson": _parse_jsonl,
    ".json": _parse_json,
}
#: The extensions :func:`load_file` reads, for the panel's file dialog filter.
SUPPORTED_EXTENSIONS: Final = tuple(_PARSERS)


# --- example sets -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExampleSet:
    """A ready-made set of texts for a one-click demo; ``groups[i]`` is ``texts[i]``'s group."""

    id: str
    title_en: str
    title_zh: str
    texts: tuple[str, ...]
    groups: tuple[str, ...]

    def text_set(self) -> TextSet:
        pairs = zip(self.texts, self.groups, strict=True)
        return _text_set([(text, group, n) for n, (text, group) in enumerate(pairs, start=1)])

    def editor_text(self) -> str:
        return format_lines(self.texts, self.groups)


def _example(id: str, title_en: str, title_zh: str, *pairs: tuple[str, str]) -> ExampleSet:
    return ExampleSet(
        id=id,
        title_en=title_en,
        title_zh=title_zh,
        texts=tuple(text for _, text in pairs),
        groups=tuple(group for group, _ in pairs),
    )


# Each set shows one thing an embedding model does; groups are what a good model should cluster.
_EXAMPLES: Final = (
    _example(
        "near-synonyms-en",
        "Near-synonyms (English)",
        "近义词（英文）",
        ("happy", "She was happy with the result."),
        ("happy", "She was pleased with the outcome."),
        ("happy", "She felt glad about how it turned out."),
        ("big", "They live in a big house by the lake."),
        ("big", "They live in a large home near the lake."),
        ("big", "Their lakeside house is huge."),
        ("begin", "The meeting will begin at nine."),
        ("begin", "The meeting starts at nine o'clock."),
        ("begin", "We'll kick off the meeting at 9 a.m."),
        ("fast", "He is a fast runner."),
        ("fast", "He runs remarkably quickly."),
        ("fast", "He's a speedy sprinter."),
    ),
    _example(
        "paraphrases-zh",
        "Paraphrases (Chinese)",
        "同义改写（中文）",
        ("天气", "今天天气很好，适合出去散步。"),
        ("天气", "今天阳光明媚，正好出门走走。"),
        ("天气", "天气不错，我们去外面散散步吧。"),
        ("退款", "我想申请退款。"),
        ("退款", "请问怎么把钱退回来？"),
        ("退款", "这个订单可以退款吗？"),
        ("密码", "我忘记了登录密码。"),
        ("密码", "我的账号密码想不起来了。"),
        ("密码", "登录密码丢了，怎么找回？"),
        ("餐厅", "附近有什么好吃的餐厅？"),
        ("餐厅", "能推荐一家这附近的饭店吗？"),
        ("餐厅", "这边哪家馆子比较好吃？"),
    ),
    _example(
        "unrelated-mixed",
        "Unrelated topics (mixed languages)",
        "无关主题（中英混合）",
        ("finance", "The stock market fell sharply on Monday."),
        ("finance", "央行宣布下调存款准备金率。"),
        ("nature", "Photosynthesis turns sunlight into chemical energy."),
        ("nature", "大熊猫主要以竹子为食。"),
        ("sports", "The striker scored twice in the second half."),
        ("sports", "这场篮球比赛一直打到了加时赛。"),
        ("cooking", "Preheat the oven to 180 degrees before baking the bread."),
        ("cooking", "红烧肉要用小火慢慢炖。"),
        ("technology", "The new phone has a faster processor and a bigger battery."),
        ("technology", "这个软件更新以后经常闪退。"),
        ("geography", "Mount Everest is the highest mountain on Earth."),
        ("geography", "长江是中国最长的河流。"),
    ),
    _example(
        "cross-lingual-zh-en",
        "Cross-lingual pairs (Chinese–English)",
        "跨语言对照（中英）",
        ("coffee", "I'd like a cup of coffee, please."),
        ("coffee", "请给我来一杯咖啡。"),
        ("train", "The train leaves at eight tomorrow morning."),
        ("train", "火车明天早上八点出发。"),
        ("reading", "Reading before bed helps me fall asleep."),
        ("reading", "睡前看书能帮我入睡。"),
        ("bridges", "This city is famous for its old bridges."),
        ("bridges", "这座城市以古老的桥梁闻名。"),
        ("lights", "Please turn off the lights when you leave."),
        ("lights", "离开时请关灯。"),
        ("garden", "My grandmother grows tomatoes in her garden."),
        ("garden", "我奶奶在她的花园里种西红柿。"),
        ("laptop", "The price of this laptop has dropped."),
        ("laptop", "这台笔记本电脑降价了。"),
    ),
    _example(
        "word-senses-en",
        "One word, several meanings (English)",
        "一词多义（英文）",
        ("bank: river", "We had a picnic on the bank of the river."),
        ("bank: river", "The canoe drifted toward the muddy bank."),
        ("bank: money", "I need to deposit this cheque at the bank."),
        ("bank: money", "The bank raised its interest rates again."),
        ("apple: fruit", "She ate a crisp green apple."),
        ("apple: fruit", "Apple pie is my favourite dessert."),
        ("Apple: company", "Apple announced a new iPhone today."),
        ("Apple: company", "Apple's shares rose after the earnings report."),
        ("bat: animal", "A bat flew out of the cave at dusk."),
        ("bat: baseball", "He swung the bat and hit a home run."),
    ),
)


def example_sets() -> list[ExampleSet]:
    """The built-in example sets, in menu order."""
    return list(_EXAMPLES)


def example_set(example_id: str) -> ExampleSet:
    """The example set with ``example_id``; KeyError if there is none."""
    for example in _EXAMPLES:
        if example.id == example_id:
            return example
    raise KeyError(example_id)
