"""Answering on the sample collection, offline, with the real model and a real Chroma."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.assistant import SHOWN_RETRIEVED, Assistant
from qa.cli import main
from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder
from qa.errors import IndexMismatchError, NewsqaError, QuestionError
from qa.evaluate import summarize
from qa.fixtures import load_cases
from qa.ingest.sources import sample_dir
from qa.library import Library, open_library
from qa.pytest_plugin import case_result
from qa.store import Store
from qa.types import Outcome

FIXTURES = Path(__file__).parent / "qa" / "sample_questions.yaml"
TODAY = date(2026, 4, 20)


@pytest.fixture(scope="module")
def library(sample_settings: Settings) -> Library:
    return open_library(sample_settings, today=TODAY)


@pytest.fixture(scope="module")
def assistant(library: Library) -> Assistant:
    return Assistant(library)


def ask_json(settings: Settings, *args: str, stdin: str | None = None) -> list[dict[str, object]]:
    result = CliRunner().invoke(
        main, ["ask", *args, "--index", str(settings.index_dir)], input=stdin
    )
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_json_output_keeps_its_contract(sample_settings: Settings) -> None:
    (answer,) = ask_json(sample_settings, "How much damage did the flood cause?", "--json")
    assert set(answer) == {
        "question", "answer", "abstained", "mode", "citations", "retrieved", "timings_ms",
        "repairs", "fallback_reason", "related", "standalone_question", "confidence",
        "probability", "filters", "short_answer", "agreement", "conflict",
    }  # fmt: skip
    assert answer["filters"] == {}  # asked under no filter
    assert answer["mode"] == "extractive" and answer["abstained"] is False
    # Not abstained: the cited sentences are the answer, or the closest evidence.
    assert answer["confidence"] in ("answer", "evidence")
    assert isinstance(answer["probability"], float) and 0 <= answer["probability"] <= 1
    assert answer["repairs"] == [] and answer["fallback_reason"] is None
    citations = answer["citations"]
    assert isinstance(citations, list) and citations
    store = Store.open(sample_settings.store_path)
    for n, citation in enumerate(citations, start=1):
        assert set(citation) == {
            "n", "article_id", "title", "source", "author", "published", "url", "path",
            "sentence", "sentence_index", "start", "end", "also_in", "support",
        }  # fmt: skip
        assert citation["support"] == 1.0  # an extractive answer quotes its evidence
        assert citation["n"] == n and f"[{n}]" in str(answer["answer"])
        article = store.article(citation["article_id"])
        assert article is not None
        assert article.text[citation["start"] : citation["end"]] == citation["sentence"]
        assert article.sentences[citation["sentence_index"]].text == citation["sentence"]
        assert citation["path"].startswith(str(sample_dir()))
    retrieved = answer["retrieved"]
    assert isinstance(retrieved, list)
    assert all(set(r) == {"article_id", "sentence", "score"} for r in retrieved)
    assert all(isinstance(v, float) for v in answer["timings_ms"].values())  # type: ignore[union-attr]


def test_answers_cite_the_sentence_that_answers(assistant: Assistant) -> None:
    answer = assistant.ask("How many residents were evacuated in Port Elara?")
    assert not answer.abstained
    assert any("4,200" in c.sentence for c in answer.citations)


def test_off_topic_question_abstains_and_offers_related_reading(assistant: Assistant) -> None:
    answer = assistant.ask("How do I bake sourdough bread?")
    assert answer.abstained and answer.citations == ()
    assert answer.text.startswith("The indexed articles don't say")
    assert 1 <= len(answer.related) <= 3


def test_wire_sentence_cites_one_copy_and_names_the_other(
    assistant: Assistant, library: Library
) -> None:
    store = library.store
    shared = next(
        (s, copies)
        for article_id in store.article_ids()
        for s in store.sentences(article_id)
        if len(s.text) > 60 and (copies := store.sentence_copies(article_id, s.index))
    )
    sentence, copies = shared
    answer = assistant.ask(sentence.text)
    first = answer.citations[0]
    assert first.sentence == sentence.text
    assert set(first.also_in) | {first.article_id} == {sentence.article_id, *copies}
    assert sum(c.sentence == sentence.text for c in answer.citations) == 1


def test_filters_restrict_outlets_and_dates(assistant: Assistant) -> None:
    only = assistant.make_filters(sources=["harbour daily"])
    answer = assistant.ask("What did the mayor say about the flood?", filters=only)
    assert answer.citations and {c.source for c in answer.citations} == {"Harbour Daily"}
    dated = assistant.make_filters(since="2026-03-16", until="March 18, 2026")
    answer = assistant.ask("What happened in Port Elara?", filters=dated)
    assert answer.citations
    assert all("2026-03-16" <= (c.published or "")[:10] <= "2026-03-18" for c in answer.citations)


def test_time_words_in_the_question_narrow_the_dates(assistant: Assistant) -> None:
    answer = assistant.ask("What happened at the Tarnov Pass on March 4?")
    shown = answer.citations or answer.related  # an answer, or the closest passages
    assert shown
    assert all((c.published or "")[:10] in ("2026-03-04", "2026-03-05") for c in shown)
    # The dates the question named are the filters it was answered under, and say so.
    assert answer.filters == {"since": "2026-03-04", "until": "2026-03-05"}


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        ("?!", "no words"),
        ("x" * 100_000, "characters long"),
        ("Who won \udcff\udcfe?", "not valid UTF-8"),
    ],
)
def test_unaskable_questions_are_clear_errors(
    assistant: Assistant, question: str, message: str
) -> None:
    with pytest.raises(QuestionError, match=message):
        assistant.ask(question)


def test_bad_filters_are_clear_errors(assistant: Assistant) -> None:
    with pytest.raises(QuestionError, match="not a date"):
        assistant.make_filters(since="next blue moon")
    with pytest.raises(QuestionError, match="no outlet called 'The Daily Planet'"):
        assistant.make_filters(sources=["The Daily Planet"])


@pytest.mark.parametrize(
    "question",
    ["¿Cuántos soldados murieron en la frontera?", "Сколько солдат погибло на границе?",
     "国境で何人の兵士が死亡しましたか？"],
)  # fmt: skip
def test_question_in_another_language_says_to_ask_in_english(
    assistant: Assistant, question: str
) -> None:
    answer = assistant.ask(question)
    assert answer.abstained and "ask in English" in answer.text
    # It abstains, so its outcome says so too (it used to say "answer" beside abstained: true).
    assert answer.outcome is Outcome.NONE and answer.to_dict()["confidence"] == "none"


@pytest.mark.parametrize("question", ["Halcyon-2 launch date?", "Who is Ewa Randall?"])
def test_short_english_questions_are_not_mistaken_for_another_language(
    assistant: Assistant, question: str
) -> None:
    assert "ask in English" not in assistant.ask(question).text


def test_same_question_same_answer(assistant: Assistant) -> None:
    first = assistant.ask("Why did the Aerolis talks collapse?").to_dict()
    second = assistant.ask("Why did the Aerolis talks collapse?").to_dict()
    first.pop("timings_ms"), second.pop("timings_ms")
    assert first == second


def test_follow_up_uses_the_previous_question(assistant: Assistant) -> None:
    answer = assistant.ask(
        "And what did the union say?", history=["How many jobs will Aerolis cut?"]
    )
    assert answer.standalone_question and "Aerolis" in answer.standalone_question
    assert any("union" in c.sentence.lower() for c in answer.citations)


def test_a_follow_up_about_the_person_answered_asks_about_them_by_name(
    assistant: Assistant,
) -> None:
    first = assistant.ask("Who is the mission director for Halcyon-2?")
    assert first.outcome is Outcome.ANSWER and first.short_answer == "Anika Rautio"
    # "she" is the person answered; what she said may be in a sentence the first answer cited.
    answer = assistant.ask(
        "What did she say after the antenna problem was sorted out?", history=[first]
    )
    assert answer.standalone_question == (
        "What did Anika Rautio say after the antenna problem was sorted out?"
    )
    assert "30 hours" in answer.citations[0].sentence
    # Not after a question given as text (no answer to take a name from): the previous question
    # is searched with it (`tests/test_person_meant.py` has the other cases).
    unsure = assistant.ask("What did she say?", history=["Who is the mission director?"])
    assert "Rautio" not in (unsure.standalone_question or "")


def test_stdin_batch_writes_one_json_object_per_line(sample_settings: Settings) -> None:
    lines = ask_json(
        sample_settings, stdin="Who is the mayor of Port Elara?\n\n\nWhat is Halcyon-2?\n"
    )
    assert [line["question"] for line in lines] == [
        "Who is the mayor of Port Elara?", "What is Halcyon-2?",
    ]  # fmt: skip
    assert all("citations" in line for line in lines)


@pytest.mark.parametrize("args", [["--json"], []], ids=["json", "stdin"])
def test_k_is_how_many_retrieved_sentences_the_json_lists(
    sample_settings: Settings, args: list[str]
) -> None:
    question = "How many residents were evacuated?"
    given = ([question] if args else []) + args
    stdin = None if args else question + "\n"
    (default,) = ask_json(sample_settings, *given, stdin=stdin)
    assert len(default["retrieved"]) == SHOWN_RETRIEVED  # type: ignore[arg-type]
    # Beyond the default too: it used to cut the 10 sentences the answer kept, never add any.
    for k in (3, 25):
        (answer,) = ask_json(sample_settings, *given, "--k", str(k), stdin=stdin)
        assert len(answer["retrieved"]) == k  # type: ignore[arg-type]
        assert answer["retrieved"][:3] == default["retrieved"][:3]  # type: ignore[index]


def test_cli_errors_are_one_line(sample_settings: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    for args in (["ask", ""], ["ask", "Who?", "--since", "soon"], ["ask", "Who?"]):
        index = sample_settings.index_dir if args[-1] != "Who?" else tmp_path / "none"
        result = runner.invoke(main, [*args, "--index", str(index)])
        assert result.exit_code == 1
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_index_of_another_embedding_model_is_refused(
    sample_settings: Settings, embedder: SentenceTransformerEmbedder
) -> None:
    other = Settings(index_dir=sample_settings.index_dir, embed_model=str(embedder.path))
    with pytest.raises(IndexMismatchError):
        Assistant.from_settings(other)


def test_empty_index_says_how_to_fill_it(tmp_path: Path) -> None:
    Store.open(tmp_path / "index" / "newsqa.sqlite3")
    with pytest.raises(NewsqaError, match="newsqa ingest"):
        Assistant.from_settings(Settings(index_dir=tmp_path / "index"))


def test_fixture_suite_holds_its_measured_level(
    library: Library, request: pytest.FixtureRequest
) -> None:
    """The sample fixtures as a regression floor (figures in CHANGELOG); boilerplate is never
    cited. The cases' answers are the ones their own items got (the plugin runs each once, over
    the same sample index and day)."""
    results = [case_result(request.config, case) for case in load_cases(FIXTURES)]
    removed = {
        r.text
        for a in library.store.article_ids()
        for r in library.store.article(a).removed  # type: ignore[union-attr]
    }
    assert not [c for r in results for c in r.answer.citations if c.sentence in removed]
    metrics = summarize(results)
    print(metrics)
    # Measured 0.505 / 0.663 / 0.412; false abstention 0.087, over the 5% the confidence model
    # is calibrated for on 2,293 real articles: a 26-article collection shares its words across
    # most candidates (CHANGELOG, "Known gaps").
    assert metrics["hit@1"] >= 0.44
    assert metrics["hit@3"] >= 0.57
    assert metrics["abstention_accuracy"] >= 0.15
    assert metrics["false_abstention"] <= 0.11


def test_the_evacuation_figure_is_stated_first_and_its_reports_agree(assistant: Assistant) -> None:
    # Three reports from two outlets bind 4,200 to the residents evacuated (the third, the
    # mayor's "4,200 evacuated residents would not be allowed back", found beyond the cited
    # sentences): a confident answer stating the figure before the sentences.
    answer = assistant.ask("How many residents were evacuated in Port Elara?")
    assert answer.outcome is Outcome.ANSWER
    assert answer.short_answer == "4,200 residents" and not answer.conflict
    assert answer.agreement[0].citations == tuple(c.n for c in answer.citations)
    assert (answer.short_answer_line() or "").startswith("4,200 residents (2 outlets agree)")
    assert len(answer.citations) == 3 and all("4,200" in c.sentence for c in answer.citations)
    assert answer.probability >= 0.8  # was 0.40 with the same top sentence alone


def test_sources_that_give_different_death_tolls_are_all_shown(assistant: Assistant) -> None:
    # The hospital says five, the defence ministry three, the UN commission four: never hidden.
    answer = assistant.ask("How many Valdorian soldiers were killed?")
    assert answer.outcome is Outcome.ANSWER and answer.conflict
    values = {a.value.split()[0].lower() for a in answer.agreement}
    assert {"five", "three", "four"} <= values
    line = answer.short_answer_line() or ""
    assert line.startswith("Sources differ: ") and "[1]" in line and "[3]" in line
    assert "sources differ" in answer.confidence_label()


@pytest.mark.parametrize(
    "question", ["Who is the mayor of Port Elara?", "Who is Port Elara's mayor?"]
)
def test_a_role_question_is_answered_by_the_person_named_in_that_role(
    assistant: Assistant, question: str
) -> None:
    # "PORT ELARA — Mayor Dana Whitcombe said ..." and other reports naming her as mayor.
    answer = assistant.ask(question)
    assert answer.outcome is Outcome.ANSWER and answer.short_answer == "Dana Whitcombe"
    assert all("Whitcombe" in c.sentence for c in answer.citations)


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Who is Dana Whitcombe?", "Mayor"),
        ("Who is Miro Tessaly?", "director of the regional hospital in the Valdorian border town"),
        ("Who was Harold Fenn?", "former labour court judge"),
    ],
)
def test_who_is_a_person_is_answered_by_the_role_the_articles_give_them(
    assistant: Assistant, question: str, role: str
) -> None:
    answer = assistant.ask(question)
    assert answer.outcome is Outcome.ANSWER
    assert answer.short_answer and answer.short_answer.startswith(role)
    surname = question.split()[-1].rstrip("?")
    assert all(surname in c.sentence for c in answer.citations)


def test_who_is_a_person_no_article_names_abstains(assistant: Assistant) -> None:
    answer = assistant.ask("Who is Marta Vellingsworth?")
    assert answer.outcome is Outcome.NONE and answer.short_answer is None


def test_two_sums_of_the_damage_asked_are_given_as_sources_that_differ(
    assistant: Assistant,
) -> None:
    # The city says $120 million in damage, the insurers $85 million: both, each cited.
    answer = assistant.ask("How much damage did Storm Ione cause?")
    assert answer.outcome is Outcome.ANSWER and answer.conflict
    assert {a.value for a in answer.agreement} >= {"$120 million", "$85 million"}


def test_a_question_naming_nothing_the_articles_hold_abstains(assistant: Assistant) -> None:
    # No article names a judge presiding over anything: "the articles don't say".
    answer = assistant.ask("Which judge is presiding?")
    assert answer.outcome is Outcome.NONE and answer.short_answer is None


def test_a_why_answer_cites_the_cause_not_the_event_again(assistant: Assistant) -> None:
    # The talks "broke down on Monday after six hours" (the event, which shares the question's
    # words); the next sentence says why: Aerolis had refused to reduce the job cuts.
    # Given as the answer or, below the answer cut-off (answers are kept right 80% of the
    # time), as the closest passage: either way the cause comes first.
    answer = assistant.ask("Why did the Aerolis talks collapse?")
    assert answer.outcome is not Outcome.NONE
    assert "had refused to reduce the 1,200 job cuts" in answer.citations[0].sentence


def test_a_misspelt_question_is_searched_with_the_collections_words(
    assistant: Assistant, sample_settings: Settings
) -> None:
    typed = assistant.ask("How many resdents were evacuted?")
    right = assistant.ask("How many residents were evacuated?")
    assert typed.question == "How many resdents were evacuted?" and not typed.abstained
    assert typed.standalone_question == "How many residents were evacuated?"
    assert typed.citations == right.citations and typed.outcome is right.outcome
    first = typed.citations[0]
    assert "4,200 residents" in first.sentence and "Port Elara" in (first.title or "")
    # Asked with the place, as the fixtures ask it: the answer states the figure first.
    placed = assistant.ask("How many resdents were evacuted in Port Elara?")
    assert placed.outcome is Outcome.ANSWER and placed.short_answer == "4,200 residents"
    # The CLI says what it searched for, and --json carries it.
    result = CliRunner().invoke(
        main, ["ask", "How many resdents were evacuted?", "--index", str(sample_settings.index_dir)]
    )
    assert "searched for: How many residents were evacuated?" in result.stdout
    (answer,) = ask_json(sample_settings, "How many resdents were evacuted?", "--json")
    assert answer["standalone_question"] == "How many residents were evacuated?"
