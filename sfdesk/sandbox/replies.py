"""Synthetic chat text: answers, reasoning, JSON-mode objects and tool-call arguments.

Everything is a pure function of the conversation (and the model id, so two models answer a little
differently): the same request always gets the same reply. Answers are small Markdown documents —
a heading, a paragraph quoting the question, a bullet list, a fenced code block — in Chinese when
the user wrote Chinese, otherwise in English, so a client's Markdown rendering has something real
to chew on.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .text import STOPWORDS, cjk_share, split_pieces, stable_hash, words


@dataclass(frozen=True, slots=True)
class Conversation:
    question: str  # text of the last user message
    images: int  # image parts in the last user message
    tool_result: str | None  # content of the final message when it is a tool result
    last_role: str
    zh: bool


def message_text(content: object) -> tuple[str, int]:
    """The text of a message's content and how many images it carries."""
    if isinstance(content, str):
        return content, 0
    texts: list[str] = []
    images = 0
    if isinstance(content, list):
        for part in content:
            if not isinstance(part, Mapping):
                continue
            if part.get("type") == "text" and isinstance(part.get("text"), str):
                texts.append(part["text"])
            elif part.get("type") == "image_url":
                images += 1
    return "\n".join(texts), images


def read_conversation(messages: Sequence[Mapping[str, Any]]) -> Conversation:
    question, images = "", 0
    for message in reversed(messages):
        if message.get("role") == "user":
            question, images = message_text(message.get("content"))
            break
    last = messages[-1]
    last_role = str(last.get("role", ""))
    tool_result = message_text(last.get("content"))[0] if last_role == "tool" else None
    return Conversation(
        question=question.strip(),
        images=images,
        tool_result=tool_result,
        last_role=last_role,
        zh=cjk_share(question) >= 0.3,
    )


# -- keywords and quoting ----------------------------------------------------------------------

_ZH_FILLERS = re.compile(
    "请问|请你|请|帮我|帮忙|给我|能不能|可以|一下|解释|介绍|什么是|什么|是什么|如何|怎么样|怎么|"
    "为什么|吗|呢|吧|的|了|和|与|是"
)


# Request verbs say what to do, not what it is about: never a topic.
_EN_NON_TOPICS = STOPWORDS | frozenset(
    (
        *("explain", "tell", "describe", "call", "write", "give", "show", "help", "make"),
        *("list", "summarize", "summarise", "about", "some", "any", "more", "most", "very"),
        *("really", "just", "also"),
    )
)


def _keywords(text: str, zh: bool) -> list[str]:
    if zh:
        runs = [r for w in words(text) for r in _ZH_FILLERS.split(w) if len(r) >= 2]
        runs.sort(key=len, reverse=True)
        return [r[:8] for r in runs[:3]]
    seen: set[str] = set()
    found: list[str] = []
    for word in words(text):
        lower = word.lower().strip("'-")
        if len(lower) < 3 or lower in _EN_NON_TOPICS or lower in seen:
            continue
        seen.add(lower)
        found.append(word.strip("'-"))
    # Longer words carry more meaning; `sorted` is stable, so ties keep their order.
    return sorted(found, key=len, reverse=True)[:3]


def _quote(text: str, limit: int) -> str:
    """The question, flattened so it cannot break the Markdown around it."""
    flat = re.sub(r"[`*<>\[\]|]", "", " ".join(text.split()))
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _pick(options: Sequence[str], seed: int, salt: int) -> str:
    return options[(seed >> (salt * 5)) % len(options)]


# -- answers -----------------------------------------------------------------------------------

_EN_TITLES = ("A quick look at {topic}", "About {topic}", "{topic}, in brief", "Notes on {topic}")
_EN_POINTS = (
    "it is easiest to understand through a small, concrete example",
    "the details depend on your data, so measure before you optimise",
    "start simple and add complexity only when a real need shows up",
    "most problems here come from unclear inputs rather than hard algorithms",
    "write down what “good” looks like before comparing options",
    "a short experiment answers more than a long debate",
)
_EN_CLOSINGS = (
    "That is the sandbox's whole answer — ask again in other words to get a different one.",
    "Want more depth? Ask a follow-up question and the sandbox will make something up again.",
    "This reply is synthetic: it exists so you can see how a real answer would look.",
)
_ZH_TITLES = ("关于「{topic}」", "简单聊聊{topic}", "{topic}：要点速览", "如何理解{topic}")
_ZH_POINTS = (
    "用一个具体的小例子最容易理解",
    "细节取决于你的数据，优化之前先测量",
    "先从简单的做法开始，确有需要再增加复杂度",
    "大多数问题源于输入不清楚，而不是算法太难",
    "比较方案之前，先写下什么才算“好”",
    "一个小实验胜过一场长时间的争论",
)
_ZH_CLOSINGS = (
    "以上就是沙盒的全部回答——换个问法，会得到不同的内容。",
    "想了解更多？继续追问，沙盒会再编一段给你。",
    "这是一段合成的回复，用来展示真实回答的样子。",
)


