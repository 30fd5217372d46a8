"""Blind mode: letters dealt at random, one vote per round, the reveal, and the session's tally."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfdesk.core.blind import BlindRound, RoundClosed, Tally

MODELS = ["Qwen/Qwen3-8B", "deepseek-ai/DeepSeek-V3", "THUDM/GLM-4-9B", "moonshot/Kimi"]


@given(
    keys=st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=4, unique=True),
    seed=st.integers(),
)
def test_letters_are_a_permutation_and_map_both_ways(keys: list[str], seed: int) -> None:
    round_ = BlindRound(keys, random.Random(seed))
    assert round_.letters == tuple("ABCD"[: len(keys)])
    assert sorted(round_.letter_of(key) for key in keys) == list(round_.letters)
    for key in keys:
        assert round_.key_of(round_.letter_of(key)) == key
    assert round_.keys == tuple(keys)
    assert round_.reveal() == {letter: round_.key_of(letter) for letter in round_.letters}
    assert sorted(round_.reveal().values()) == sorted(keys)


def test_the_order_is_shuffled_not_the_column_order() -> None:
    firsts = {BlindRound(MODELS, random.Random(seed)).key_of("A") for seed in range(200)}
    assert firsts == set(MODELS)  # every column gets to be "A"


def test_the_same_seed_deals_the_same_letters() -> None:
    a = BlindRound(MODELS, random.Random(7))
    b = BlindRound(MODELS, random.Random(7))
    assert [a.letter_of(k) for k in MODELS] == [b.letter_of(k) for k in MODELS]


def test_without_an_rng_rounds_still_deal_every_letter() -> None:
    round_ = BlindRound(MODELS)
    assert {round_.letter_of(k) for k in MODELS} == set("ABCD")


@pytest.mark.parametrize("keys", [[], ["a", "a"], [str(n) for n in range(27)]])
def test_bad_key_lists_are_refused(keys: list[str]) -> None:
    with pytest.raises(ValueError):
        BlindRound(keys)


def test_unknown_keys_and_letters() -> None:
    round_ = BlindRound(MODELS[:2], random.Random(1))
    with pytest.raises(KeyError):
        round_.letter_of("nope")
    with pytest.raises(KeyError):
        round_.key_of("C")
    with pytest.raises(ValueError):
        round_.vote("C")
    assert round_.vote_letter is None


def test_a_new_vote_replaces_the_old_one() -> None:
    round_ = BlindRound(MODELS, random.Random(3))
    round_.vote("A")
    round_.vote("C")
    assert round_.vote_letter == "C"
    assert round_.winner is None  # not before the reveal
    assert round_.reveal()["C"] == round_.winner == round_.key_of("C")


def test_a_vote_can_be_taken_back() -> None:
    round_ = BlindRound(MODELS, random.Random(3))
    round_.vote("B")
    round_.clear_vote()
    round_.reveal()
    assert round_.winner is None


def test_a_revealed_round_is_closed() -> None:
    round_ = BlindRound(MODELS, random.Random(5))
    round_.vote("B")
    assert not round_.revealed
    first = round_.reveal()
    assert round_.revealed
    with pytest.raises(RoundClosed):
        round_.vote("A")
    with pytest.raises(RoundClosed):
        round_.clear_vote()
    assert round_.vote_letter == "B"
    assert round_.reveal() == first  # revealing again changes nothing


def _played(keys: list[str], winner: str | None, seed: int) -> BlindRound:
    round_ = BlindRound(keys, random.Random(seed))
    if winner is not None:
        round_.vote(round_.letter_of(winner))
    round_.reveal()
    return round_


def test_the_tally_counts_the_winning_keys_whatever_their_letters() -> None:
    tally = Tally()
    winners = [MODELS[1], MODELS[0], MODELS[1], MODELS[1], MODELS[2]]
    for seed, winner in enumerate(winners):
        assert tally.add(_played(MODELS, winner, seed))
    assert tally.counts() == {MODELS[1]: 3, MODELS[0]: 1, MODELS[2]: 1, MODELS[3]: 0}
    assert list(tally.counts()) == [MODELS[1], MODELS[0], MODELS[2], MODELS[3]]
    assert tally.rounds == 5


def test_rounds_without_a_vote_and_rounds_added_twice_are_not_counted() -> None:
    tally = Tally()
    voted = _played(MODELS, MODELS[2], 1)
    assert tally.add(voted)
    assert not tally.add(voted)
    assert not tally.add(_played(MODELS, None, 2))
    assert tally.counts() == {MODELS[2]: 1, MODELS[0]: 0, MODELS[1]: 0, MODELS[3]: 0}
    assert tally.rounds == 1


def test_two_equal_rounds_are_two_votes() -> None:
    tally = Tally()
    tally.add(_played(MODELS, MODELS[0], 9))
    tally.add(_played(MODELS, MODELS[0], 9))
    assert tally.counts()[MODELS[0]] == 2 and tally.rounds == 2


def test_a_round_must_be_revealed_before_it_is_counted() -> None:
    tally = Tally()
    round_ = BlindRound(MODELS, random.Random(2))
    round_.vote("A")
    with pytest.raises(ValueError):
        tally.add(round_)
    assert tally.counts() == {} and tally.rounds == 0


def test_rounds_with_different_columns_add_up() -> None:
    tally = Tally()
    tally.add(_played(MODELS[:2], MODELS[0], 1))
    tally.add(_played(MODELS[1:3], MODELS[2], 2))
    tally.add(_played(MODELS[1:3], MODELS[2], 3))
    assert tally.counts() == {MODELS[2]: 2, MODELS[0]: 1, MODELS[1]: 0}


def test_reset_forgets_everything() -> None:
    tally = Tally()
    round_ = _played(MODELS, MODELS[3], 4)
    tally.add(round_)
    tally.reset()
    assert tally.counts() == {} and tally.rounds == 0
    assert tally.add(round_)  # a round counted before the reset may be counted again
