"""Scripted Q&A fixtures: questions with the sentences that must (not) be cited, run against an
assistant and scored at sentence level.

    cases = load_cases(Path("tests/qa/sample_questions.yaml"))
    results = [run_case(assistant, case) for case in cases]
    print(summarize(results))
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.assistant import Assistant
from qa.errors import ConfigError
from qa.store import Store
from qa.types import Answer

Key = tuple[str, int]


@dataclass(frozen=True)
class SentenceRef:
    title: str
    sentence: str


@dataclass(frozen=True)
class Case:
    id: str
    turns: tuple[str, ...]  # earlier turns first; the last one is asked
    tags: tuple[str, ...] = ()
    filters: dict[str, Any] = field(default_factory=dict)
    answer_contains: tuple[str | tuple[str, ...], ...] = ()
    must_cite: tuple[SentenceRef, ...] = ()
    must_cite_all: bool = False
    must_not_cite: tuple[SentenceRef, ...] = ()
    abstain: bool = False


@dataclass(frozen=True)
class CaseResult:
    case: Case
    answer: Answer
    gold_ranks: tuple[int, ...]  # positions (0-based) of cited gold sentences
    supported: int  # citations that are gold or state the expected answer
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def load_cases(path: Path) -> list[Case]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read fixtures ({str(exc).splitlines()[0]})") from None
    return [_case(raw) for raw in data["cases"]]


def _case(raw: dict[str, Any]) -> Case:
    expect = raw.get("expect", {})
    turns = tuple(raw["turns"]) if "turns" in raw else (raw["question"],)

    def refs(key: str) -> tuple[SentenceRef, ...]:
        return tuple(SentenceRef(r["title"], r["sentence"]) for r in expect.get(key, []))

    return Case(
        id=raw["id"],
        turns=turns,
        tags=tuple(raw.get("tags", [])),
        filters=dict(raw.get("filters", {})),
        answer_contains=tuple(
            tuple(a) if isinstance(a, list) else a for a in expect.get("answer_contains", [])
        ),
        must_cite=refs("must_cite"),
        must_cite_all=bool(expect.get("all", False)),
        must_not_cite=refs("must_not_cite"),
        abstain=bool(expect.get("abstain", False)),
    )


def resolve(store: Store, ref: SentenceRef) -> Key | None:
    """The address of the sentence a fixture names by article title and a piece of its text."""
    for article_id in store.article_ids_titled(ref.title):
        for sentence in store.sentences(article_id):
            if ref.sentence in sentence.text:
                return (sentence.article_id, sentence.index)
    return None


def run_case(assistant: Assistant, case: Case) -> CaseResult:
    filters = assistant.make_filters(
        sources=case.filters.get("sources", ()),
        since=case.filters.get("since"),
        until=case.filters.get("until"),
    )
    answer = assistant.ask(case.turns[-1], filters=filters, history=case.turns[:-1])
    gold = {k for k in (resolve(assistant.store, r) for r in case.must_cite) if k}
    banned = {k for k in (resolve(assistant.store, r) for r in case.must_not_cite) if k}
    cited = [(c.article_id, c.sentence_index) for c in answer.citations]
    copies = {key: {key[0], *c.also_in} for key, c in zip(cited, answer.citations, strict=True)}
    gold_ranks = tuple(n for n, key in enumerate(cited) if _matches(key, copies[key], gold))
    supported = sum(
        1
        for key, citation in zip(cited, answer.citations, strict=True)
        if _matches(key, copies[key], gold) or _states(citation.sentence, case.answer_contains)
    )
    return CaseResult(
        case,
        answer,
        gold_ranks,
        supported,
        _failures(case, answer, gold, gold_ranks, banned, cited),
    )


def _matches(key: Key, carriers: set[str], gold: set[Key]) -> bool:
    # A wire sentence cited from one outlet counts for the copy in the other outlet too.
    return key in gold or any(g[0] in carriers and g[1] == key[1] for g in gold)


def _states(text: str, expected: tuple[str | tuple[str, ...], ...]) -> bool:
    return bool(expected) and all(_contains(text, group) for group in expected)


def _contains(text: str, group: str | tuple[str, ...]) -> bool:
    options = (group,) if isinstance(group, str) else group
    folded = _fold(text)
    return any(_fold(option) in folded for option in options)


def _fold(text: str) -> str:
    text = text.lower().replace(",", "")
    return re.sub(r"\s+", " ", text)


def _failures(
    case: Case, answer: Answer, gold: set[Key], ranks: tuple[int, ...], banned: set[Key],
    cited: list[Key],
) -> tuple[str, ...]:  # fmt: skip
    if case.abstain:
        return () if answer.abstained else ("answered a question the articles don't answer",)
    problems = []
    if answer.abstained:
        return ("abstained although the articles answer it",)
    if len(gold) < len(case.must_cite):
        problems.append("a must_cite sentence is not in the index")
    if not ranks:
        problems.append("no expected sentence cited")
    elif case.must_cite_all and len(ranks) < len(gold):
        problems.append(f"cited {len(ranks)} of {len(gold)} required sentences")
    missing = [g for g in case.answer_contains if not _contains(answer.text, g)]
    if missing:
        problems.append(f"answer lacks {missing}")
    if banned & set(cited):
        problems.append("cited a must_not_cite sentence")
    return tuple(problems)


def summarize(results: list[CaseResult]) -> dict[str, float]:
    """hit@1, hit@3, citation precision, abstention and false abstention, pass rate."""
    answerable = [r for r in results if not r.case.abstain]
    unanswerable = [r for r in results if r.case.abstain]
    citations = sum(len(r.answer.citations) for r in answerable)

    def share(rows: list[CaseResult], test: Callable[[CaseResult], bool]) -> float:
        return sum(1 for r in rows if test(r)) / len(rows) if rows else 0.0

    return {
        "cases": len(results),
        "passed": share(results, lambda r: r.passed),
        "hit@1": share(answerable, lambda r: 0 in r.gold_ranks),
        "hit@3": share(answerable, lambda r: any(n < 3 for n in r.gold_ranks)),
        "citation_precision": sum(r.supported for r in answerable) / citations
        if citations
        else 0.0,
        "abstained_when_unanswerable": share(unanswerable, lambda r: r.answer.abstained),
        "false_abstention": share(answerable, lambda r: r.answer.abstained),
    }
