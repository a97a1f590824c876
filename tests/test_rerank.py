"""The reranker seam: a real cross-encoder, fine-tuned here from the packaged MiniLM weights on a
task it can learn in seconds (does the sentence answer the question's key verb?), reorders
retrieved candidates without touching their scores."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch
from sentence_transformers import CrossEncoder

from qa.config import Settings
from qa.embed import PACKAGED_MODEL, resolve_model_path
from qa.errors import ConfigError
from qa.rerank import CrossEncoderReranker, reorder
from qa.types import Retrieved

pytestmark = pytest.mark.slow  # a cross-encoder is fine-tuned for the module

# Training data: each question's key word appears in its own sentences only. The tests below use
# sentences the model never saw, so passing them needs a model that learned the task.
TRAINING = {
    "Who won?": [
        "The Reds won the final 2-1.",
        "Smith won the election by a wide margin.",
        "She won gold in the relay.",
        "The union won a pay rise.",
    ],
    "How much did it cost?": [
        "The bridge cost 40 million euros.",
        "Tickets cost twelve dollars each.",
        "The repairs cost the city dearly.",
        "The plan will cost taxpayers billions.",
    ],
    "Where did it happen?": [
        "It happened in a village near Lyon.",
        "The crash happened on the A7 motorway.",
        "The fire happened in the old port.",
        "The attack happened outside a school.",
    ],
    "When did it start?": [
        "The strike started on Monday morning.",
        "The festival started in 1998.",
        "Work started last spring.",
        "The trial started in March.",
    ],
    "Who was arrested?": [
        "Police arrested two men at the border.",
        "A teenager was arrested after the riot.",
        "The mayor was arrested for fraud.",
        "Officers arrested a suspect on Friday.",
    ],
}

QUESTION = "Who won?"
LIBRARY = "The mayor opened a new library."
RAIN = "Rain fell all day across the north."
MARATHON = "Jones won the marathon in record time."
BREAD = "Bread prices rose again in May."
VOTE = "Her party won the vote in Leeds."


def _fine_tune(model: CrossEncoder, *, steps: int = 20, each: int = 8) -> None:
    """A few balanced steps (`each` relevant and irrelevant pairs) over the whole encoder but its
    word embeddings, with dropout off: with it on, or at a higher learning rate, some seeds
    collapse to one constant score."""
    # CrossEncoder.fit now runs the transformers Trainer, which needs `datasets` and
    # `accelerate` (not installed): a plain loop over the model's own forward pass does the same.
    pairs = [[q, s] for q in TRAINING for sentences in TRAINING.values() for s in sentences]
    labels = torch.tensor([float(s in TRAINING[q]) for q, s in pairs])
    relevant, irrelevant = labels.nonzero().flatten(), (labels == 0).nonzero().flatten()
    model.transformers_model.bert.embeddings.requires_grad_(False)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    model.eval()
    for _ in range(steps):
        chosen = [
            *relevant[torch.randperm(len(relevant))[:each]].tolist(),
            *irrelevant[torch.randperm(len(irrelevant))[:each]].tolist(),
        ]
        logits = model(model.preprocess([pairs[i] for i in chosen]))["scores"].squeeze(-1)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels[chosen])
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()


@pytest.fixture(scope="module")
def cross_encoder_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("cross-encoder")
    threads = torch.get_num_threads()
    # Small batches on a busy two-core machine: two threads took ~3 s a step, one ~0.4 s.
    torch.set_num_threads(1)
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            # An embedding model converted to a cross-encoder: a fresh one-score head on top.
            model = CrossEncoder(
                str(resolve_model_path(PACKAGED_MODEL)),
                num_labels=1,
                device="cpu",
                local_files_only=True,
            )
            _fine_tune(model)
    finally:
        torch.set_num_threads(threads)
    model.save_pretrained(str(target))
    return target


@pytest.fixture(scope="module")
def reranker(cross_encoder_dir: Path) -> CrossEncoderReranker:
    return CrossEncoderReranker(str(cross_encoder_dir))


def candidates(*texts: str) -> list[Retrieved]:
    return [Retrieved(f"a{i}", i, text, score=0.9 - i / 10) for i, text in enumerate(texts)]


def test_the_relevant_sentence_moves_from_third_to_first(
    reranker: CrossEncoderReranker,
) -> None:
    ranked = candidates(LIBRARY, RAIN, MARATHON, BREAD)

    reranked = reranker.rerank(QUESTION, ranked)

    assert reranked[0].text == MARATHON
    assert sorted(r.text for r in reranked) == sorted(r.text for r in ranked)


def test_candidates_beyond_top_keep_their_order_after_the_reranked_ones(
    cross_encoder_dir: Path,
) -> None:
    reranker = CrossEncoderReranker(str(cross_encoder_dir), top=3)
    ranked = candidates(LIBRARY, RAIN, MARATHON, BREAD, VOTE)
    # Scored over all five, VOTE would move ahead of BREAD: staying behind it shows `top` held.
    vote, bread = reranker.scores(QUESTION, [VOTE, BREAD])
    assert vote > bread

    reranked = reranker.rerank(QUESTION, ranked)

    assert reranked[0].text == MARATHON
    assert {r.text for r in reranked[:3]} == {LIBRARY, RAIN, MARATHON}
    assert [r.text for r in reranked[3:]] == [BREAD, VOTE]


def test_scores_are_kept_and_only_the_order_changes(reranker: CrossEncoderReranker) -> None:
    ranked = candidates(LIBRARY, RAIN, MARATHON, BREAD)

    reranked = reranker.rerank(QUESTION, ranked)

    assert [r.score for r in reranked] != [r.score for r in ranked]  # the order did change
    assert sorted(reranked, key=lambda r: r.sentence_index) == ranked
    assert not any(new is old for new in reranked for old in ranked)  # copies, not the inputs


def test_identical_texts_are_scored_once(
    reranker: CrossEncoderReranker, monkeypatch: pytest.MonkeyPatch
) -> None:
    predict = reranker.model.predict
    seen: list[Any] = []

    def spy(pairs: list[Any], **kwargs: Any) -> Any:
        seen.extend(pairs)
        return predict(pairs, **kwargs)

    monkeypatch.setattr(reranker.model, "predict", spy)
    texts = [LIBRARY, MARATHON, LIBRARY, MARATHON, RAIN]

    scores = reranker.scores(QUESTION, texts)

    assert len(seen) == 3
    assert scores[0] == scores[2] and scores[1] == scores[3]
    assert max(scores) == scores[1]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        (lambda tmp: str(tmp / "no-such-model"), "could not be loaded"),
        (lambda tmp: "cross-encoder/not-in-the-cache", "could not be loaded"),
        (lambda tmp: str(resolve_model_path(PACKAGED_MODEL)), "not a one-score cross-encoder"),
    ],
    ids=["missing-folder", "uncached-hub-name", "embedding-model"],
)
def test_a_model_that_cannot_rerank_raises_a_one_line_config_error(
    tmp_path: Path, name: Callable[[Path], str], problem: str
) -> None:
    reranker = CrossEncoderReranker(name(tmp_path))

    with pytest.raises(ConfigError) as caught:
        reranker.rerank(QUESTION, candidates(LIBRARY, MARATHON))

    message = str(caught.value)
    assert "\n" not in message
    assert f"reranker '{name(tmp_path)}'" in message and problem in message
    assert "NEWSQA_RERANKER" in message


@pytest.mark.parametrize(
    ("scores", "order"),
    [
        ([0.1, 0.9, 0.5], [1, 2, 0]),
        ([0.5, 0.5, 0.9], [2, 0, 1]),  # ties keep their retrieval order
        ([0.2, 0.7], [1, 0, 2, 3]),  # unscored candidates follow, in their order
        ([], [0, 1, 2, 3]),
    ],
)
def test_reorder_sorts_the_scored_head_only(scores: list[float], order: list[int]) -> None:
    ranked = candidates(*"abcd"[: len(order)])

    assert [r.sentence_index for r in reorder(ranked, scores)] == order


def test_reorder_refuses_more_scores_than_candidates() -> None:
    with pytest.raises(ValueError, match="3 scores for 2 candidates"):
        reorder(candidates("a", "b"), [0.1, 0.2, 0.3])


def test_the_assistant_reorders_its_candidates_with_a_configured_reranker(
    sample_settings: Settings, cross_encoder_dir: Path
) -> None:
    from qa.assistant import Assistant
    from qa.library import open_library

    settings = sample_settings.model_copy(update={"reranker": str(cross_encoder_dir)})
    library = open_library(settings)
    assert isinstance(library.reranker, CrossEncoderReranker)
    plain = library.retriever.retrieve("Who won the ballot?")
    reranked = Assistant(library).ask("Who won the ballot?").retrieved
    # The shown candidates come in the cross-encoder's order, not the ranker's.
    scores = library.reranker.scores("Who won the ballot?", [r.text for r in reranked])
    assert scores == sorted(scores, reverse=True)
    assert [r.text for r in reranked] != [r.text for r in plain[: len(reranked)]]


def test_an_unloadable_reranker_fails_the_question_with_a_config_error(
    sample_settings: Settings, tmp_path: Path
) -> None:
    from qa.assistant import Assistant

    settings = sample_settings.model_copy(update={"reranker": str(tmp_path / "missing")})
    with pytest.raises(ConfigError, match="NEWSQA_RERANKER"):
        Assistant.from_settings(settings).ask("Who won the ballot?")
