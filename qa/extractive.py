"""The offline answerer: which sentences to show, and as what.

The ranking's confidence (`qa.ranker`) picks one of three outcomes:
- **answer**: the top sentence, plus up to two more whose score is close to it (from another
  article first when the question compares accounts), given as the answer;
- **evidence**: not sure: the best few distinct sentences, best first, offered as passages that
  may answer it, never worded as the answer;
- **none**: nothing close: the articles don't say.

    choice = choose_sentences(ranking, question)
    choice.verdict.outcome, [r.text for r in choice.sentences]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.brief.extract import figures_in
from qa.ranker import Verdict
from qa.types import Citation, Outcome, Retrieved

if TYPE_CHECKING:
    from qa.retrieve import Ranking

MAX_SENTENCES = 3


@dataclass(frozen=True)
class Policy:
    """How many sentences each outcome shows."""

    margin: float = 0.5  # log-odds: a further answer sentence must score within this of the best
    multi_margin: float = 1.5  # ... or this, for another article when the question compares
    evidence: int = 3  # passages offered when not sure
    # "latest": a dated report this close to the best is preferred when it is newer.
    latest_margin: float = 2.0


DEFAULT_POLICY = Policy()


@dataclass(frozen=True)
class Choice:
    verdict: Verdict
    sentences: list[Retrieved]  # empty for Outcome.NONE


_COMPARES = re.compile(
    r"\b(?:both|each|differ|difference|different|compare|compared|versus|vs\.?|sides?|"
    r"outlets|reports|accounts|disagree|according to (?:each|the two|both))\b",
    re.I,
)


def choose_sentences(ranking: Ranking, question: str, policy: Policy = DEFAULT_POLICY) -> Choice:
    """The outcome and the sentences to show for it, best first."""
    verdict = ranking.verdict()
    ranked = ranking.ranked
    if verdict.outcome is Outcome.ANSWER:
        chosen = _answer_sentences(ranked, question, policy)
        if ranking.question.latest:
            chosen = _newest_first(chosen, ranked, ranking.days, policy)
        return Choice(verdict, chosen)
    if verdict.outcome is Outcome.EVIDENCE:
        chosen = _distinct(ranked, policy.evidence)
        if ranking.question.latest:  # newest first, undated last, else best first
            chosen.sort(key=lambda r: -ranking.days.get(r.article_id, 0))
        return Choice(verdict, chosen)
    return Choice(verdict, [])


def _answer_sentences(ranked: list[Retrieved], question: str, policy: Policy) -> list[Retrieved]:
    best = ranked[0]
    chosen = [best]
    compares = bool(_COMPARES.search(question))
    for candidate in ranked[1:12]:
        if len(chosen) == MAX_SENTENCES:
            break
        if any(_same_text(candidate.text, c.text) for c in chosen):
            continue
        other_article = all(c.article_id != candidate.article_id for c in chosen)
        margin = policy.multi_margin if compares and other_article else policy.margin
        if candidate.score >= best.score - margin:
            chosen.append(candidate)
    return chosen


def _newest_first(
    chosen: list[Retrieved], ranked: list[Retrieved], days: dict[str, int], policy: Policy
) -> list[Retrieved]:
    """For "latest"/"now": the newest dated report near the top leads, the best one follows."""
    near = [r for r in ranked[:8] if r.score >= ranked[0].score - policy.latest_margin]
    dated = [r for r in near if days.get(r.article_id)]
    if not dated:
        return chosen
    newest = max(dated, key=lambda r: (days[r.article_id], r.score))
    rest = [r for r in chosen if not _same_text(r.text, newest.text)]
    return [newest, *rest][:MAX_SENTENCES]


def compose(outcome: Outcome, citations: tuple[Citation, ...], *, latest: bool = False) -> str:
    """The answer's text: the cited sentences, worded for the outcome.

    Accounts that give different figures for the same thing are set side by side, each with its
    outlet and date; a "latest" question says which date its answer is from.
    """
    quoted = [f"{c.sentence} [{c.n}]" for c in citations]
    attributed = " ".join(f"{attribution(c)}: {q}" for c, q in zip(citations, quoted, strict=True))
    if outcome is Outcome.EVIDENCE:
        lead = "Not sure the articles answer this; the closest passages"
        if latest and any(c.published for c in citations):
            return f"{lead}, newest first: {attributed}"
        if len(citations) > 1 and differ(citations):
            return f"{lead}, best first (accounts differ): {attributed}"
        return f"{lead}, best first: " + " ".join(quoted)
    if len(citations) > 1 and differ(citations):
        return f"Accounts differ. {attributed}"
    if latest and citations and citations[0].published:
        head = f"Latest report ({attribution(citations[0])}): {quoted[0]}"
        earlier = [f"Earlier ({attribution(c)}): {q}" for c, q in zip(citations[1:], quoted[1:],
                                                                      strict=True)]  # fmt: skip
        return " ".join([head, *earlier])
    return " ".join(quoted)


def differ(citations: tuple[Citation, ...]) -> bool:
    """Two articles give different figures for the same measure."""
    seen: dict[str, tuple[str, str]] = {}
    for c in citations:
        for measure, value in figures_in(c.sentence):
            if measure in seen and seen[measure][0] != value and seen[measure][1] != c.article_id:
                return True
            seen.setdefault(measure, (value, c.article_id))
    return False


def attribution(citation: Citation) -> str:
    """Who said it and when: "Harbour Daily, 2026-03-05"."""
    outlet = citation.source or citation.title or "an article"
    day = (citation.published or "")[:10] or "undated"
    return f"{outlet}, {day}"


def _distinct(ranked: list[Retrieved], limit: int) -> list[Retrieved]:
    chosen: list[Retrieved] = []
    for candidate in ranked:
        if len(chosen) == limit:
            break
        if not any(_same_text(candidate.text, c.text) for c in chosen):
            chosen.append(candidate)
    return chosen


def _same_text(a: str, b: str) -> bool:
    return fold(a) == fold(b)


def fold(text: str) -> str:
    """Words only, lower case: two copies of a sentence fold to the same text."""
    return " ".join(re.findall(r"\w+", text.lower()))
