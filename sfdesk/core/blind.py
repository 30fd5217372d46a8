"""Blind mode for demos: the audience compares answers under letters, votes, then sees which
column was which; a tally keeps the score over a session.

This module owns the rules of a round (:class:`BlindRound`) and of the score (:class:`Tally`);
the Compare workbench shows the letters, takes the vote and calls :meth:`BlindRound.reveal`.
A *key* is whatever names a column for the UI (a model id, or a column label when two columns use
one model with different prompts); keys must be unique within a round.

Letters are dealt in a shuffled order, so "A" is not always the first column set up. The UI
should also lay the columns out in letter order (:attr:`BlindRound.letters`, :meth:`key_of`):
an audience that saw the columns being set up would otherwise know them by position.

Pure Python, Qt-free, not thread-safe (the GUI thread drives it).
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence

__all__ = ["BlindRound", "RoundClosed", "Tally"]

MAX_KEYS = len(string.ascii_uppercase)


class RoundClosed(RuntimeError):
    """A vote for a round that has already been revealed."""


class BlindRound:
    """One blind comparison: a letter per column, at most one vote, then the reveal."""

    def __init__(self, keys: Sequence[str], rng: random.Random | None = None) -> None:
        keys = list(keys)
        if not keys:
            raise ValueError("a blind round needs at least one column")
        if len(keys) > MAX_KEYS:
            raise ValueError(f"a blind round has at most {MAX_KEYS} columns")
        if len(set(keys)) != len(keys):
            raise ValueError("the columns of a blind round must have different keys")
        shuffled = keys[:]
        (rng if rng is not None else random.Random()).shuffle(shuffled)
        self._keys = tuple(keys)
        self._by_letter = dict(zip(string.ascii_uppercase, shuffled, strict=False))
        self._by_key = {key: letter for letter, key in self._by_letter.items()}
        self._vote: str | None = None
        self._revealed = False

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys in the order they were given."""
        return self._keys

    @property
    def letters(self) -> tuple[str, ...]:
        """The letters in use, in order: ``("A", "B", …)``."""
        return tuple(self._by_letter)

    def letter_of(self, key: str) -> str:
        """The letter shown for ``key``; KeyError for a key not in the round."""
        return self._by_key[key]

    def key_of(self, letter: str) -> str:
        """The key behind ``letter``; KeyError for a letter not in the round."""
        return self._by_letter[letter]

    @property
    def vote_letter(self) -> str | None:
        """The letter voted for, or None."""
        return self._vote

    @property
    def winner(self) -> str | None:
        """The key voted for, or None (known only once revealed, so the UI cannot leak it)."""
        if not self._revealed or self._vote is None:
            return None
        return self._by_letter[self._vote]

    def vote(self, letter: str) -> None:
        """Vote for ``letter``, replacing an earlier vote of this round.

        ValueError for a letter not in the round; :class:`RoundClosed` once revealed.
        """
        if self._revealed:
            raise RoundClosed("this round has been revealed; start a new one to vote")
        if letter not in self._by_letter:
            raise ValueError(f"no column is shown as {letter!r}")
        self._vote = letter

    def clear_vote(self) -> None:
        """Take back the vote (:class:`RoundClosed` once revealed)."""
        if self._revealed:
            raise RoundClosed("this round has been revealed")
        self._vote = None

    @property
    def revealed(self) -> bool:
        return self._revealed

    def reveal(self) -> dict[str, str]:
        """End the round: letter → key, in letter order. Revealing again gives the same answer."""
        self._revealed = True
        return dict(self._by_letter)


class Tally:
    """The votes of a session: how many rounds each key won."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._counted: list[BlindRound] = []

    def add(self, round: BlindRound) -> bool:
        """Count the winner of a revealed round; return whether it was counted.

        A round with no vote, or one already counted, changes nothing (the UI may add a round
        both when it is revealed and when the next one starts). ValueError for a round not yet
        revealed: counting it then would let the tally show the result early.
        """
        if not round.revealed:
            raise ValueError("reveal the round before counting it")
        winner = round.winner
        # By identity: two rounds with the same columns and vote are still two votes.
        if winner is None or any(seen is round for seen in self._counted):
            return False
        self._counted.append(round)
        for key in round.keys:
            self._counts.setdefault(key, 0)
        self._counts[winner] += 1
        return True

    def counts(self) -> dict[str, int]:
        """Wins per key, most first (ties in the order the keys were first seen); every key of a
        counted round is there, with 0 if it never won."""
        order = {key: n for n, key in enumerate(self._counts)}
        ranked = sorted(self._counts.items(), key=lambda item: (-item[1], order[item[0]]))
        return dict(ranked)

    @property
    def rounds(self) -> int:
        """How many rounds were counted (each has exactly one vote)."""
        return len(self._counted)

    def reset(self) -> None:
        self._counts.clear()
        self._counted.clear()
