"""How sure an answer is, and how it is worded: outcomes, disagreements, latest, follow-ups."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from qa.assistant import Assistant
from qa.config import Settings
from qa.errors import ConfigError
from qa.extractive import compose, differ
from qa.features import FEATURES
from qa.ranker import load_model
from qa.types import Answer, Citation, Outcome

TODAY = date(2026, 4, 20)


@pytest.fixture(scope="module")
def assistant(sample_settings: Settings) -> Assistant:
    return Assistant.from_settings(sample_settings, today=TODAY)


def _citation(n: int, sentence: str, article: str, source: str, published: str | None) -> Citation:
    return Citation(n=n, article_id=article, title="t", source=source, author=None,
                    published=published, url=None, path=None, sentence=sentence,
                    sentence_index=0, start=0, end=len(sentence))  # fmt: skip


def test_the_committed_model_matches_this_versions_features() -> None:
    model = load_model()
    assert model.ranker.names == FEATURES
    assert 0 < model.confidence.evidence_at <= model.confidence.answer_at < 1


def test_a_model_learned_for_other_features_is_refused(tmp_path: Path) -> None:
    data = load_model().to_dict()
    data["ranker"]["names"] = data["ranker"]["names"][:-1]
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError, match="learn_ranker"):
        load_model(path)


def test_a_question_the_articles_do_not_answer_is_not_worded_as_an_answer(
    assistant: Assistant,
) -> None:
    # No Russian statement is quoted anywhere in the samples.
    answer = assistant.ask("What did Russia say about the clashes at the Tarnov Pass?")
    assert answer.outcome in (Outcome.EVIDENCE, Outcome.NONE)
    if answer.outcome == Outcome.NONE:
        assert answer.abstained and not answer.citations and answer.related
    else:
        assert not answer.abstained and answer.text.startswith("Not sure")


def test_each_outcome_is_worded_for_what_it_is(assistant: Assistant) -> None:
    seen = {}
    for question in (
        "Why were the schools in Port Elara shut?",
        "What did Russia say about the clashes at the Tarnov Pass?",
        "Who is Teresa Kwan?",
        "What is the boiling point of water in Kelvin?",
    ):
        answer = assistant.ask(question)
        seen[answer.outcome] = answer
        assert answer.abstained == (answer.outcome == Outcome.NONE)
        assert answer.probability is not None and 0 <= answer.probability <= 1
    assert set(seen) >= {Outcome.ANSWER, Outcome.NONE}
    assert seen[Outcome.NONE].text.startswith("The indexed articles don't say")
    assert seen[Outcome.NONE].confidence_label() == "The articles don't say"
    assert seen[Outcome.ANSWER].confidence_label().startswith("Answer (confidence")
    if Outcome.EVIDENCE in seen:
        assert seen[Outcome.EVIDENCE].confidence_label().startswith("Not sure")


def test_the_outcome_survives_a_round_trip_through_json(assistant: Assistant) -> None:
    answer = assistant.ask("Who is Teresa Kwan?")
    again = Answer.from_dict(json.loads(json.dumps(answer.to_dict())))
    assert (again.outcome, again.probability) == (
        answer.outcome,
        round(answer.probability or 0, 3),
    )


def test_an_abstention_under_filters_reads_as_one_sentence(assistant: Assistant) -> None:
    filters = assistant.make_filters(since="2026-04-01")
    answer = assistant.ask("What is the boiling point of water in Kelvin?", filters=filters)
    assert answer.text.startswith("The selected articles don't say: ")


def test_accounts_that_differ_are_set_side_by_side_dated_and_attributed() -> None:
    cited = (
        _citation(
            1, "Three soldiers were killed in the clash.", "a", "Harbour Daily", "2026-03-04"
        ),  # noqa: E501
        _citation(2, "Four soldiers were killed in the clash.", "b", "UN commission", "2026-03-12"),
    )
    assert differ(cited)
    text = compose(Outcome.ANSWER, cited)
    assert text.startswith("Accounts differ.")
    assert "Harbour Daily, 2026-03-04: Three soldiers" in text
    assert "UN commission, 2026-03-12: Four soldiers" in text


def test_the_same_figure_twice_is_not_a_disagreement() -> None:
    cited = (
        _citation(1, "Three soldiers were killed.", "a", "Harbour Daily", "2026-03-04"),
        _citation(2, "Three soldiers were killed, officials said.", "b", "Post", "2026-03-05"),
    )
    assert not differ(cited)
    assert not compose(Outcome.ANSWER, cited).startswith("Accounts differ")


def test_a_latest_answer_says_which_date_it_is_from() -> None:
    cited = (
        _citation(1, "The toll now stands at four.", "b", "UN commission", "2026-03-12"),
        _citation(2, "An earlier report said three.", "a", "Harbour Daily", None),
    )
    text = compose(Outcome.ANSWER, cited, latest=True)
    assert text.startswith("Latest report (UN commission, 2026-03-12): The toll now")
    assert "Earlier (Harbour Daily, undated): An earlier report" in text


def test_closest_evidence_is_never_worded_as_the_answer() -> None:
    cited = (_citation(1, "It rained.", "a", "Post", "2026-03-04"),)
    assert compose(Outcome.EVIDENCE, cited).startswith("Not sure the articles answer this")


def test_latest_question_leads_with_the_newest_report(assistant: Assistant) -> None:
    answer = assistant.ask("What is the latest confirmed death toll from the Tarnov Pass clash?")
    if answer.outcome == Outcome.ANSWER:
        days = [c.published or "" for c in answer.citations]
        assert days[0] == max(days)
        assert answer.text.startswith("Latest report (")


def test_a_follow_up_answers_something_new(assistant: Assistant) -> None:
    first = assistant.ask("Who does Valdoria's defence ministry blame for the clash?")
    follow = assistant.ask("And what did the other side say?", history=[first])
    assert follow.standalone_question is not None
    before = {c.sentence for c in first.citations}
    assert before and not before & {c.sentence for c in follow.citations}


def test_the_other_side_moves_the_side_already_quoted_down(assistant: Assistant) -> None:
    first = assistant.ask("What did Kestrania's foreign minister say caused the clash?")
    quoted = replace(first, citations=first.citations[:1])
    follow = assistant.ask("What did the other side say?", history=[quoted])
    shown = follow.citations or follow.related
    assert shown and "Veszely" not in shown[0].sentence


def test_closest_evidence_for_latest_is_dated_newest_first() -> None:
    cited = (
        _citation(1, "The toll now stands at four.", "b", "UN commission", "2026-03-12"),
        _citation(2, "Three were reported dead.", "a", "Harbour Daily", "2026-03-04"),
    )
    text = compose(Outcome.EVIDENCE, cited, latest=True)
    assert text.startswith("Not sure the articles answer this; the closest passages, newest first:")
    assert text.index("UN commission, 2026-03-12") < text.index("Harbour Daily, 2026-03-04")


def test_closest_evidence_that_disagrees_says_so_with_sources() -> None:
    cited = (
        _citation(1, "The clash killed at least three soldiers.", "a", "Observer", "2026-03-13"),
        _citation(2, "Four soldiers were killed in the fighting.", "b", "Herald", "2026-03-20"),
    )
    assert differ(cited)  # the act first ("killed three soldiers") reads as the same measure
    text = compose(Outcome.EVIDENCE, cited)
    assert "(accounts differ): Observer, 2026-03-13: The clash" in text


def test_a_latest_question_offers_the_newest_evidence_first(assistant: Assistant) -> None:
    answer = assistant.ask("How many soldiers were killed according to the latest figures?")
    days = [(c.published or "")[:10] for c in answer.citations]
    assert days and days == sorted(days, reverse=True)
