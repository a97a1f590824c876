"""Evidence for a model: the retrieved sentences it may cite, numbered 1..M.

The best retrieved sentences (one copy of each wire sentence, never one addressed to an AI)
plus the neighbours of the best few, grouped by article under its title, outlet and date, best
article first. Everything here is pure: what the store holds (neighbouring sentences, article
headers) is read by the caller and passed in, so the numbering and the prompt can be used and
tested without a store or a model (the citation check, `qa.check`, without a store).

    picked = pick(ranked, limit=fitting_limit(ranked, context_tokens=8192, max_tokens=400))
    evidence = number(picked, neighbours={...}, headers={...})
    messages = prompt(question, evidence, today="2026-11-24")
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa import prompts
from qa.extractive import fold
from qa.injection import is_instruction
from qa.types import Retrieved

if TYPE_CHECKING:
    from qa.llm import Message
    from qa.types import Article

Key = tuple[str, int]  # (article id, sentence index)
EVIDENCE_SENTENCES = 12  # retrieved sentences given to the model
WITH_NEIGHBOURS = 5  # ... the best of which also bring the sentence before and after
CHARS_PER_TOKEN = 3.5  # conservative for English news text with a BPE tokenizer
PROMPT_OVERHEAD_TOKENS = 450  # the system prompt with its example, and the framing
_DELIMITER = re.compile(r"<\s*/?\s*articles\s*>", re.I)


@dataclass(frozen=True)
class Evidence:
    """One numbered sentence the model may cite."""

    n: int
    found: Retrieved
    header: str  # its article's title, outlet and date, as the model saw them


def pick(ranked: Sequence[Retrieved], *, limit: int) -> list[Retrieved]:
    """The best `limit` sentences: one copy of each text, none addressed to an AI."""
    picked: list[Retrieved] = []
    seen: set[str] = set()
    for found in ranked:
        folded = fold(found.text)
        if folded in seen or is_instruction(found.text):
            continue
        seen.add(folded)
        picked.append(found)
        if len(picked) == limit:
            break
    return picked


def neighbour_keys(picked: Sequence[Retrieved]) -> list[Key]:
    """The sentences before and after the best few, to be read from the store."""
    chosen = {(r.article_id, r.sentence_index) for r in picked}
    around = [
        (r.article_id, r.sentence_index + step)
        for r in picked[:WITH_NEIGHBOURS]
        for step in (-1, 1)
        if r.sentence_index + step >= 0
    ]
    return [key for key in dict.fromkeys(around) if key not in chosen]


def number(
    picked: Sequence[Retrieved], neighbours: Mapping[Key, str], headers: Mapping[str, str]
) -> list[Evidence]:
    """The numbered evidence, grouped by article, best article first, in article order within."""
    chosen = {(r.article_id, r.sentence_index): r for r in picked}
    for key, text in neighbours.items():
        if not is_instruction(text):  # an index built before ingest cut them out
            chosen.setdefault(key, Retrieved(key[0], key[1], text, 0.0))
    numbered: list[Evidence] = []
    for article_id in dict.fromkeys(r.article_id for r in picked):
        header = headers.get(article_id) or header_of(None)
        for key in sorted(k for k in chosen if k[0] == article_id):
            numbered.append(Evidence(len(numbered) + 1, chosen[key], header))
    return numbered


def header_of(article: Article | None) -> str:
    """An article's title, outlet and date as the prompt shows them."""
    if article is None:
        return prompts.ARTICLE_HEADER.format(title="?", outlet="?", published="undated")
    return prompts.ARTICLE_HEADER.format(
        title=(article.title or "untitled").replace('"', "'"),
        outlet=article.outlet or "unknown outlet",
        published=(article.published or article.published_raw or "undated")[:10],
    )


def prompt(question: str, evidence: Sequence[Evidence], today: str) -> list[Message]:
    """The chat messages that ask the model to answer from the evidence only."""
    lines: list[str] = []
    header = None
    for item in evidence:
        if item.header != header:
            header = item.header
            lines.append(_quoted(header))
        lines.append(f"[{item.n}] {_quoted(item.found.text)}")
    user = prompts.ANSWER_USER.format(today=today, evidence="\n".join(lines), question=question)
    return [
        {"role": "system", "content": prompts.ANSWER_SYSTEM},
        {"role": "user", "content": user},
    ]


def fitting_limit(ranked: Sequence[Retrieved], *, context_tokens: int, max_tokens: int) -> int:
    """How many retrieved sentences fit the model's window with room for its answer."""
    # Trimmed up front so that a small context window is not an error at all.
    budget = (context_tokens - max_tokens - PROMPT_OVERHEAD_TOKENS) * CHARS_PER_TOKEN
    limit, used = 0, 0.0
    for found in ranked[:EVIDENCE_SENTENCES]:
        used += (len(found.text) + 12) * (3 if limit < WITH_NEIGHBOURS else 1)
        if used > budget:
            break
        limit += 1
    return max(limit, 1)


def _quoted(text: str) -> str:
    # An article must not close the quoted evidence and write outside it.
    return _DELIMITER.sub("[articles]", text)
