"""Learned weights: how candidate features add up to a score, and how sure the top one is.

Both models are logistic regressions learned by `scripts/learn_ranker.py` from hand-written
questions about BBC articles (never about the measuring set) and committed as
`qa/models/ranker.json`:
- the ranker scores each candidate sentence (the log-odds that it answers the question);
- the confidence models read the top of a ranking (the margin to the next, whether it covers
  the question's words, holds the wanted answer type, binds it to the question) and give the
  probability that the top sentence answers, and that the collection answers the question at
  all; a calibrated cut-off on each turns them into one of three outcomes.

    model = load_model()
    scores = model.ranker.scores(matrix)
    verdict = model.confidence.verdict(top_features)     # Verdict(Outcome.ANSWER, 0.83)
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import ConfigError
from qa.features import FEATURES
from qa.question import focus_words
from qa.types import Outcome

# What the confidence model reads of a ranking, in order.
# Not the top's own score: a pairwise ranker orders candidates, its level is not comparable
# across questions (with it, the confidence fell as the score rose on a small collection).
CONFIDENCE_FEATURES: tuple[str, ...] = (
    "margin",  # top score minus the second's
    # ... minus the best one that says something else: a second outlet (or a later sentence)
    # repeating the top's figure is agreement, not a rival answer.
    "margin_other",
    "top_focus_context",
    "focus_absent",
    "top_names_context",
    "top_answer_type",
    "top_dense",
    "top_lexical",
    "same_article_share",  # of the top 5, how many share the top's article
    # Read from the claims stored at ingest (`qa.shortanswer.binding`), for a question that asks
    # a type they hold: how firmly the top sentence, and the best of the first three, binds a
    # value of that type to the question. "Which judge ...?" with no judge named anywhere near
    # the top is a question the articles do not answer, however well its words match.
    "typed",
    "top_bound",
    "near_bound",
)


@dataclass(frozen=True)
class Linear:
    """A logistic model over standardised features: `(x - mean) / scale @ weights + bias`."""

    names: tuple[str, ...]
    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray

    def scores(self, matrix: np.ndarray) -> np.ndarray:
        """Log-odds per row."""
        if matrix.size == 0:
            return np.zeros(matrix.shape[0], dtype=np.float64)
        z = (matrix - self.mean) / self.scale
        return np.asarray(z @ self.weights + self.bias, dtype=np.float64)

    def to_dict(self) -> dict[str, Any]:
        return {
            "names": list(self.names),
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "mean": [round(float(m), 6) for m in self.mean],
            "scale": [round(float(s), 6) for s in self.scale],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], expected: tuple[str, ...]) -> Linear:
        names = tuple(data["names"])
        if names != expected:
            raise ConfigError(
                "the learned ranking weights do not match this version's features: run "
                "scripts/learn_ranker.py"
            )
        return cls(
            names,
            np.asarray(data["weights"], dtype=np.float64),
            float(data["bias"]),
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
        )


# A question most of whose words no candidate sentence has ("How do I bake sourdough bread?"
# of a news collection) is one the articles don't answer. A rule, not a weight: no training
# question is off-topic (the feature is 0 for all but a few), so a learned weight on it is noise
# that once gave such a question 80%.
OFF_TOPIC = 0.5
_FOCUS_ABSENT = CONFIDENCE_FEATURES.index("focus_absent")


@dataclass(frozen=True)
class Verdict:
    """How sure the top of a ranking is: its `outcome`, and the `probability` that the top
    sentence answers the question (calibrated on held-out questions)."""

    outcome: Outcome
    probability: float


@dataclass(frozen=True)
class Confidence:
    """Two readings of the same ranking: is its top sentence the answer (`top`), and does the
    collection answer the question at all (`answerable`)? The first decides ANSWER, the second
    tells the closest evidence from "the articles don't say": a likely wrong top can still sit
    beside the answer, and a question the articles never answer still has a best match."""

    top: Linear
    answerable: Linear
    answer_at: float  # P(top answers) from which the top sentences are given as the answer
    evidence_at: float  # P(answerable) from which the closest passages are offered

    def probability(self, row: np.ndarray) -> float:
        return _sigmoid(float(self.top.scores(row.reshape(1, -1))[0]))

    def answerable_probability(self, row: np.ndarray) -> float:
        return _sigmoid(float(self.answerable.scores(row.reshape(1, -1))[0]))

    def verdict(self, row: np.ndarray) -> Verdict:
        p = self.probability(row)
        if row[_FOCUS_ABSENT] >= OFF_TOPIC:
            return Verdict(Outcome.NONE, p)
        if p >= self.answer_at:
            return Verdict(Outcome.ANSWER, p)
        answerable = self.answerable_probability(row) >= self.evidence_at
        return Verdict(Outcome.EVIDENCE if answerable else Outcome.NONE, p)


def _sigmoid(logit: float) -> float:
    return 1.0 / (1.0 + float(np.exp(-logit)))


@dataclass(frozen=True)
class Model:
    ranker: Linear
    confidence: Confidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "ranker": self.ranker.to_dict(),
            "confidence": {
                "top": self.confidence.top.to_dict(),
                "answerable": self.confidence.answerable.to_dict(),
                "answer_at": round(self.confidence.answer_at, 4),
                "evidence_at": round(self.confidence.evidence_at, 4),
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Model:
        conf = data["confidence"]
        return cls(
            Linear.from_dict(data["ranker"], FEATURES),
            Confidence(
                Linear.from_dict(conf["top"], CONFIDENCE_FEATURES),
                Linear.from_dict(conf["answerable"], CONFIDENCE_FEATURES),
                float(conf["answer_at"]),
                float(conf["evidence_at"]),
            ),
        )


MODEL_FILE = "ranker.json"


@functools.cache
def load_model(path: Path | None = None) -> Model:
    """The committed model, or one written by `scripts/learn_ranker.py --out PATH`."""
    if path is None:
        text = resources.files("qa.models").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"ranking model {path}: {exc.strerror}") from None
    return Model.from_dict(json.loads(text))


_FIGURE = re.compile(r"\d[\d,.]*\d|\d")
AGREE_WORDS = 0.6  # share of the shorter sentence's content words two must share to agree
NO_RIVAL_MARGIN = 5.0


def confidence_row(
    scores: np.ndarray,
    matrix: np.ndarray,
    article_ids: list[str],
    texts: Sequence[str],
    question: str,
    bound: Sequence[float] | None = None,
) -> np.ndarray:
    """What the confidence model reads, from a ranking sorted best first; `bound` is the
    binding of its first three sentences (None: the question asks no type claims hold)."""
    if len(scores) == 0:
        return np.zeros(len(CONFIDENCE_FEATURES))
    column = {name: i for i, name in enumerate(FEATURES)}
    top = matrix[0]
    second = float(scores[1]) if len(scores) > 1 else float(scores[0]) - NO_RIVAL_MARGIN
    rival = _rival_score(scores, texts, question)
    same = sum(1 for a in article_ids[:5] if a == article_ids[0]) / min(5, len(article_ids))
    return np.asarray(
        [
            float(scores[0]) - second,
            float(scores[0]) - rival,
            top[column["focus_context"]],
            top[column["focus_absent"]],
            top[column["names_context"]],
            top[column["answer_type"]],
            top[column["dense"]],
            top[column["lexical"]],
            same,
            float(bound is not None),
            float(bound[0]) if bound else 0.0,
            max(bound[:3], default=0.0) if bound else 0.0,
        ],
        dtype=np.float64,
    )


def _rival_score(scores: np.ndarray, texts: Sequence[str], question: str) -> float:
    """The score of the best candidate that says something else than the top one: not a
    figure of the top's that the question did not give, nor most of its content words."""
    figures = set(_FIGURE.findall(texts[0])) - set(_FIGURE.findall(question))
    words = set(focus_words(texts[0]))
    for score, text in zip(scores[1:], texts[1:], strict=False):
        if figures & set(_FIGURE.findall(text)):
            continue
        theirs = set(focus_words(text))
        if len(words & theirs) < AGREE_WORDS * max(1, min(len(words), len(theirs))):
            return float(score)
    return float(scores[0]) - NO_RIVAL_MARGIN
