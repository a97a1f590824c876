"""Fixture files, their check, the evaluation runner and metrics, reports, recording, plugin."""

from __future__ import annotations

import json
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import main
from qa.config import Settings
from qa.evaluate import CaseResult, judge_sentences, missed_bounds, run_case, summarize
from qa.fixtures import Case, FixtureError, SentenceRef, check_file, load_cases, record_case
from qa.library import Library, open_library
from qa.types import Answer, Citation, Outcome

FLOOD_TITLE = "Storm Ione floods Port Elara's Lower Quay as 4,200 residents are evacuated"
EVACUATED = "4,200 residents had been evacuated"

GOOD = f"""\
version: 1
cases:
  - id: evacuated
    question: How many residents were evacuated in Port Elara?
    tags: [factoid, number]
    expect:
      answer_contains: [["4,200", "4200"]]
      must_cite:
        - title: "{FLOOD_TITLE}"
          sentence: "{EVACUATED}"
  - id: scripted-model
    question: How many residents were evacuated in Port Elara?
    llm_reply: "Officials said 4,200 residents were evacuated [{{cite:{EVACUATED}}}]."
    expect:
      answer_contains: ["4200"]
      must_cite:
        - path: "txt/flood-storm-ione-harbour-daily-2026-03-16.txt"
          sentence: "{EVACUATED}"
  - id: mars
    question: What is the capital of Mars?
    tags: [unanswerable]
    expect:
      abstain: true
"""


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# -- the format and its check ------------------------------------------------------------------


def test_a_valid_file_loads_with_case_lines(tmp_path: Path) -> None:
    cases = load_cases(write(tmp_path / "f.yaml", GOOD))
    assert [c.id for c in cases] == ["evacuated", "scripted-model", "mars"]
    assert cases[0].source.endswith("f.yaml:3") and cases[0].answer_contains == (("4,200", "4200"),)
    assert cases[1].must_cite[0].path and cases[2].abstain


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    broken = write(
        tmp_path / "broken.yaml",
        """\
        cases:
          - id: no-question
            tags: [x]
          - id: typo
            question: Q?
            expect:
              must_cyte: []
          - id: bad-ref
            question: Q?
            expect:
              must_cite:
                - sentence: "only text"
          - id: typo
            question: Again?
            filters: {since: 5}
        """,
    )
    problems = [(p.line, p.message) for p in check_file(broken)]
    assert (2, "cases/0: give either 'question' or 'turns'") in problems
    assert any(line == 7 and "must_cyte" in message for line, message in problems)
    assert any(line == 12 and "article_id, url, path or title" in m for line, m in problems)
    assert any(line == 13 and "duplicate id 'typo' (first on line 4)" in m for line, m in problems)
    assert any(line == 15 and "5 is not of type 'string'" in m for line, m in problems)


@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        ("y.yaml", "cases:\n  - id: a\n    question: [unclosed\n", 4, "not valid YAML"),
        ("y.yaml", "- just\n- a list\n", 1, "a mapping with a 'cases' list"),
        ("j.jsonl", '{"id": "a", "question": "Q?"}\n{"id": "b", question\n', 2, "not valid JSON"),
        ("j.jsonl", '{"id": "a"}\n', 1, "give either 'question' or 'turns'"),
    ],
)
def test_broken_files(tmp_path: Path, name: str, text: str, line: int, message: str) -> None:
    (problem,) = check_file(write(tmp_path / name, text))
    assert problem.line == line and message in problem.message
    with pytest.raises(FixtureError, match=message.split("'")[0]):
        load_cases(tmp_path / name)


