"""Follow-up questions: made searchable from the previous turn, and answered with something new.

"And what did the other side say?" after "Who does Valdoria's ministry blame?" is searched with
the previous question's words; the sentences the previous answer cited are not given again, and
"the other side" wants a party the previous answer did not quote.

    search_text = standalone_question("What about the union?", ["How many jobs will go?"])
    search_text = rewrite(chat, "What about the union?", history, deadline=30) or search_text
    ranking = follow_up(ranking, history)

With a language model, `rewrite` asks it for the standalone question; the heuristic is what is
used when there is none or its reply is unusable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from qa import prompts
from qa.brief.extract import accuser, side_keys, speakers
from qa.claims import Claims
from qa.errors import LLMError
from qa.extractive import fold
from qa.question import PERSON, analyse
from qa.retrieve import Ranking
from qa.types import Answer, Outcome

if TYPE_CHECKING:
    from qa.llm import Chat, Message

MAX_HISTORY_TURNS = 4
_MARKER_TEXT = re.compile(r"\s*\[\d+\]")

FOLLOW_UP = re.compile(
    r"^(?:and|but|also|so|what about|how about|and what|what else)\b|"
    r"\b(?:he|she|they|him|her|them|his|hers|their|it|its|that|this|those|these|there|"
    r"the other side|other side|the others?)\b",
    re.I,
)
# How far a sentence from the side already quoted falls when the question asks for the other.
SAME_SIDE_PENALTY = 3.0
OTHER_SIDE_BONUS = 1.0  # log-odds for a statement by the party the previous answer's accused
_NONE = Claims()


# "What did she say?" after "Who is the mission director?" was answered "Anika Rautio": she is
# the person answered. "he", "she", "him" and a possessive "his"; "her" may be either, so stays.
_PERSON_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]im)\b|\b(?P<his>[Hh]is)\b")


def person_meant(question: str, history: Sequence[str | Answer]) -> str:
    """The follow-up with the person the previous answer named in place of its first "he",
    "she", "him" (or "his"): a question about them, searched by name, not the previous question
    again. Unchanged unless the previous turn's answer gave one person to a who-question that
    asked for a name, and the follow-up names no one its pronoun could stand for ("What did
    Biden say after he met Xi?")."""
    previous = history[-1] if history else None
    if (
        not isinstance(previous, Answer)
        or previous.outcome is not Outcome.ANSWER
        or not previous.short_answer
        or previous.conflict
        or analyse(question).names
    ):
        return question
    asked = analyse(previous.question)
    if asked.answer_type != PERSON or asked.about:  # "Who is X?" answers a role
        return question
    name = previous.short_answer
    return _PERSON_PRONOUN.sub(lambda m: f"{name}'s" if m["his"] else name, question, count=1)


def standalone_question(question: str, history: Sequence[str]) -> str:
    """A follow-up ("and what did Kestrania say?") made searchable with the previous question."""
    if not history or not FOLLOW_UP.search(question):
        return question
    return f"{question} {history[-1]}"


def rewrite(
    chat: Chat, question: str, history: Sequence[str | Answer], *, deadline: float
) -> str | None:
    """The follow-up as a standalone question written by the model, or None when its reply is
    unusable (the caller then uses `standalone_question`)."""
    turns = []
    for item in list(history)[-MAX_HISTORY_TURNS:]:
        if isinstance(item, Answer):
            turns.append(f"User: {item.question}")
            if item.text:
                turns.append(f"Assistant: {_MARKER_TEXT.sub('', item.text)[:400]}")
        else:
            turns.append(f"User: {item}")
    messages: list[Message] = [
        {"role": "system", "content": prompts.REWRITE_SYSTEM},
        {
            "role": "user",
            "content": prompts.REWRITE_USER.format(history="\n".join(turns), question=question),
        },
    ]
    try:
        reply = chat.complete(messages, max_tokens=80, deadline=deadline)
    except LLMError:
        return None
    line = reply.strip().splitlines()[0].strip().strip('"') if reply.strip() else ""
    line = re.sub(r"^(?:standalone question:\s*)", "", line, flags=re.I)
    if not (3 <= len(line) <= 400) or not re.search(r"\w", line):
        return None
    return line


def follow_up(
    ranking: Ranking,
    history: Sequence[str | Answer],
    claims: Mapping[str, Claims] | None = None,
) -> Ranking:
    """The ranking without what the previous answer already said; for "the other side", with
    the side it quoted moved down, and the party it accused moved up (its statements, read
    from `claims` when the sentences have them)."""
    previous = next((h for h in reversed(history) if isinstance(h, Answer)), None)
    if previous is None or not previous.citations:
        return ranking
    # What the previous answer said is not said again; passages offered as "not sure" were
    # not said, and may be what this question was after, unless it asks for the other side.
    again = previous.outcome is not Outcome.ANSWER and not ranking.question.other_side
    said = set() if again else {fold(c.sentence) for c in previous.citations}
    penalty = np.zeros(len(ranking.ranked))
    answering: set[int] = set()
    if ranking.question.other_side:
        asked = analyse(previous.question).agent
        quoted = _sides(c.sentence for c in previous.citations) | _names(asked or "")
        known = claims or {}
        spoken = [st for c in previous.citations for st in known.get(c.sentence, _NONE).statements]
        if asked:  # the side the question named, when the passages quoted both sides
            named = side_keys(asked) | _names(asked)
            spoken = [st for st in spoken if side_keys(st.speaker) & named] or spoken
        aimed: set[str] = set()
        if spoken:  # who spoke and whom they aimed at, as the parse read it
            quoted = set().union(*(side_keys(st.speaker) for st in spoken)) | _names(asked or "")
            aimed = set().union(*(side_keys(st.target or "") for st in spoken)) - quoted
        for n, r in enumerate(ranking.ranked):
            statements = known.get(r.text, _NONE).statements
            speaking = (
                set().union(*(side_keys(st.speaker) for st in statements))
                if statements
                else _sides([r.text])
            )
            if speaking & quoted:
                penalty[n] = SAME_SIDE_PENALTY
            elif speaking & aimed:
                penalty[n] = -OTHER_SIDE_BONUS
                answering.add(n)  # the accused answering back: what "the other side" means
    # The accused's own statements lead, best first, whatever retrieval made of them (they
    # rarely share the first question's words); their scores keep telling how sure that is.
    # The accused's own words offered among "not sure" passages were not yet its answer.
    offered = previous.outcome is not Outcome.ANSWER
    keep = [n for n, r in enumerate(ranking.ranked)
            if fold(r.text) not in said or (offered and n in answering)]  # fmt: skip
    scores = [r.score - penalty[n] for n, r in enumerate(ranking.ranked)]
    order = sorted(keep, key=lambda n: (n not in answering, -scores[n]))
    ranked = [replace(ranking.ranked[n], score=scores[n]) for n in order]
    return replace(ranking.reordered([ranking.ranked[n] for n in order]), ranked=ranked)


def _sides(texts: Iterable[str]) -> set[str]:
    """The parties that speak or accuse in these texts, by their first proper name."""
    found: set[str] = set()
    for text in texts:
        for actor in [accuser(text) or ""] + [name for name, _ in speakers(text)]:
            found |= _names(actor)
    return found


def _names(actor: str) -> set[str]:
    # "Valdoria's defence ministry" and "Valdorian officials" are one side: a name's stem.
    match = re.search(r"[A-Z][a-z]{2,}", actor)
    return {match.group(0).lower()[:6]} if match else set()
