"""Reading citation markers in every style models write them."""

from __future__ import annotations

import pytest

from qa.markers import (
    Claim,
    complete_markers,
    has_markers,
    open_marker_start,
    parse_numbers,
    split_claims,
)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("Talks failed [1].", [("Talks failed.", (1,))]),
        ("Talks failed. [1]", [("Talks failed.", (1,))]),
        ("Talks failed.[1][3]", [("Talks failed.", (1, 3))]),
        ("Talks failed [1, 3].", [("Talks failed.", (1, 3))]),
        ("Talks failed [1,3].", [("Talks failed.", (1, 3))]),
        ("Talks failed [1-3].", [("Talks failed.", (1, 2, 3))]),
        ("Talks failed [1–3].", [("Talks failed.", (1, 2, 3))]),
        ("Talks failed 【2】.", [("Talks failed.", (2,))]),
        ("Talks failed 【1, 2】.", [("Talks failed.", (1, 2))]),
        ("Talks failed (Source 2).", [("Talks failed.", (2,))]),
        ("Talks failed (sources 1 and 4).", [("Talks failed.", (1, 4))]),
        ("Talks failed [Source 2].", [("Talks failed.", (2,))]),
        ("Talks failed [S2].", [("Talks failed.", (2,))]),
        ("Talks failed [^2].", [("Talks failed.", (2,))]),
        ("According to source 2, talks failed.", [("Talks failed.", (2,))]),
        ("Talks failed, according to sources 1 and 3.", [("Talks failed,.", (1, 3))]),
        (
            "Talks failed [1]. The army moved in [2].",
            [("Talks failed.", (1,)), ("The army moved in.", (2,))],
        ),
        (
            "Talks failed. [1] The army moved in. [2]",
            [("Talks failed.", (1,)), ("The army moved in.", (2,))],
        ),
        (
            "The U.S. envoy met Gen. Marek on Jan. 5 [1]. He left [2].",
            [("The U.S. envoy met Gen. Marek on Jan. 5.", (1,)), ("He left.", (2,))],
        ),
        ("Col. I. Marek spoke [3].", [("Col. I. Marek spoke.", (3,))]),
        ("Damage was put at $1.13bn [4].", [("Damage was put at $1.13bn.", (4,))]),
        ("Nothing cited here.", [("Nothing cited here.", ())]),
        ("[9] A marker first.", [("A marker first.", (9,))]),
    ],
)
def test_markers_are_attached_to_the_sentence_they_end(
    reply: str, expected: list[tuple[str, tuple[int, ...]]]
) -> None:
    assert [(c.text, c.cited) for c in split_claims(reply)] == expected


def test_list_items_keep_their_lines() -> None:
    claims = split_claims("Key points:\n- Talks failed [1]\n- The army moved [2]")
    assert claims == [
        Claim("Key points:", ()),
        Claim("- Talks failed", (1,), new_line=True),
        Claim("- The army moved", (2,), new_line=True),
    ]


@pytest.mark.parametrize(
    ("numbers", "parsed"),
    [("1", (1,)), ("1, 3", (1, 3)), ("3-5", (3, 4, 5)), ("1 and 2", (1, 2)), ("2, 2", (2,)),
     ("1-500", (1, 500)), ("4 to 6", (4, 5, 6))],
)  # fmt: skip
def test_parse_numbers(numbers: str, parsed: tuple[int, ...]) -> None:
    assert parse_numbers(numbers) == parsed


def test_has_markers() -> None:
    assert has_markers("x [1]") and has_markers("according to source 3, x")
    assert not has_markers("In 2026 [the year] nothing [a] happened (see above).")


def test_streaming_helpers_hold_back_a_marker_being_written() -> None:
    assert open_marker_start("Talks failed [1") == len("Talks failed ")
    assert open_marker_start("Talks failed 【") == len("Talks failed ")
    assert open_marker_start("Talks failed [1].") is None
    assert [(n) for _, _, n in complete_markers("a [1] b [2, 3] c (Source 4)")] == [
        (1,),
        (2, 3),
        (4,),
    ]


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            "Three soldiers were killed [1]. and the army later withdrew from the pass.",
            [
                ("Three soldiers were killed.", (1,)),
                ("and the army later withdrew from the pass.", ()),
            ],
        ),
        (
            "Three soldiers were killed [1]. the army withdrew [2].",
            [("Three soldiers were killed.", (1,)), ("the army withdrew.", (2,))],
        ),
        (
            "The clash began at 9 a.m. on Tuesday [1].",
            [("The clash began at 9 a.m. on Tuesday.", (1,))],
        ),
        ("Aid, food, etc. were sent [1].", [("Aid, food, etc. were sent.", (1,))]),
        ("Talks failed, e.g. on trade [1].", [("Talks failed, e.g. on trade.", (1,))]),
        ('"We will not sign." [1].', [('"We will not sign."', (1,))]),
        (
            'He said: "We will not sign." Talks ended [2].',
            [('He said: "We will not sign."', ()), ("Talks ended.", (2,))],
        ),
    ],
)
def test_a_lowercase_word_after_a_full_stop_starts_a_sentence_of_its_own(
    reply: str, expected: list[tuple[str, tuple[int, ...]]]
) -> None:
    assert [(c.text, c.cited) for c in split_claims(reply)] == expected
