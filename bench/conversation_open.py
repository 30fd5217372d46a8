"""Opening a stored 1,000-message conversation, against bare sqlite3 in the same run (design.md §5).

Builds a realistic conversation in a temp dir (messages of ~300–3,000 characters, Chinese, English
and code; many answers with reasoning, usage and stats) through ``ConversationStore``, then times
- the last page, ``messages(id, limit=PAGE)``: what the Chat panel needs for first paint;
- all messages, ``messages(id)``;
- a cold open: ``ConversationStore(path)``, the conversation list, the last page, ``close()``;
each against the baseline of a bare ``SELECT * FROM messages WHERE conversation_id = ?`` fetched
with ``sqlite3`` (for the cold open: connect + that select + close). Runs alternate; medians.

Then (``--search-messages``, 0 to skip) it times conversation search over a larger database with
the FTS5 trigram index and with the LIKE fallback, for terms of 3+, 2 and 1 characters.

    uv run python bench/conversation_open.py [--messages 1000] [--page 50] [--rounds 15]
"""

from __future__ import annotations

import argparse
import logging
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sfdesk.store import ConversationStore, db

ZH = (
    "模型推理能力的评估需要考虑上下文长度、指令遵循、代码生成与数学推导等多个方面。"
    "我们先看一个例子，"
)
EN = "The quick evaluation of a model covers context length, instruction following and code. "
CODE = "```python\ndef score(xs: list[float]) -> float:\n    return sum(xs) / len(xs)\n```\n"


def text_of(rng: random.Random, low: int, high: int) -> str:
    size = rng.randint(low, high)
    parts: list[str] = []
    while sum(map(len, parts)) < size:
        parts.append(rng.choice((ZH, ZH, EN, CODE)))
    return "".join(parts)[:size]


def build_conversation(store: ConversationStore, rng: random.Random, n: int, title: str) -> int:
    conv = store.create_conversation(title, "Qwen/Qwen3-8B", "你是一个助手。", {"temperature": 0.7})
    for i in range(n):
        if i % 2 == 0:
            store.add_message(conv.id, "user", text_of(rng, 300, 1200))
            continue
        thinking = rng.random() < 0.5
        store.add_message(
            conv.id,
            "assistant",
            text_of(rng, 300, 3000),
            reasoning=text_of(rng, 300, 2000) if thinking else "",
            finish_reason="stop",
            model="Qwen/Qwen3-8B",
            usage={"prompt_tokens": 900 + i, "completion_tokens": 400, "reasoning_tokens": 120},
            stats={"ttft_ms": 420.0, "tokens_per_s": 48.5, "thinking_ms": 900, "duration_ms": 9000},
        )
    return conv.id


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def alternate(
    rounds: int, ours: Callable[[], object], baseline: Callable[[], object]
) -> tuple[float, float]:
    ours(), baseline()  # warm-up: page cache, statement cache
    a: list[float] = []
    b: list[float] = []
    for _ in range(rounds):
        started = time.perf_counter()
        baseline()
        b.append(time.perf_counter() - started)
        started = time.perf_counter()
        ours()
        a.append(time.perf_counter() - started)
    return median_ms(a), median_ms(b)


def report(label: str, ours_ms: float, base_ms: float) -> None:
    ratio = ours_ms / base_ms
    print(f"{label:<38} {ours_ms:8.2f} ms   baseline {base_ms:7.2f} ms   ratio {ratio:5.2f}")


def bench_open(folder: Path, messages: int, page: int, rounds: int) -> None:
    path = folder / "open.sqlite3"
    rng = random.Random(1)
    with ConversationStore(path) as store:
        started = time.perf_counter()
        cid = build_conversation(store, rng, messages, "长对话")
        build_s = time.perf_counter() - started
    chars = sum(
        len(c) + len(r)
        for c, r in sqlite3.connect(path).execute("SELECT content, reasoning FROM messages")
    )
    print(
        f"conversation: {messages} messages, {chars / 1e6:.1f} M characters, "
        f"built in {build_s:.2f} s ({build_s / messages * 1000:.2f} ms per add_message); "
        f"page = {page}, {rounds} rounds, medians"
    )
    bare = sqlite3.connect(path)
    select = "SELECT * FROM messages WHERE conversation_id = ?"

    def baseline() -> object:
        return bare.execute(select, (cid,)).fetchall()

    with ConversationStore(path) as store:
        ours, base = alternate(rounds, lambda: store.messages(cid, limit=page), baseline)
        report(f"last page  messages(id, limit={page})", ours, base)
        ours, base = alternate(rounds, lambda: store.messages(cid), baseline)
        report(f"all        messages(id)  [{messages}]", ours, base)
    bare.close()

    def cold_ours() -> object:
        with ConversationStore(path) as store:
            conv = store.list_conversations()[0]
            return store.messages(conv.id, limit=page)

    def cold_base() -> object:
        conn = sqlite3.connect(path)
        try:
            return conn.execute(select, (cid,)).fetchall()
        finally:
            conn.close()

    ours, base = alternate(rounds, cold_ours, cold_base)
    report("cold open  store + list + last page", ours, base)


def _no_fts(conn: sqlite3.Connection) -> bool:
    return False


def bench_search(folder: Path, total: int, rounds: int) -> None:
    path = folder / "search.sqlite3"
    rng = random.Random(2)
    per = 50
    with ConversationStore(path) as store:
        for c in range(total // per):
            build_conversation(store, rng, per, f"对话 {c}")
    size = path.stat().st_size / 1e6
    print(f"\nsearch: {total} messages in {total // per} conversations, {size:.0f} MB file")
    terms = [("3+ chars, hit", "推理能力"), ("3+ chars, miss", "不存在的词"), ("2 chars", "模型")]
    terms += [("2 chars, miss", "zq"), ("1 char", "例")]
    timings: dict[str, dict[str, float]] = {}
    original = db.fts_trigram_available
    logging.getLogger("sfdesk.store").setLevel(logging.ERROR)  # the expected "no FTS5" warning
    for mode in ("fts", "like"):
        # As on an SQLite build without FTS5: the store falls back to LIKE.
        db.fts_trigram_available = original if mode == "fts" else _no_fts
        try:
            with ConversationStore(path) as store:
                assert store.uses_full_text_index == (mode == "fts")
                for label, term in terms:
                    samples = []
                    for _ in range(rounds):
                        started = time.perf_counter()
                        store.list_conversations(term)
                        samples.append(time.perf_counter() - started)
                    timings.setdefault(label, {})[mode] = median_ms(samples)
        finally:
            db.fts_trigram_available = original
    # Leave the file's index complete again (the LIKE run dropped its triggers).
    ConversationStore(path).close()
    for label, term in terms:
        t = timings[label]
        print(f"{label:<16} {term!r:<12} FTS5 {t['fts']:7.2f} ms   LIKE {t['like']:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--page", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--search-messages", type=int, default=10_000)
    args = parser.parse_args()
    print(f"SQLite {sqlite3.sqlite_version}")
    with tempfile.TemporaryDirectory(prefix="sfdesk-bench-") as tmp:
        bench_open(Path(tmp), args.messages, args.page, args.rounds)
        if args.search_messages:
            bench_search(Path(tmp), args.search_messages, max(3, args.rounds // 3))


if __name__ == "__main__":
    main()
