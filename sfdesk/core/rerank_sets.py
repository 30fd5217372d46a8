"""The query and documents the Rerank panel compares: reading its editor, and the example sets.

This module owns what a "document" is before it is sent (one stripped, non-empty line of the
editor, ``rerank.documents``), reading documents from a file (:func:`load_documents`), and the
built-in example sets (a query, optionally an instruction for the rerankers that take one, and
8–12 documents each, in Chinese, English or both).

Unlike the Embeddings panel's editor, a line here has no ``[group]`` tag: documents have no
groups, and a document that starts with a bracket ("[1] Introduction…") is common in pasted
search results, so every line is taken exactly as typed. Duplicates are kept: each line is one
document, and its index is what the rerankers answer with.

Pure Python and Qt-free; the panel shows the set titles in the user's language.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sfdesk.core.text_sets import TextSetError, load_file, read_text

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_INNER_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")

__all__ = [
    "RerankExample",
    "documents_text",
    "example_set",
    "example_sets",
    "load_documents",
    "parse_documents",
]

#: Read line by line, as the editor is (every other type goes through ``load_file``).
_PLAIN_TEXT: Final = (".txt", ".text")


def parse_documents(text: str) -> tuple[str, ...]:
    """The documents of the editor's content: every stripped, non-empty line, in order."""
    lines = (_clean(line) for line in _LINE_BREAK.split(text))
    return tuple(line for line in lines if line)


def documents_text(documents: Sequence[str]) -> str:
    """Editor content for ``documents`` that :func:`parse_documents` reads back unchanged.

    A line break inside a document (from a CSV cell, a JSON string) becomes a space, since the
    editor holds one document per line; empty documents are dropped.
    """
    lines = (_clean(_INNER_BREAKS.sub(" ", document)) for document in documents)
    return "\n".join(line for line in lines if line)


def load_documents(path: str | os.PathLike[str]) -> tuple[str, ...]:
    """The documents in the file at ``path``.

    A .txt file holds one document per line, taken as the editor takes them (no ``[tag]``
    reading); a .csv/.tsv/.jsonl/.json file is read by :func:`sfdesk.core.text_sets.load_file`
    (its text column or field; line breaks inside a text become spaces). Raises
    :class:`~sfdesk.core.text_sets.TextSetError` on a file it cannot read or one without
    documents.
    """
    file = Path(path)
    if file.suffix.lower() in _PLAIN_TEXT:
        documents = parse_documents(read_text(file))
        if not documents:
            raise TextSetError("empty", file)
        return documents
    return parse_documents(documents_text(load_file(file).texts))


def _clean(text: str) -> str:
    # U+FEFF turns up where files or clipboard fragments were joined; it is never content.
    return text.replace("\ufeff", "").strip()


@dataclass(frozen=True, slots=True)
class RerankExample:
    """A ready-made query and documents for a one-click demo."""

    id: str
    title_en: str
    title_zh: str
    query: str
    documents: tuple[str, ...]
    #: For the rerankers that take an instruction (Qwen3-Reranker); None leaves it empty.
    instruction: str | None = None

    def editor_text(self) -> str:
        return documents_text(self.documents)


