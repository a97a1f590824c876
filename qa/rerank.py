"""The optional reranker seam: a cross-encoder reads the question and each candidate sentence
together and reorders the best-ranked candidates.

Off by default: newsqa ships no cross-encoder (no package on the registries carries the weights).
A deployment that has one on disk, or in the Hugging Face cache because it can reach a model hub
(e.g. `cross-encoder/ms-marco-MiniLM-L6-v2`), names it; nothing is ever downloaded here.

    ranked = CrossEncoderReranker("/models/ms-marco-MiniLM-L6-v2").rerank(question, ranked)
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from qa.errors import ConfigError
from qa.types import Retrieved

if TYPE_CHECKING:
    from sentence_transformers import CrossEncoder

DEFAULT_TOP = 20
DEFAULT_BATCH_SIZE = 32
# A checkpoint without one of these heads would be scored by a freshly initialised, random layer.
_SCORING_HEADS = ("ForSequenceClassification", "ForCausalLM")
_NEXT_STEP = "set NEWSQA_RERANKER to a local cross-encoder folder or unset it"


class Reranker(Protocol):
    def scores(self, question: str, texts: Sequence[str]) -> list[float]:
        """One relevance score per text, higher is more relevant; only the order is meaningful."""
        ...

    def rerank(self, question: str, ranked: Sequence[Retrieved]) -> list[Retrieved]:
        """`ranked` with its head reordered best first; every `score` is kept as it was."""
        ...


def reorder(ranked: Sequence[Retrieved], scores: Sequence[float]) -> list[Retrieved]:
    """The first `len(scores)` candidates sorted by `scores` (ties keep their order), then the
    rest in their order; copies, with the caller's calibrated `score` untouched.

        reorder(ranked, [0.1, 0.9])   # ranked[1], ranked[0], ranked[2], ...
    """
    if len(scores) > len(ranked):
        raise ValueError(f"{len(scores)} scores for {len(ranked)} candidates")
    head = sorted(range(len(scores)), key=lambda i: -scores[i])
    return [replace(ranked[i]) for i in [*head, *range(len(scores), len(ranked))]]


class CrossEncoderReranker:
    """A sentence-transformers cross-encoder on the CPU, loaded from local files on first use.
    Only the `top` best-ranked candidates are scored: the cost is one model pass per candidate.

        CrossEncoderReranker("cross-encoder/ms-marco-MiniLM-L6-v2", top=20).rerank(q, ranked)
    """

    def __init__(
        self, name_or_path: str, *, top: int = DEFAULT_TOP, batch_size: int = DEFAULT_BATCH_SIZE
    ) -> None:
        if top < 1 or batch_size < 1:
            raise ValueError(f"top and batch_size must be at least 1, got {top} and {batch_size}")
        self.model_id = name_or_path
        self.top = top
        self.batch_size = batch_size

    @functools.cached_property
    def model(self) -> CrossEncoder:
        return load_cross_encoder(self.model_id)

    def scores(self, question: str, texts: Sequence[str]) -> list[float]:
        unique = list(dict.fromkeys(texts))  # wire copies of one sentence are scored once
        if not unique:
            return []
        values = self.model.predict(
            [(question, text) for text in unique],
            batch_size=self.batch_size,
            show_progress_bar=False,
        )
        by_text = dict(zip(unique, values.tolist(), strict=True))
        return [float(by_text[text]) for text in texts]

    def rerank(self, question: str, ranked: Sequence[Retrieved]) -> list[Retrieved]:
        head = [candidate.text for candidate in ranked[: self.top]]
        return reorder(ranked, self.scores(question, head))


def load_cross_encoder(name_or_path: str) -> CrossEncoder:
    """A one-score cross-encoder from a folder or the local Hugging Face cache, on the CPU."""
    try:
        from sentence_transformers import CrossEncoder
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        model: CrossEncoder = CrossEncoder(
            str(Path(name_or_path).expanduser()), device="cpu", local_files_only=True
        )
    except Exception as exc:  # missing, not cached, unreadable: one line for the person
        raise ConfigError(
            f"reranker '{name_or_path}' could not be loaded: {_first_line(exc)}; {_NEXT_STEP}"
        ) from exc
    architectures = list(getattr(model.config, "architectures", None) or [])
    if model.num_labels != 1 or (
        architectures and not any(a.endswith(_SCORING_HEADS) for a in architectures)
    ):
        # An embedding model loads "successfully" as a cross-encoder with a random head.
        found = ", ".join(architectures) or f"{model.num_labels} labels"
        raise ConfigError(
            f"reranker '{name_or_path}' is not a one-score cross-encoder ({found}); {_NEXT_STEP}"
        )
    return model


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0].rstrip(".") if lines else type(exc).__name__
