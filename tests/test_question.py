"""Question analysis and the features a candidate sentence is ranked on (pure functions)."""

from __future__ import annotations

import numpy as np
import pytest

from qa.features import FEATURES, Candidate, feature_matrix, has_answer_type
from qa.question import analyse, stem


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("How many soldiers were killed?", "number"),
        ("What is the latest death toll in the clash?", "number"),
        ("By how much did profits rise?", "number"),
        ("How much did the Halcyon-2 insurance policy cost?", "money"),
        ("How much money did the airline lose?", "money"),
        ("When is the regulator due to rule?", "date"),
        ("In which year did the company float?", "date"),
        ("Why were the schools shut?", "reason"),
        ("What caused the delay?", "reason"),
        ("Where will the talks be held?", "place"),
        ("Which company bought the carrier?", "organisation"),
        ("What did Russia say about the clashes?", "quote"),
        ("Who is Teresa Kwan?", "person"),
        ("Who does Valdoria's defence ministry blame for the clash?", "person"),
        ("What conditions did the regulator impose?", None),
        # The head noun after "which"/"what" names the kind, past names and adjectives.
        ("Which UBS Securities chief economist in Tokyo commented on growth?", "person"),
        ("Which accountancy firm said the forecasts were too optimistic?", "organisation"),
        ("Which record company failed in its attempt to sue?", "organisation"),
        ("Which seat had the candidate been selected to fight?", "place"),
        ("From which year will Iran start supplying gas?", "date"),
        ("What was Wipro's net income in the last quarter?", "money"),
        ("At what speed will the Cell processor run?", "number"),
        ("Whose resignation forced the reshuffle?", "person"),
        ("Which honour was the games maker given?", None),
        ("What happened to the shares?", None),
    ],
)
def test_answer_type_read_from_the_question_form(question: str, wanted: str | None) -> None:
    assert analyse(question).answer_type == wanted


def test_role_question_names_the_agent_and_the_act() -> None:
    q = analyse("Who does Valdoria's defence ministry blame for the clash?")
    assert q.agent == "Valdoria's defence ministry"
    assert q.verb == stem("blame")
    assert "Valdoria" in q.names


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Which judge is presiding?", "judge"),
        ("Who is the chief executive of Corvane?", "executive"),
        ("Who is Port Elara's mayor?", "mayor"),
        ("Who is Tessel's Davis Cup captain?", "captain"),
        ("Who is Corvane's vice president of product management?", "president"),
        # No role asked: a person for what they did, or by their name.
        ("Who is presenting the awards ceremony?", None),
        ("Who was Dana Whitcombe?", None),
        ("Who is the richest person on the list?", None),
        # A role that only says whose the person is: "the president's adviser" is no president.
        ("Who is the president's adviser?", None),
        ("Who is replacing Port Elara's mayor?", None),
    ],
)
def test_a_who_question_names_the_role_it_asks_for(question: str, role: str | None) -> None:
    assert analyse(question).role == (stem(role) if role else None)


def test_saying_question_names_the_speaker() -> None:
    q = analyse("What did Russia say about the clashes?")
    assert (q.agent, q.verb, q.answer_type) == ("Russia", "say", "quote")


def test_counted_noun_latest_and_other_side() -> None:
    assert analyse("How many soldiers were killed?").counted == "soldier"
    # The head of the counted phrase, not its first word.
    assert analyse("How many civil service jobs will go?").counted == "job"
    assert analyse("How many more London UKIP members might defect?").counted == "member"
    assert analyse("How many of the 40 staff lost their jobs?").counted == "staff"
    assert analyse("How many died in the fire?").counted == "died"
    assert analyse("What is the latest figure?").latest
    assert not analyse("What is the figure?").latest
    assert analyse("And what did the other side say?").other_side


def test_names_split_at_possessives_and_skip_question_words() -> None:
    assert analyse("How much did Ryanair's Boeing deal cost?").names == ("Ryanair", "Boeing")
    assert analyse("When did Standard Life float in March?").names == ("Standard Life",)


def test_stem_folds_inflections_together() -> None:
    assert stem("killed") == stem("killing") == stem("kills")
    assert stem("soldiers") == stem("soldier")
    assert stem("companies") == stem("company")


@pytest.mark.parametrize(
    ("text", "wanted", "expected"),
    [
        ("Three soldiers were killed.", "number", 1.0),
        ("Soldiers were killed.", "number", 0.0),
        ("The deal is worth $4bn.", "money", 1.0),
        ("The deal is worth a lot.", "money", 0.0),
        ("Talks begin on 2 April.", "date", 1.0),
        ("Talks begin soon.", "date", 0.0),
        ("Schools shut because of the flood.", "reason", 1.0),
        ("Minister Anton Veszely said so.", "person", 1.0),
        ("it rained.", "person", 0.0),
    ],
)
def test_answer_type_found_in_a_sentence(text: str, wanted: str, expected: float) -> None:
    assert has_answer_type(text, wanted) == expected


def _candidate(text: str, index: int = 3, **kw: object) -> Candidate:
    base = dict(article_id="a", sentence_index=index, text=text, dense=0.5, lexical=0.5,
                neighbour=0.4, article=0.6, dense_rank=1, lexical_rank=2)  # fmt: skip
    base.update(kw)
    return Candidate(**base)  # type: ignore[arg-type]


def _feature(matrix: np.ndarray, row: int, name: str) -> float:
    return float(matrix[row, FEATURES.index(name)])


def test_features_tell_the_answering_sentence_from_a_topical_one() -> None:
    q = analyse("How many soldiers did the ministry say were killed?")
    pool = [
        _candidate("Three soldiers were killed, the ministry said."),
        _candidate("The ministry condemned the attack on the border."),
    ]
    m = feature_matrix(q, pool)
    assert m.shape == (2, len(FEATURES))
    assert _feature(m, 0, "counted") == 1.0 and _feature(m, 1, "counted") == 0.0
    assert _feature(m, 0, "answer_type") == 1.0 and _feature(m, 1, "answer_type") == 0.0
    assert _feature(m, 0, "focus") > _feature(m, 1, "focus")


def test_role_features_tell_who_blames_from_who_is_blamed() -> None:
    q = analyse("Who does Valdoria's defence ministry blame for the clash?")
    pool = [
        _candidate("Valdoria's defence ministry accused Kestrania of firing first."),
        _candidate("Kestrania's minister blamed Valdoria for the clash."),
    ]
    m = feature_matrix(q, pool)
    assert _feature(m, 0, "role") > _feature(m, 1, "role")
    assert _feature(m, 1, "role_inverted") > _feature(m, 0, "role_inverted")


def test_recency_marks_the_newest_article_only_when_asked() -> None:
    pool = [_candidate("Four were killed.", day=20260309), _candidate("Three.", day=20260304)]
    latest = feature_matrix(analyse("What is the latest toll?"), pool)
    plain = feature_matrix(analyse("What is the toll?"), pool)
    assert [_feature(latest, i, "recent") for i in (0, 1)] == [1.0, 0.0]
    assert [_feature(plain, i, "recent") for i in (0, 1)] == [0.0, 0.0]


def test_names_found_in_the_headline_count_as_context() -> None:
    q = analyse("What did Ryanair order?")
    pool = [_candidate("It ordered 70 planes.", title="Ryanair in $4bn Boeing deal")]
    m = feature_matrix(q, pool)
    assert _feature(m, 0, "names") == 0.0 and _feature(m, 0, "names_context") == 1.0


def test_empty_pool_gives_an_empty_matrix() -> None:
    assert feature_matrix(analyse("Who?"), []).shape == (0, len(FEATURES))