# Asking for a long or detailed answer gets one (a dozen more numbered parts, with code and
# lists), so a long reply can be demonstrated from the app itself, without the test header.
_LONG_RE = re.compile(
    r"\b(?:long|detailed|in (?:depth|detail)|step by step)\b|详细|长一点|展开|深入", re.IGNORECASE
)
LONG_ANSWER_PARTS = 12


def compose_answer(conv: Conversation, model: str) -> str:
    seed = stable_hash(model, conv.question)
    keys = _keywords(conv.question, conv.zh)
    text = _answer_zh(conv, keys, seed) if conv.zh else _answer_en(conv, keys, seed)
    if _LONG_RE.search(conv.question):
        text += "".join(itertools.islice(filler(conv.zh), LONG_ANSWER_PARTS))
    return text


def _answer_en(conv: Conversation, keys: list[str], seed: int) -> str:
    topic = keys[0] if keys else "your question"
    second = keys[1] if len(keys) > 1 else "context"
    third = keys[2] if len(keys) > 2 else "practice"
    lines: list[str] = []
    if conv.tool_result is not None:
        lines += [f"The tool returned: “{_quote(conv.tool_result, 80)}”.", ""]
    lines += [f"### {_pick(_EN_TITLES, seed, 1).format(topic=topic.capitalize())}", ""]
    quoted = _quote(conv.question, 70) or "(an empty message)"
    lines.append(
        f"You asked: *“{quoted}”*. This is a synthetic reply from the **sfdesk sandbox** — "
        "no model ran, but it is shaped like a real answer."
    )
    if conv.images:
        lines.append(
            f"I can see {conv.images} image{'s' if conv.images != 1 else ''} in your message."
        )
    lines += [
        "",
        f"- **{topic.capitalize()}**: {_pick(_EN_POINTS, seed, 2)}.",
        f"- **{second.capitalize()}**: {_pick(_EN_POINTS, seed, 3)}.",
        f"- **Next step**: try {third.lower()} on a small case first.",
        "",
        "```python",
        "def summarize(topic: str) -> str:",
        '    return f"{topic}: see the points above"',
        "",
        f"print(summarize({json.dumps(topic.lower())}))",
        "```",
        "",
        _pick(_EN_CLOSINGS, seed, 4),
    ]
    return "\n".join(lines)


def _answer_zh(conv: Conversation, keys: list[str], seed: int) -> str:
    topic = keys[0] if keys else "你的问题"
    second = keys[1] if len(keys) > 1 else "背景"
    lines: list[str] = []
    if conv.tool_result is not None:
        lines += [f"工具返回的结果是：“{_quote(conv.tool_result, 60)}”。", ""]
    lines += [f"### {_pick(_ZH_TITLES, seed, 1).format(topic=topic)}", ""]
    quoted = _quote(conv.question, 40) or "（空消息）"
    lines.append(
        f"你问的是：*“{quoted}”*。这是 **sfdesk 沙盒** 生成的合成回复——"
        "没有真正运行模型，但格式和真实回答一样。"
    )
    if conv.images:
        lines.append(f"我看到了你发送的 {conv.images} 张图片。")
    lines += [
        "",
        f"- **{topic}**：{_pick(_ZH_POINTS, seed, 2)}。",
        f"- **{second}**：{_pick(_ZH_POINTS, seed, 3)}。",
        "- **下一步**：先在一个小例子上试一试。",
        "",
        "```python",
        "def summarize(topic: str) -> str:",
        '    return f"{topic}：见上面的要点"',
        "",
        f"print(summarize({json.dumps(topic, ensure_ascii=False)}))",
        "```",
        "",
        _pick(_ZH_CLOSINGS, seed, 4),
    ]
    return "\n".join(lines)


def compose_json(conv: Conversation, model: str) -> str:
    """JSON mode: a valid JSON object (as text) summarising the answer."""
    keys = _keywords(conv.question, conv.zh)
    seed = stable_hash(model, conv.question)
    answer = _pick(_ZH_POINTS, seed, 2) if conv.zh else _pick(_EN_POINTS, seed, 2)
    obj = {
        "question": _quote(conv.question, 70),
        "answer": answer,
        "keywords": keys,
        "language": "zh" if conv.zh else "en",
        "source": "sfdesk sandbox",
    }
    return json.dumps(obj, ensure_ascii=False, indent=2)


# -- long replies (X-Sandbox-Reply-Tokens) -----------------------------------------------------