def test_check_command_exit_codes(tmp_path: Path) -> None:
    good = write(tmp_path / "good.yaml", GOOD)
    bad = write(tmp_path / "bad.yaml", "cases:\n  - id: x\n")
    ok = CliRunner().invoke(main, ["eval", "--check", str(good)])
    assert ok.exit_code == 0 and "1 file(s) valid" in ok.output
    failed = CliRunner().invoke(main, ["eval", "--check", str(good), str(bad)])
    assert failed.exit_code == 3 and f"{bad}:2: cases/0: give either" in failed.stderr
    missing = CliRunner().invoke(main, ["eval", "--check", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 3 and "no such file" in missing.stderr


# -- metrics, hand-computed ------------------------------------------------------------------


def by_words(sentence: str, texts: list[str]) -> bool:
    """A judge for hand-computed cases: supported when every word is in the cited texts."""
    words = set(" ".join(texts).lower().replace(".", "").split())
    return set(sentence.lower().replace(".", "").split()) <= words


CITED = {1: "talks failed", 2: "army moved", 3: "talks failed army moved"}


@pytest.mark.parametrize(
    ("answer", "supported", "relevant"),
    [
        ("Talks failed. [1]", [True], [(True,)]),
        ("Talks failed.", [False], [()]),  # no citation: not supported
        ("Talks failed. [5]", [False], [(False,)]),  # out of range
        ("Talks failed. [1][3]", [True], [(True, True)]),  # redundant, each supports alone
        ("Talks failed. [1][2]", [True], [(True, False)]),  # [2] adds nothing
        ("Talks failed army moved. [1][2]", [True], [(True, True)]),  # both needed
        ("Talks failed army moved. [1]", [False], [(False,)]),  # partial support
        ("Talks failed. [1] Army moved. [1]", [True, False], [(True,), (False,)]),
    ],
)
def test_alce_citation_recall_and_precision(
    answer: str, supported: list[bool], relevant: list[tuple[bool, ...]]
) -> None:
    judged = judge_sentences(answer, CITED, by_words)
    assert [j.supported for j in judged] == supported
    assert [j.relevant for j in judged] == relevant


def citation(n: int, article_id: str = "a", index: int = 0) -> Citation:
    return Citation(n, article_id, "T", "O", None, None, None, None, f"s{n}", index, 0, 2)


def result(
    ranks: tuple[int, ...], *, abstain: bool = False, abstained: bool = False,
    text: str = "x", latency: float = 10.0, contains: tuple[str, ...] = (),
) -> CaseResult:  # fmt: skip
    from qa.evaluate import SentenceJudgement

    case = Case("c", ("Q?",), abstain=abstain, answer_contains=contains,
                must_cite=() if abstain else (SentenceRef(title="T"),))  # fmt: skip
    cited = (citation(1), citation(2))
    outcome = Outcome.NONE if abstained else Outcome.ANSWER
    answer = Answer("Q?", text, cited, outcome, timings_ms={"total": latency})
    judged = (SentenceJudgement("x", (1, 2), True, (True, False)),) if not abstained else ()
    return CaseResult(case, answer, ranks, 1, judged, 0, ())


def test_aggregates_by_hand() -> None:
    results = [
        result((0,), contains=("x",), latency=10),  # hit@1
        result((1,), latency=20),  # hit@3, rr 1/2
        result((), latency=30),  # miss
        result((), abstained=True, latency=40),  # false abstention
        result((), abstain=True, abstained=True, latency=50),  # right abstention
        result((), abstain=True, latency=60),  # should have abstained
    ]
    summary = summarize(results)
    assert summary["hit@1"] == 0.25 and summary["hit@3"] == 0.5
    assert summary["mrr"] == pytest.approx((1 + 0.5) / 4)
    assert summary["citation_recall"] == 1.0 and summary["citation_precision"] == 0.5
    assert summary["answer_match"] == 1.0
    assert summary["abstention_accuracy"] == 0.5 and summary["false_abstention"] == 0.25
    assert summary["latency_p50_ms"] == pytest.approx(35.0)
    assert missed_bounds(summary, {"hit@1": 0.3, "false_abstention": 0.1}) == [
        "hit@1 = 0.250 is under 0.3", "false_abstention = 0.250 is above 0.1",
    ]  # fmt: skip


# -- runner, reports, recording, against the sample index --------------------------------------


@pytest.fixture(scope="module")
def sample_library(sample_settings: Settings) -> Library:
    return open_library(sample_settings)


def test_runner_scores_answers_and_scripted_model_replies(
    tmp_path: Path, sample_library: Library
) -> None:
    cases = load_cases(write(tmp_path / "f.yaml", GOOD))
    results = [run_case(sample_library, case) for case in cases]
    assert [r.failures for r in results[:2]] == [(), ()], [r.failures for r in results]
    assert results[0].gold_ranks == (0,) and results[1].answer.mode == "llm"
    assert results[1].answer.text == "Officials said 4,200 residents were evacuated. [1]"
    assert results[2].passed is (results[2].answer.abstained is True)


@pytest.mark.parametrize("threshold", [0.5, 0.999])
def test_scripted_replies_are_checked_with_the_configured_threshold_without_a_model(
    tmp_path: Path, sample_settings: Settings, threshold: float
) -> None:
    # No model is configured, yet NEWSQA_SUPPORT_THRESHOLD must reach a fixture's scripted
    # reply: the deployment's check is what the fixture tests.
    settings = sample_settings.model_copy(update={"support_threshold": threshold})
    scripted = load_cases(write(tmp_path / "f.yaml", GOOD))[1]
    result = run_case(open_library(settings), scripted)
    # Its sentence is backed well, but not at 0.999: there it is not shown as checked.
    shown = result.answer.text == "Officials said 4,200 residents were evacuated. [1]"
    assert shown is (threshold < 0.9), (threshold, result.answer.text)


def test_eval_command_reports_and_exit_codes(tmp_path: Path, sample_settings: Settings) -> None:
    fixtures = write(tmp_path / "f.yaml", GOOD)
    index = ["--index", str(sample_settings.index_dir)]
    reports = [tmp_path / "r.json", tmp_path / "r.md", tmp_path / "r.html"]
    args = ["eval", str(fixtures), *index, *sum((["--report", str(r)] for r in reports), [])]
    run = CliRunner().invoke(main, [*args, "--fail-under", "hit@1=0.5"])
    data = json.loads(reports[0].read_text())
    assert data["summary"]["hit@1"] == 1.0 and data["summary"]["cases"] == 3
    assert {c["id"] for c in data["cases"]} == {"evacuated", "scripted-model", "mars"}
    assert data["by_tag"]["number"]["cases"] == 1
    assert "| hit@1 | 1.000 |" in reports[1].read_text()
    page = reports[2].read_text()
    assert '<table id="summary">' in page and '<svg id="tag-chart"' in page
    assert '<svg id="latency-chart"' in page and EVACUATED in page and "<script" not in page
    mars_failed = not data["cases"][2]["passed"]
    assert run.exit_code == (1 if mars_failed else 0), run.output
    strict = CliRunner().invoke(main, [*args, "--fail-under", "hit@1=1.01"])
    assert strict.exit_code == 1 and "hit@1 = 1.000 is under 1.01" in strict.stderr
    wrong = CliRunner().invoke(main, [*args, "--fail-under", "speed=3"])
    assert wrong.exit_code == 2 and "one of" in wrong.output


@pytest.mark.slow
def test_baseline_row_is_printed_beside_ours(tmp_path: Path, sample_settings: Settings) -> None:
    fixtures = write(tmp_path / "f.yaml", GOOD)
    run = CliRunner().invoke(
        main, ["eval", str(fixtures), "--index", str(sample_settings.index_dir), "--baseline"]
    )
    header = next(line for line in run.output.splitlines() if "llamaindex" in line)
    assert header.split() == ["metric", "newsqa", "llamaindex"]
    chars = [line for line in run.output.splitlines() if line.startswith("cited_chars")][-1]
    ours, theirs = map(float, chars.split()[1:])
    assert theirs > 3 * ours  # whole chunks against sentences


def test_record_turns_a_confirmed_answer_into_a_passing_case(
    tmp_path: Path, sample_settings: Settings
) -> None:
    out = tmp_path / "recorded.yaml"
    question = "How many residents were evacuated in Port Elara?"
    run = CliRunner().invoke(
        main,
        ["fixtures", "record", question, "--out", str(out), "--index",
         str(sample_settings.index_dir), "--tag", "recorded"],
        input="y\nn\nn\n",
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    assert check_file(out) == []
    (case,) = load_cases(out)
    assert case.tags == ("recorded",) and len(case.must_cite) == 1
    again = CliRunner().invoke(main, ["eval", str(out), "--index", str(sample_settings.index_dir)])
    assert again.exit_code == 0, again.output


def test_record_case_from_an_abstention() -> None:
    case = record_case(
        Answer("Capital of Mars?", "The indexed articles don't say", (), Outcome.NONE)
    )
    assert case == {"id": "capital-of-mars", "question": "Capital of Mars?",
                    "expect": {"abstain": True}}  # fmt: skip


# -- the pytest plugin -------------------------------------------------------------------------


def test_plugin_collects_one_item_per_case_with_its_failure_reason(
    pytester: pytest.Pytester, sample_settings: Settings
) -> None:
    wrong = GOOD.replace('answer_contains: [["4,200", "4200"]]', 'answer_contains: ["999"]')
    pytester.makefile(".yaml", cases=wrong)
    pytester.makeini(
        f"""
        [pytest]
        newsqa_fixtures = cases.yaml
        newsqa_index = {sample_settings.index_dir}
        newsqa_known_failures = known.txt
        """
    )
    pytester.makefile(".txt", known="mars  # the extractive answerer does not abstain here\n")
    run = pytester.runpytest("-v", "-p", "no:cacheprovider")
    output = run.stdout.str()
    assert "cases.yaml::evacuated FAILED" in output
    assert "case 'evacuated'" in output and "answer lacks '999'" in output
    assert "cases.yaml::scripted-model" in output
    assert "cases.yaml::mars" in output and ("XFAIL" in output or "XPASS" in output)


def test_an_answer_stating_the_gold_value_from_another_report_counts_as_stated() -> None:
    # The fixture lists one sentence; another outlet's sentence gives the same figure.
    case = Case("c", ("How many?",), short_answer=(("4,200", "4200"),),
                must_cite=(SentenceRef(title="T", sentence="4,200 residents"),))  # fmt: skip
    other = replace(citation(1), sentence="Some 4,200 people had to leave, the mayor said.")
    wrong = replace(citation(1), sentence="Some 63 people were rescued by boat.")
    stated = CaseResult(case, Answer("Q", "x", (other,), Outcome.ANSWER), (), 0, (), 0, ())
    missed = CaseResult(case, Answer("Q", "x", (wrong,), Outcome.ANSWER), (), 0, (), 0, ())
    summary = summarize([stated, missed])
    assert summary["answers_right"] == 0.0 and summary["answers_right_or_stated"] == 0.5
