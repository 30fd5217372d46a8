"""Streaming Markdown cost: incremental blocks vs re-rendering everything (design.md §3, §5).

Feeds a realistic 100k-token answer (headings, paragraphs in English and Chinese, lists, tables,
code blocks in several languages) token by token into :class:`MarkdownStream`, and calls
``update()`` every N tokens the way a 60 Hz repaint would at the given token rate. Reports the
time per token for the first 1k tokens vs the last 1k (at 100k), and the p99/max of single
``feed`` and ``update`` calls. The naive baseline re-renders the whole accumulated text with the
same renderer at the same repaint points; it is quadratic, so it runs on the first 10k tokens
only, which is enough to show the trend.

Only the Markdown work is measured: no Qt, no network. The chat view adds its own layout cost on
top of these numbers.

    uv run python bench/markdown_stream.py [--tokens 100000] [--rate 2000 5000]
                                           [--naive-tokens 10000]
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time

from sfdesk.core.markdown_render import MarkdownRenderer, warm_up
from sfdesk.core.markdown_stream import MarkdownStream

PROSE = (
    "the model returns a list of results sorted by score and each result carries the index of "
    "its document so you can map it back to the input while streaming tokens arrive quickly"
)
WORDS = PROSE.split()
CHINESE = "流式输出的回答会逐块渲染，已经完成的段落不会重新渲染，只有最后一个未完成的块需要更新。"

PYTHON = [
    "def rerank(client, query: str, documents: list[str]) -> list[tuple[int, float]]:",
    '    """Score documents against the query and return (index, score) pairs."""',
    '    response = client.post("/rerank", json={"query": query, "documents": documents})',
    "    response.raise_for_status()",
    '    return [(r["index"], r["relevance_score"]) for r in response.json()["results"]]',
    "",
    "for index, score in rerank(client, 'cats', docs):",
    '    print(f"{index:3d}  {score:.4f}")  # highest first',
]
JS = [
    "async function stream(prompt) {",
    "  const res = await fetch(url, { method: 'POST', body: JSON.stringify({ prompt }) });",
    "  for await (const chunk of res.body) {",
    "    process.stdout.write(new TextDecoder().decode(chunk));",
    "  }",
    "}",
]
BASH = ["export SILICONFLOW_API_KEY=sk-...", "uv run python main.py --model Qwen/Qwen3-8B", ""]


def sentence(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return CHINESE[: rng.randint(12, len(CHINESE))]
    words = rng.choices(WORDS, k=rng.randint(8, 20))
    if rng.random() < 0.3:
        words[rng.randrange(len(words))] = f"`{rng.choice(WORDS)}()`"
    if rng.random() < 0.2:
        words[rng.randrange(len(words))] = f"**{rng.choice(WORDS)}**"
    return " ".join(words).capitalize() + "."


def section(rng: random.Random) -> str:
    parts = [f"## {sentence(rng)[:40]}\n"]
    for _ in range(rng.randint(1, 3)):
        parts.append(" ".join(sentence(rng) for _ in range(rng.randint(2, 5))) + "\n\n")
    kind = rng.random()
    if kind < 0.45:
        language, lines = rng.choice([("python", PYTHON), ("javascript", JS), ("bash", BASH)])
        body = [rng.choice(lines) for _ in range(rng.randint(8, 60))]
        parts.append(f"```{language}\n" + "\n".join(body) + "\n```\n\n")
    elif kind < 0.7:
        marker = rng.choice(["-", "1."])
        items = [f"{marker} {sentence(rng)}" for _ in range(rng.randint(3, 8))]
        parts.append("\n".join(items) + "\n\n")
    elif kind < 0.85:
        rows = [f"| {rng.choice(WORDS)} | {rng.random():.3f} | {CHINESE[:6]} |" for _ in range(6)]
        parts.append("| name | score | 说明 |\n|---|---:|---|\n" + "\n".join(rows) + "\n\n")
    else:
        parts.append("> " + sentence(rng) + "\n> " + sentence(rng) + "\n\n")
    return "".join(parts)


def make_tokens(count: int, seed: int = 7) -> list[str]:
    """About ``count`` tokens of 3–4 characters: whole random sections, the last one finished."""
    rng = random.Random(seed)
    tokens: list[str] = []
    while len(tokens) < count:
        text = section(rng)
        while text:
            size = rng.choice((3, 4))
            tokens.append(text[:size])
            text = text[size:]
    return tokens


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def window_us(per_token: list[float], start: int, size: int = 1000) -> float:
    """Mean microseconds per token over tokens [start, start + size)."""
    return statistics.fmean(per_token[start : start + size]) * 1e6


def run_incremental(tokens: list[str], every: int, *, measure_from: int = 0) -> dict[str, float]:
    """Stream ``tokens``; per-call times, and time per token over tokens[measure_from:]."""
    stream = MarkdownStream()
    feed_times: list[float] = []
    update_times: list[float] = []
    per_token: list[float] = []  # feed time, plus a repaint's time charged to its token
    clock = time.perf_counter
    start_all = clock()
    for i, token in enumerate(tokens, 1):
        t0 = clock()
        stream.feed(token)
        t1 = clock()
        feed_times.append(t1 - t0)
        spent = t1 - t0
        if i % every == 0:
            t2 = clock()
            stream.update()
            t3 = clock()
            update_times.append(t3 - t2)
            spent += t3 - t2
        per_token.append(spent)
    t0 = clock()
    stream.finish()
    finish = clock() - t0
    total = clock() - start_all
    return {
        "total_s": total,
        "measured_us": statistics.fmean(per_token[measure_from:]) * 1e6,
        "feed_p99_ms": percentile(feed_times, 0.99) * 1e3,
        "feed_max_ms": max(feed_times) * 1e3,
        "update_p99_ms": percentile(update_times, 0.99) * 1e3,
        "update_max_ms": max(update_times) * 1e3,
        "finish_ms": finish * 1e3,
        "updates": len(update_times),
    }


def per_token_at(prefix: list[str], sample: list[str], every: int, repeats: int) -> float:
    """Median µs per token spent on ``sample`` when it follows ``prefix`` in one stream.

    The same sample is timed at the start of an answer and after 99k tokens, so the ratio
    shows how cost grows with length and not how code costs more than prose.
    """
    tokens = [*prefix, *sample]  # the prefix ends with a finished section
    runs = [
        run_incremental(tokens, every, measure_from=len(tokens) - len(sample))["measured_us"]
        for _ in range(repeats)
    ]
    return statistics.median(runs)


def run_naive(tokens: list[str], every: int) -> dict[str, float]:
    renderer = MarkdownRenderer()
    text = ""
    per_token: list[float] = []
    repaint_times: list[float] = []
    clock = time.perf_counter
    start_all = clock()
    for i, token in enumerate(tokens, 1):
        t0 = clock()
        text += token
        if i % every == 0:
            renderer.render(text)
            repaint_times.append(clock() - t0)
        per_token.append(clock() - t0)
    n = len(tokens)
    return {
        "total_s": clock() - start_all,
        "first_1k_us": window_us(per_token, 0),
        "last_1k_us": window_us(per_token, n - 1000),
        "repaint_p99_ms": percentile(repaint_times, 0.99) * 1e3,
        "repaint_max_ms": max(repaint_times) * 1e3,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", type=int, default=100_000)
    parser.add_argument("--rate", type=int, nargs="+", default=[2000, 5000])
    parser.add_argument("--naive-tokens", type=int, default=10_000)
    args = parser.parse_args()

    tokens = make_tokens(args.tokens)
    text = "".join(tokens)
    print(
        f"answer: {len(tokens):,} tokens, {len(text):,} characters,"
        f" {text.count('```') // 2} code blocks"
    )
    # What the app does at idle time after start: import the common lexers once.
    warm_up()

    sample = make_tokens(1000, seed=11)
    for rate in args.rate:
        every = max(1, round(rate / 60))
        print(f"\nrate {rate} tokens/s -> update() every {every} tokens (60 Hz)")
        gc.collect()
        r = run_incremental(tokens, every)
        print(
            f"  incremental: {r['total_s']:.2f} s for {len(tokens):,} tokens,"
            f" {r['updates']} updates"
        )
        print(f"    feed():   p99 {r['feed_p99_ms']:.3f} ms, max {r['feed_max_ms']:.2f} ms")
        print(f"    update(): p99 {r['update_p99_ms']:.2f} ms, max {r['update_max_ms']:.2f} ms")
        print(f"    finish(): {r['finish_ms']:.2f} ms")
        first = per_token_at([], sample, every, repeats=7)
        prefix = make_tokens(len(tokens) - len(sample), seed=3)
        late = per_token_at(prefix, sample, every, repeats=3)
        print(
            f"    same 1k tokens: {first:.1f} µs/token as tokens 0-1k,"
            f" {late:.1f} µs/token after {len(prefix):,} tokens"
            f" (ratio {late / first:.2f}, target <= 1.5)"
        )

        naive_tokens = tokens[: args.naive_tokens]
        gc.collect()
        n = run_naive(naive_tokens, every)
        inc = run_incremental(naive_tokens, every)
        print(
            f"  naive (whole text re-rendered per repaint), first {len(naive_tokens):,} tokens:"
            f" {n['total_s']:.2f} s vs incremental {inc['total_s']:.2f} s"
        )
        print(
            f"    per token: tokens 0-1k {n['first_1k_us']:.1f} µs,"
            f" tokens {len(naive_tokens) // 1000 - 1}k-{len(naive_tokens) // 1000}k"
            f" {n['last_1k_us']:.1f} µs"
            f" (ratio {n['last_1k_us'] / n['first_1k_us']:.1f}, and growing)"
        )
        print(f"    repaint:  p99 {n['repaint_p99_ms']:.1f} ms, max {n['repaint_max_ms']:.1f} ms")


if __name__ == "__main__":
    main()