_EN_FILLER = (
    "Streaming keeps going so you can measure how the client copes with a long answer.",
    "Each paragraph is numbered, which makes it easy to spot a missing or repeated piece.",
    "Nothing here is meaningful, but every token arrives in order and on time.",
    "A steady stream like this is how a benchmark looks from the outside.",
)
_ZH_FILLER = (
    "回复会一直流式输出，方便你测量客户端如何处理很长的回答。",
    "每一段都有编号，缺失或重复的内容一眼就能看出来。",
    "这些内容本身没有意义，但每个片段都按顺序准时到达。",
    "从外面看，基准测试就是这样一段稳定的数据流。",
)


_FILLER_CODE = (
    (
        "python",
        "def part(number: int) -> str:",
        '    """Every part of a long reply carries its number."""',
        '    return f"Part {number}: {len(str(number))} digits"',
        "",
        "print(part({n}))",
    ),
    (
        "javascript",
        "const parts = [];",
        "for (let i = 0; i < {n}; i += 1) {",
        "  parts.push(`Part ${i + 1}`);",
        "}",
        "console.log(parts.length);",
    ),
    (
        "bash",
        "for i in $(seq 1 {n}); do",
        '  echo "Part $i"',
        "done | wc -l",
    ),
)


def filler(zh: bool) -> Iterator[str]:
    """Endless numbered parts used to make an answer exactly as long as asked.

    Mostly paragraphs; every 4th part adds a fenced code block and every 7th a bullet list, so a
    long reply exercises a client's Markdown rendering (highlighting included) like a real one.
    """
    pool = _ZH_FILLER if zh else _EN_FILLER
    number = 1
    while True:
        first, second = pool[number % len(pool)], pool[(number + 1) % len(pool)]
        label = f"第 {number} 段" if zh else f"Part {number}."
        part = f"\n\n**{label}** {first} {second}"
        if number % 4 == 0:
            language, *lines = _FILLER_CODE[(number // 4) % len(_FILLER_CODE)]
            code = "\n".join(line.replace("{n}", str(number)) for line in lines)
            part += f"\n\n```{language}\n{code}\n```"
        elif number % 7 == 0:
            part += "\n\n" + "\n".join(f"- {pool[(number + i) % len(pool)]}" for i in range(3))
        yield part
        number += 1


def exact_pieces(text: str, count: int, zh: bool) -> list[str]:
    """``text`` cut into pieces, extended with filler or cut short to exactly ``count`` pieces."""
    pieces = split_pieces(text)
    if len(pieces) < count:
        for paragraph in filler(zh):
            pieces.extend(split_pieces(paragraph))
            if len(pieces) >= count:
                break
    return pieces[:count]


# -- reasoning ---------------------------------------------------------------------------------


def compose_reasoning(conv: Conversation, model: str, count: int) -> list[str]:
    """Exactly ``count`` pieces of plausible chain-of-thought about the question."""
    keys = _keywords(conv.question, conv.zh)
    quoted = _quote(conv.question, 50) or ("空消息" if conv.zh else "an empty message")
    if conv.zh:
        first = keys[0] if keys else "这个问题"
        sentences = [
            f"好的，用户在问“{quoted}”。",
            "我先想想他们真正想知道什么。",
            f"关键词大概是{first}。",
            "我应该先给一个简短的解释，再列出几个要点，最后附上一小段代码示例。",
            "回答要简洁、友好，并且用中文。",
            "再检查一下有没有遗漏的地方。",
        ]
    else:
        first = keys[0] if keys else "the topic"
        sentences = [
            f"Okay, the user is asking: “{quoted}”.",
            " Let me think about what they really want to know.",
            f" The key term seems to be {first}.",
            " I should start with a short explanation, then list a few points,"
            " and finish with a small code example.",
            " Keep it concise and friendly.",
            " Let me double-check that nothing important is missing.",
        ]
    pieces: list[str] = []
    turn = 0
    while len(pieces) < count:
        pieces.extend(split_pieces(sentences[turn % len(sentences)]))
        turn += 1
    return pieces[:count]


def reasoning_length(conv: Conversation, model: str) -> int:
    """40–80 pieces, fixed per question and model."""
    return 40 + stable_hash("reasoning", model, conv.question) % 41


# -- tool calls --------------------------------------------------------------------------------


def tool_arguments(function: Mapping[str, Any], question: str) -> str:
    """JSON arguments filling every required parameter with a string taken from the question."""
    params = function.get("parameters")
    required: list[str] = []
    if isinstance(params, Mapping) and isinstance(params.get("required"), list):
        required = [name for name in params["required"] if isinstance(name, str)]
    name = str(function.get("name", ""))
    found = words(question)
    # A capitalised word that is not the sentence's first word is usually the thing asked about
    # ("… for Boston, please") — a better argument than a random word.
    proper = [w for w in found[1:] if w[:1].isupper() and w != name and w != "I"]
    content = [w for w in found if w.lower() not in STOPWORDS and w != name and len(w) > 2]
    candidates = proper or content or [question.strip()[:40] or "sandbox"]
    args = {param: candidates[i % len(candidates)] for i, param in enumerate(required)}
    return json.dumps(args, ensure_ascii=False)
