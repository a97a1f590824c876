"""Quotes joined to their speaker across sentences and paragraphs, from claims the real
annotator reads."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from qa.claims import annotate
from qa.cli import main
from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder
from qa.ingest.pipeline import Ingestor
from qa.quotes import joined
from qa.store import Store
from qa.types import Sentence
from tests.helpers import write

# (paragraph, text)
ARTICLE = [
    (0, '"We came with proposals to save more than 400 jobs," said Teresa Kwan, the union\'s '
        "president."),
    (0, '"Management would not even take the paper from the table."'),
    (1, '"It is an insult to every worker here," she added.'),
    (2, "Aerolis said the offer was final."),
    (3, "The weather in the city was mild on Tuesday."),
    (4, '"This is not over."'),
    (5, 'Marta Kovacs said: "The bloc is ready to help.'),
    (5, 'We will send monitors within days."'),
]  # fmt: skip


def _read() -> dict[int, list[tuple[str, str]]]:
    sentences = [Sentence("a", n, 0, len(t), t, paragraph=p) for n, (p, t) in enumerate(ARTICLE)]
    texts = [t for _, t in ARTICLE]
    claims = dict(zip(texts, annotate(texts), strict=True))
    out = joined(sentences, claims)
    return {n: [(st.speaker, st.content) for st in c.statements] for n, c in out.items()}


def test_a_quote_that_goes_on_is_its_speakers_and_a_pronoun_is_the_last_speaker_named() -> None:
    said = _read()
    kwan = "Teresa Kwan, the union's president"
    # The next sentence of the same quotation, without an attribution of its own.
    assert said[1] == [(kwan, "Management would not even take the paper from the table")]
    # "she added", in the next paragraph: Kwan, not "she".
    assert [s for s, _ in said[2]] == [kwan]
    assert [s for s, _ in said[3]] == ["Aerolis"]
    # A quotation after a sentence of narration is no one's: never a guess.
    assert said[5] == []
    # A quotation left open at the end of a sentence goes on in the next one.
    assert said[7] and said[7][0][0] == "Marta Kovacs"
    assert "monitors" in said[7][0][1]


def test_show_claims_gives_a_quote_that_goes_on_to_its_speaker(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    body = (
        '"We came with proposals to save more than 400 jobs," said Teresa Kwan, the union\'s '
        'president. "Management would not even take the paper from the table."\n\n'
        '"It is an insult to every worker here," she added.\n'
    )
    write(tmp_path / "in" / "talks.txt",
          f"Title: Talks collapse\nSource: Test Times\nDate: 2026-03-02\n\n{body}")  # fmt: skip
    settings = Settings(index_dir=tmp_path / "index")
    Ingestor(settings, embedder=embedder).ingest([str(tmp_path / "in")])
    store = Store.open(settings.store_path, create=False)
    article_id = store.article_ids()[0]
    command = ["show", article_id, "--claims", "--json", "--index", str(settings.index_dir)]
    data = json.loads(CliRunner().invoke(main, command).output)
    speakers = {
        n: [st["speaker"] for st in claims["statements"]] for n, claims in data["claims"].items()
    }
    kwan = "Teresa Kwan, the union's president"
    assert speakers == {"0": [kwan], "1": [kwan], "2": [kwan]}


def test_narration_after_a_quote_left_open_is_nobodys() -> None:
    from qa.claims import Claims, Statement

    opened = 'But Campese added: "Scotland could have won. "Basically they played well.'
    narration = "England are second bottom in the Six Nations table."
    texts = [opened, narration]
    said = Statement("Campese", "add", "Scotland could have won.", None, False, 20, 44)
    claims = {opened: Claims(statements=(said,)), narration: Claims()}
    sentences = [Sentence("a", n, 0, len(t), t, paragraph=0) for n, t in enumerate(texts)]
    assert joined(sentences, claims)[1].statements == ()
