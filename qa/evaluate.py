"""Running fixture cases and scoring them, with ALCE-style citation metrics at sentence level.

Per answer sentence (ALCE, Gao et al. 2023, with our support scorer as the judge in place of
an NLI model):
- citation recall: the sentence is supported by its citations taken together; a sentence with
  no citation, or with a marker that points at no citation, is not;
- citation precision: a citation counts unless (a) alone it does not support its sentence and
  (b) the sentence's other citations support it without it (a redundant citation that supports
  on its own still counts). A sentence whose citations do not support it jointly gets none of
  its citations counted.

    results = run_cases(open_library(settings), load_cases(path))
    summary = summarize(results)            # {"hit@1": ..., "citation_recall": ...}
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qa.fixtures import Case, Key, resolve
from qa.lexicon import NUMBER_WORDS
from qa.markers import split_claims
from qa.types import Outcome

if TYPE_CHECKING:
    from qa.generate import LLMAnswerer
    from qa.library import Library
    from qa.store import Store
    from qa.support import SupportScorer
    from qa.types import Answer, Mode

Judge = Callable[[str, list[str]], bool]  # does this text (list) support this sentence?
_NUMBER_WORDS = {word: str(n) for word, n in NUMBER_WORDS.items()}


@dataclass(frozen=True)
class SentenceJudgement:
    text: str
    cited: tuple[int, ...]  # citation numbers as written in the answer
    supported: bool  # recall
    relevant: tuple[bool, ...]  # precision, per entry of `cited`


@dataclass(frozen=True)
class CaseResult:
    case: Case
    answer: Answer
    gold_ranks: tuple[int, ...]  # positions (0-based) of cited gold sentences
    evidence_hits: int  # citations that are gold or state the expected answer
    judgements: tuple[SentenceJudgement, ...]
    boilerplate_citations: int
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def latency_ms(self) -> float:
        return float(self.answer.timings_ms.get("total", 0.0))


def judge_sentences(
    answer_text: str, cited_texts: dict[int, str], judge: Judge
) -> list[SentenceJudgement]:
    """ALCE citation recall and precision for each sentence of an answer."""
    out = []
    for claim in split_claims(answer_text):
        text = claim.text.replace("[unsupported]", "").strip()
        cited = claim.cited
        if not cited or any(n not in cited_texts for n in cited):
            out.append(SentenceJudgement(text, cited, False, tuple(False for _ in cited)))
            continue
        texts = [cited_texts[n] for n in cited]
        joint = judge(text, texts)
        if not joint:
            relevant = tuple(False for _ in cited)
        elif len(cited) == 1:
            relevant = (True,)
        else:
            flags = []
            for n in cited:
                alone = judge(text, [cited_texts[n]])
                rest = [cited_texts[m] for m in cited if m != n]
                flags.append(alone or not judge(text, rest))
            relevant = tuple(flags)
        out.append(SentenceJudgement(text, cited, joint, relevant))
    return out


def run_cases(
    library: Library,
    cases: Sequence[Case],
    *,
    mode: Mode | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[CaseResult]:
    from qa.support import SupportScorer

    # One scorer for the run: it keeps the vectors of sentences that several cases cite.
    scorer = SupportScorer(library.embedder)
    results = []
    for number, case in enumerate(cases):
        results.append(run_case(library, case, mode=mode, scorer=scorer))
        if progress is not None:
            progress(number + 1, len(cases))
    return results


def run_case(
    library: Library,
    case: Case,
    *,
    mode: Mode | None = None,
    scorer: SupportScorer | None = None,
) -> CaseResult:
    from qa.assistant import Assistant
    from qa.support import SupportScorer

    assistant = Assistant(library)
    scorer = scorer or SupportScorer(library.embedder)
    # The configured options whether or not a model is configured: a scripted reply is checked
    # as strictly as the deployment's model would be (NEWSQA_SUPPORT_THRESHOLD, _UNSUPPORTED).
    threshold = library.answering.check.threshold

    def judge(sentence: str, texts: list[str]) -> bool:
        return scorer.score(sentence, texts).score >= threshold

    filters = assistant.make_filters(
        sources=case.filters.get("sources", ()),
        since=case.filters.get("since"),
        until=case.filters.get("until"),
        article_ids=case.filters.get("article_ids", ()),
    )
    wanted = "llm" if case.llm_reply else (case.mode or mode)
    # Earlier turns are asked first, as a reader would, so a follow-up sees their answers.
    history: list[Answer] = []
    for turn in case.turns[:-1]:
        history.append(
            assistant.ask(turn, filters=filters, history=history, mode=case.mode or mode)
        )
    answer = assistant.ask(case.question, filters=filters, history=history, mode=wanted,
                           llm=_scripted(library, case.llm_reply, scorer))  # fmt: skip
    store = library.store
    gold: set[Key] = (
        set().union(*(resolve(store, r) for r in case.must_cite)) if case.must_cite else set()
    )
    banned: set[Key] = (
        set().union(*(resolve(store, r) for r in case.must_not_cite))
        if case.must_not_cite
        else set()
    )
    cited = [(c.article_id, c.sentence_index) for c in answer.citations]
    carriers = [c.carriers for c in answer.citations]
    gold_ranks = tuple(n for n, (key, who) in enumerate(zip(cited, carriers, strict=True))
                       if _matches(key, who, gold))  # fmt: skip
    evidence_hits = sum(
        1
        for n, citation in enumerate(answer.citations)
        if n in gold_ranks or _states(citation.sentence, case.answer_contains)
    )
    judgements = tuple(
        judge_sentences(answer.text, {c.n: c.sentence for c in answer.citations}, judge)
    ) if not answer.abstained else ()  # fmt: skip
    boilerplate = _boilerplate_citations(store, answer)
    failures = _failures(case, answer, gold, gold_ranks, banned, cited, boilerplate)
    return CaseResult(case, answer, gold_ranks, evidence_hits, judgements, boilerplate, failures)


def _scripted(library: Library, reply: str | None, scorer: SupportScorer) -> LLMAnswerer | None:
    """For a case with `llm_reply`: a model that writes it, checked as the configured one is
    (with the run's scorer, which keeps the vectors of sentences that several cases cite)."""
    if reply is None:
        return None
    from qa.generate import LLMAnswerer
    from qa.llm import ScriptedChat

    return LLMAnswerer(ScriptedChat(reply), library.store, scorer, library.answering)


def _matches(key: Key, carriers: set[str], gold: set[Key]) -> bool:
    # A wire sentence cited from one outlet counts for the copy in the other outlet too.
    return key in gold or any(g[0] in carriers and g[1] == key[1] for g in gold)


def short_matches(case: Case, answer: Answer) -> bool:
    """The answer's short answer states every `short_answer` group of the case."""
    short = answer.short_answer
    return bool(short) and all(contains(short or "", g) for g in case.short_answer)


def normalise(text: str) -> str:
    """Lower case, thousands separators gone, small number words as digits."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text.lower())
    text = re.sub(r"[a-z]+", lambda m: _NUMBER_WORDS.get(m.group(), m.group()), text)
    return re.sub(r"\s+", " ", text)


def contains(text: str, group: str | tuple[str, ...]) -> bool:
    options = (group,) if isinstance(group, str) else group
    folded = normalise(text)
    return any(normalise(option) in folded for option in options)


def _states(text: str, expected: tuple[str | tuple[str, ...], ...]) -> bool:
    return bool(expected) and all(contains(text, group) for group in expected)


def _boilerplate_citations(store: Store, answer: Answer) -> int:
    count = 0
    for citation in answer.citations:
        article = store.article(citation.article_id, with_sentences=False)
        if article and any(citation.sentence.strip() in r.text for r in article.removed):
            count += 1
    return count


def _failures(
    case: Case, answer: Answer, gold: set[Key], ranks: tuple[int, ...], banned: set[Key],
    cited: list[Key], boilerplate: int,
) -> tuple[str, ...]:  # fmt: skip
    if case.outcomes and answer.outcome not in case.outcomes:
        allowed = " or ".join(case.outcomes)
        return (f"outcome {answer.outcome.value!r}, expected {allowed}",)
    if case.abstain:
        return () if answer.abstained else ("answered a question the articles don't answer",)
    if answer.abstained:
        return ("abstained although the articles answer it",)
    problems = []
    unresolved = [r.describe() for r in case.must_cite if not gold]
    if case.must_cite and not gold:
        problems.append(f"must_cite not in the index: {', '.join(unresolved[:2])}")
    elif case.must_cite and not ranks:
        problems.append("wrong citation: no must_cite sentence was cited")
    elif case.must_cite_all and len(ranks) < len(case.must_cite):
        problems.append(f"cited {len(ranks)} of {len(case.must_cite)} required sentences")
    missing = [g for g in case.answer_contains if not contains(answer.text, g)]
    if missing:
        problems.append(f"answer lacks {', '.join(map(repr, missing))}")
    if case.short_answer and not short_matches(case, answer):
        problems.append(f"short answer {answer.short_answer!r} does not state "
                        f"{', '.join(map(repr, case.short_answer))}")  # fmt: skip
    if banned & set(cited):
        problems.append("cited a must_not_cite sentence")
    if boilerplate:
        problems.append(f"cited {boilerplate} boilerplate sentence(s)")
    if answer.fallback_reason and case.llm_reply:
        problems.append(f"model answer not used: {answer.fallback_reason}")
    return tuple(problems)


# -- aggregates ---------------------------------------------------------------------------------


def summarize(results: Sequence[CaseResult]) -> dict[str, float]:
    """Every aggregate metric over the results (shares in 0..1, latencies in ms)."""
    answerable = [r for r in results if not r.case.abstain]
    with_gold = [r for r in answerable if r.case.must_cite]
    unanswerable = [r for r in results if r.case.abstain]
    with_strings = [r for r in answerable if r.case.answer_contains]
    factoid = [r for r in answerable if r.case.short_answer]
    sentences = [j for r in answerable for j in r.judgements]
    citations = [flag for j in sentences for flag in j.relevant]
    cited_total = sum(len(r.answer.citations) for r in answerable)
    latencies = sorted(r.latency_ms for r in results)

    def share(rows: Sequence[CaseResult], test: Callable[[CaseResult], bool]) -> float:
        return sum(1 for r in rows if test(r)) / len(rows) if rows else 0.0

    return {
        "cases": float(len(results)),
        "passed": share(results, lambda r: r.passed),
        "hit@1": share(with_gold, lambda r: 0 in r.gold_ranks),
        "hit@3": share(with_gold, lambda r: any(n < 3 for n in r.gold_ranks)),
        "mrr": (
            sum(1 / (min(r.gold_ranks) + 1) for r in with_gold if r.gold_ranks) / len(with_gold)
            if with_gold
            else 0.0
        ),
        "citation_recall": sum(j.supported for j in sentences) / len(sentences)
        if sentences
        else 0.0,
        "citation_precision": sum(citations) / len(citations) if citations else 0.0,
        "evidence_precision": (
            sum(r.evidence_hits for r in answerable) / cited_total if cited_total else 0.0
        ),
        "answer_match": share(
            with_strings, lambda r: all(contains(r.answer.text, g) for g in r.case.answer_contains)
        ),  # fmt: skip
        # Of the questions with a gold short answer, how many get it stated; and of the short
        # answers given to them, how many are right.
        "short_answer_match": share(factoid, lambda r: short_matches(r.case, r.answer)),
        "short_answer_right": share(
            [r for r in factoid if r.answer.short_answer], lambda r: short_matches(r.case, r.answer)
        ),
        "answer_share": share(results, lambda r: r.answer.outcome is Outcome.ANSWER),
        "evidence_share": share(results, lambda r: r.answer.outcome is Outcome.EVIDENCE),
        "none_share": share(results, lambda r: r.answer.outcome is Outcome.NONE),
        # Of the questions given as answers (not as closest evidence), how many cite the gold.
        "answers_right": share(
            [r for r in with_gold if r.answer.outcome is Outcome.ANSWER],
            lambda r: 0 in r.gold_ranks,
        ),
        # ... or whose first citation (or short answer) states the gold short answer: a
        # fixture lists the sentences it knows, not every report of the same value.
        "answers_right_or_stated": share(
            [r for r in with_gold if r.answer.outcome is Outcome.ANSWER], _right_or_stated
        ),
        "abstention_accuracy": share(unanswerable, lambda r: r.answer.abstained),
        "false_abstention": share(answerable, lambda r: r.answer.abstained),
        "boilerplate_citations": float(sum(r.boilerplate_citations for r in results)),
        "cited_chars_per_answer": (
            sum(len(c.sentence) for r in answerable for c in r.answer.citations) / len(answerable)
            if answerable
            else 0.0
        ),
        "latency_p50_ms": _percentile(latencies, 0.5),
        "latency_p95_ms": _percentile(latencies, 0.95),
    }


def _right_or_stated(result: CaseResult) -> bool:
    if 0 in result.gold_ranks:
        return True
    gold, answer = result.case.short_answer, result.answer
    if not gold or not answer.citations:
        return False
    return short_matches(result.case, answer) or _states(answer.citations[0].sentence, gold)


def by_tag(results: Sequence[CaseResult]) -> dict[str, dict[str, float]]:
    tags = sorted({t for r in results for t in r.case.tags})
    return {tag: summarize([r for r in results if tag in r.case.tags]) for tag in tags}


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return float(values[0])
    return float(statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1])


METRICS_LOWER_IS_BETTER = frozenset(
    {
        "false_abstention",
        "boilerplate_citations",
        "latency_p50_ms",
        "latency_p95_ms",
        "cited_chars_per_answer",
    }
)


def missed_bounds(summary: dict[str, float], bounds: dict[str, float]) -> list[str]:
    """`--fail-under` bounds the summary misses (for lower-is-better metrics: exceeds)."""
    missed = []
    for metric, bound in bounds.items():
        value = summary[metric]
        if metric in METRICS_LOWER_IS_BETTER and value > bound:
            missed.append(f"{metric} = {value:.3f} is above {bound:g}")
        elif metric not in METRICS_LOWER_IS_BETTER and value < bound:
            missed.append(f"{metric} = {value:.3f} is under {bound:g}")
    return missed


def as_record(result: CaseResult) -> dict[str, Any]:
    answer = result.answer
    return {
        "id": result.case.id,
        "source": result.case.source,
        "tags": list(result.case.tags),
        "question": result.case.question,
        "passed": result.passed,
        "failures": list(result.failures),
        "answer": answer.text,
        "short_answer": answer.short_answer,
        "confidence": answer.outcome.value,
        "mode": answer.mode,
        "abstained": answer.abstained,
        "fallback_reason": answer.fallback_reason,
        "citations": [
            {
                "n": c.n,
                "title": c.title,
                "source": c.source,
                "sentence": c.sentence,
                "support": round(c.support, 3),
                "article_id": c.article_id,
            }
            for c in answer.citations
        ],  # fmt: skip
        "gold_ranks": list(result.gold_ranks),
        "latency_ms": round(result.latency_ms, 2),
        "sentences": [
            {
                "text": j.text,
                "cited": list(j.cited),
                "supported": j.supported,
                "relevant": list(j.relevant),
            }
            for j in result.judgements
        ],  # fmt: skip
    }
