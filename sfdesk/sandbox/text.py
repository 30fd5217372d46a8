"""Text primitives shared by the synthetic models: token counting, word pieces, stable hashing.

The sandbox has no real tokenizer. It defines "tokens" once, here, so chat usage, embedding input
limits and rerank scoring all agree: a CJK character or a latin/digit word counts as one token when
measuring input, and replies are cut into short word pieces (one per stream chunk). Hashing uses
BLAKE2b, never Python's per-process salted ``hash()``, so results are stable across runs.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

# CJK ideographs (incl. extension A and compatibility), kana and hangul: one token per character.
_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
CJK_RE = re.compile(f"[{_CJK_CLASS}]")
_INPUT_TOKEN_RE = re.compile(f"[{_CJK_CLASS}]|[A-Za-z0-9]+")

# Reply pieces: newline runs, a word with its leading space, 1–2 CJK characters, a digit group,
# one punctuation mark with its leading space, other whitespace. The last alternative catches
# anything left so that "".join(pieces) == text always holds.
_PIECE_RE = re.compile(
    f"\\n+|[ ]?[A-Za-z]+|[{_CJK_CLASS}]{{1,2}}|[ ]?[0-9]{{1,3}}"
    f"|[ ]?[^\\sA-Za-z0-9{_CJK_CLASS}]|[ \\t]+|[\\s\\S]"
)
_MAX_LATIN_PIECE = 6

STOPWORDS = frozenset(
    (
        *("a", "an", "and", "are", "as", "at", "be", "by", "can", "could"),
        *("do", "does", "did", "for", "from", "had", "has", "have", "how", "i"),
        *("in", "is", "it", "its", "me", "my", "of", "on", "or", "our"),
        *("so", "than", "that", "the", "their", "them", "then", "there", "these", "this"),
        *("those", "to", "too", "us", "was", "we", "were", "what", "when", "where"),
        *("which", "who", "why", "will", "with", "would", "you", "your", "please"),
    )
)


def count_tokens(text: str) -> int:
    """Input tokens as the sandbox bills them: CJK characters plus latin/digit words."""
    return len(_INPUT_TOKEN_RE.findall(text))


def has_cjk(text: str) -> bool:
    return CJK_RE.search(text) is not None


def cjk_share(text: str) -> float:
    """Share of CJK characters among the text's tokens (0 for text with no tokens)."""
    tokens = _INPUT_TOKEN_RE.findall(text)
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if CJK_RE.fullmatch(t)) / len(tokens)


def split_pieces(text: str) -> list[str]:
    """Cut ``text`` into the short, non-empty pieces a reply is streamed in (one per chunk)."""
    pieces: list[str] = []
    for match in _PIECE_RE.finditer(text):
        piece = match.group()
        core = piece.lstrip(" ")
        if len(core) > _MAX_LATIN_PIECE and core.isalpha() and core.isascii():
            # Long words become several pieces, like sub-word tokens; the space stays in front.
            lead = piece[: len(piece) - len(core)]
            first = lead + core[:_MAX_LATIN_PIECE]
            pieces.append(first)
            for start in range(_MAX_LATIN_PIECE, len(core), _MAX_LATIN_PIECE):
                pieces.append(core[start : start + _MAX_LATIN_PIECE])
        else:
            pieces.append(piece)
    return pieces


def stem(word: str) -> str:
    """A very light English stemmer, enough for "rivers" to meet "river"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def input_tokens(text: str) -> list[str]:
    """The tokens :func:`count_tokens` counts, in order."""
    return _INPUT_TOKEN_RE.findall(text)


def to_terms(tokens: list[str]) -> list[str]:
    """Lower-cased, lightly stemmed content terms of ``tokens`` (stopwords dropped)."""
    out: list[str] = []
    for token in tokens:
        lower = token.lower()
        if CJK_RE.match(lower) or lower not in STOPWORDS:
            out.append(stem(lower))
    return out


def terms(text: str) -> list[str]:
    """Content terms of ``text``: CJK characters and latin words, no stopwords."""
    return to_terms(input_tokens(text))


def words(text: str) -> list[str]:
    """Latin words and CJK runs in their original case, in order (for quoting keywords)."""
    return re.findall(f"[{_CJK_CLASS}]+|[A-Za-z][A-Za-z0-9'-]*", text)


def stable_hash(*parts: str) -> int:
    """A 64-bit hash of ``parts`` that is the same in every process and on every machine."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


@lru_cache(maxsize=65536)
def keyed_hash(key: str, feature: str) -> int:
    """``stable_hash`` with a key; cached because embedding features repeat a lot."""
    digest = hashlib.blake2b(
        feature.encode("utf-8"), digest_size=8, key=key.encode("utf-8")[:64]
    ).digest()
    return int.from_bytes(digest, "little")