# Each set has a few documents that answer the query, some that share its words without
# answering it (where a lexical match and a reranker part ways), and some unrelated ones.
_EXAMPLES: Final = (
    RerankExample(
        id="refund-zh",
        title_en="Customer support: refunds (Chinese)",
        title_zh="客服问答：退款（中文）",
        query="买的东西不想要了，怎么申请退款？",
        documents=(
            "在“我的订单”中找到该订单，点击“申请退款”，填写原因后提交即可。",
            "签收后七天内，商品未使用且包装完好，可以申请无理由退货退款。",
            "退款审核通过后，款项会在1到3个工作日内原路退回到您的支付账户。",
            "退款申请提交后如需撤销，可在订单详情页点击“撤销申请”。",
            "本店支持货到付款，下单时选择“货到付款”即可。",
            "会员积分可以在下次购物时抵扣现金，100积分抵1元。",
            "如何修改收货地址？请在订单发货前联系客服处理。",
            "今天天气晴朗，适合出门散步。",
            "想要发票的话，请在下单时填写发票抬头和税号。",
            "退货运费由谁承担？质量问题由商家承担，非质量问题由买家承担。",
        ),
        instruction="判断文档是否能回答顾客关于退款流程的问题",
    ),
    RerankExample(
        id="capital-en",
        title_en="Near misses: the capital of Australia (English)",
        title_zh="似是而非：澳大利亚的首都（英文）",
        query="What is the capital of Australia?",
        documents=(
            "Canberra is the capital city of Australia, located in the Australian Capital "
            "Territory.",
            "Sydney is the largest city in Australia and is often mistaken for its capital.",
            "Melbourne served as the temporary seat of government until Parliament moved to "
            "Canberra in 1927.",
            "The capital of Austria is Vienna, known for its music and coffee houses.",
            "Australia is a country and continent surrounded by the Indian and Pacific oceans.",
            "Canberra was chosen as a compromise between rivals Sydney and Melbourne.",
            "Capital gains tax applies when you sell an asset for more than you paid for it.",
            "The Great Barrier Reef lies off the coast of Queensland.",
            "Kangaroos and koalas are native to Australia.",
            "Wellington is the capital of New Zealand.",
        ),
        instruction="Given a question, retrieve passages that answer the question",
    ),
    RerankExample(
        id="python-en",
        title_en="Programming question: reversing a list (English)",
        title_zh="编程问题：反转列表（英文）",
        query="How do I reverse a list in Python?",
        documents=(
            "Use my_list.reverse() to reverse the list in place; it returns None.",
            "The slice my_list[::-1] returns a new list with the elements in reverse order.",
            "reversed(my_list) returns an iterator over the list from the last element to the "
            "first.",
            "To sort a list in descending order, call my_list.sort(reverse=True).",
            "In JavaScript, array.reverse() reverses an array in place.",
            "A Python list can hold items of different types, such as numbers and strings.",
            "Use len(my_list) to get the number of items in a list.",
            "To reverse a string in Python, use the slice text[::-1].",
            "List comprehensions build a new list from an existing iterable in one line.",
            "Python was created by Guido van Rossum and first released in 1991.",
        ),
    ),
    RerankExample(
        id="pandas-cross-lingual",
        title_en="Cross-lingual: what pandas eat (Chinese query, mixed documents)",
        title_zh="跨语言：大熊猫吃什么（中文查询，中英文档）",
        query="大熊猫平时吃什么？",
        documents=(
            "大熊猫的食物99%以上是竹子，每天要花十几个小时进食。",
            "Giant pandas eat almost nothing but bamboo, up to 38 kg a day.",
            "In the wild, pandas occasionally eat small animals or carrion.",
            "大熊猫主要生活在四川、陕西和甘肃的山区竹林中。",
            "The red panda is not closely related to the giant panda.",
            "熊猫基地每天上午九点开放，建议早点去看熊猫进食。",
            "Pandas is a Python library for data analysis and manipulation.",
            "竹子是一种生长很快的植物，有的品种一天能长一米。",
            "Koalas feed almost exclusively on eucalyptus leaves.",
            "刚出生的大熊猫幼崽只有100克左右，靠吃母乳长大。",
            "China lends giant pandas to zoos around the world.",
        ),
    ),
)


def example_sets() -> list[RerankExample]:
    """The built-in example sets, in menu order."""
    return list(_EXAMPLES)


def example_set(example_id: str) -> RerankExample:
    """The example set with ``example_id``; KeyError if there is none."""
    for example in _EXAMPLES:
        if example.id == example_id:
            return example
    raise KeyError(example_id)
