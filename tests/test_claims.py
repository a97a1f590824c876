"""Claims read at ingest: names and figures bound to what they count, stored by sentence text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa import claims as claims_module
from qa.claims import Claims, Kind, Tense, annotate
from qa.cli import main
from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder
from qa.ingest.pipeline import Ingestor
from qa.store import Store
from tests.helpers import article_file

FLOOD = [
    "Officials in Marrowby said 1,250 residents were evacuated on Tuesday.",
    "The harbour master, Ines Carver, said repairs would cost £3.5 million.",
]


@pytest.mark.parametrize(
    ("sentence", "text", "value", "counts", "verb", "negated"),
    [
        ("1,250 residents were evacuated.", "1,250", 1250.0, "residents", "evacuate", False),
        ("Three border guards were killed in the raid.", "Three", 3.0, "guards", "kill", False),
        ("The clinic said it was 1,250, not 12,500.", "12,500", 12500.0, None, "be", True),
        ("It will spend 2.5 billion crowns.", "2.5 billion", 2.5e9, "crowns", "spend", False),
        ("Sales rose 14% last year.", "14", 14.0, "%", "rise", False),
        ("Profit fell to $1.2bn.", "1.2bn", 1.2e9, None, "fall", False),
        ("Profit rose to $52m last year.", "52m", 52e6, None, "rise", False),
        # What a sum is "of": the noun it measures.
        ("It was down from a profit of $133m a year ago.", "133m", 133e6, "profit", None, False),
        ("He was given a fine of £50 on Monday.", "50", 50.0, "fine", "give", False),
        ("It earned $10m (£19.2m) in the quarter.", "19.2m", 19.2e6, None, "earn", False),
    ],
)  # fmt: skip
def test_a_figure_is_bound_to_what_it_counts_and_its_verb(
    sentence: str, text: str, value: float, counts: str | None, verb: str, negated: bool
) -> None:
    figure = next(f for f in annotate([sentence])[0].figures if f.text == text)
    assert (figure.value, figure.counts, figure.verb, figure.negated) == (
        value, counts, verb, negated
    )  # fmt: skip
    assert sentence[figure.start : figure.end] == text


def test_names_are_typed_with_their_offsets() -> None:
    sentence = "Mayor Helen Ward met the Harbour Authority in Marrowby on Friday."
    found = {(m.text, m.kind) for m in annotate([sentence])[0].mentions}
    assert ("Helen Ward", Kind.PERSON) in found and ("Marrowby", Kind.PLACE) in found
    assert ("Friday", Kind.DATE) in found
    assert all(sentence[m.start : m.end] == m.text for m in annotate([sentence])[0].mentions)


def test_a_sentence_the_annotator_cannot_read_gets_no_claims() -> None:
    unreadable = ["x" * 5000, "", "\x00\x01\x02"]
    assert [c.figures for c in annotate(unreadable)] == [(), (), ()]


def test_ingest_reads_each_text_once_and_a_new_annotator_version_reads_again(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    # Two outlets carry the same wire text: its sentences are annotated once.
    article_file(tmp_path / "in", "a.txt", "Marrowby flood", FLOOD, outlet="Coast Post")
    article_file(tmp_path / "in", "b.txt", "Marrowby flooded", FLOOD, outlet="Bay Times")
    first = Ingestor(settings, embedder=embedder).ingest([str(tmp_path / "in")])
    assert first.texts_annotated == len(FLOOD)
    store = Store.open(settings.store_path)
    article_id = store.article_ids()[0]
    opening = store.sentences(article_id)[0].text
    figures = store.claims_of([opening])[opening].figures
    assert [(f.value, f.counts, f.verb) for f in figures] == [(1250.0, "residents", "evacuate")]
    again = Ingestor(settings, embedder=embedder).ingest([str(tmp_path / "in")])
    assert again.texts_annotated == 0
    monkeypatch.setattr(claims_module, "ANNOTATOR_VERSION", "test-next")
    upgraded = Ingestor(settings, embedder=embedder).ingest([str(tmp_path / "in")])
    assert (upgraded.texts_annotated, upgraded.vectors_added) == (len(FLOOD), 0)


def test_without_the_pipeline_ingest_stores_everything_and_warns(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(claims_module, "annotate", annotate)  # not the session's memo (conftest)
    monkeypatch.setattr(claims_module, "PIPELINE", "no_such_spacy_pipeline")
    claims_module._pipeline.cache_clear()
    try:
        article_file(tmp_path / "in", "a.txt", "Marrowby flood", FLOOD)
        report = Ingestor(settings, embedder=embedder).ingest([str(tmp_path / "in")])
    finally:
        claims_module._pipeline.cache_clear()
    assert report.added == 1 and not report.failed
    assert any("without claims" in problem for _, problem in report.warnings)
    assert Store.open(settings.store_path).stats().unindexed == 0


def test_show_prints_the_claims_under_each_sentence(sample_settings: Settings) -> None:
    index = str(sample_settings.index_dir)
    store = Store.open(sample_settings.store_path, create=False)
    article_id = next(
        a
        for a in store.article_ids()
        if "4,200 residents" in (store.article(a).text or "")  # type: ignore[union-attr]
    )
    text = CliRunner().invoke(main, ["show", article_id, "--claims", "--index", index]).output
    assert "figure: 4,200 residents [" in text
    assert "Dana Whitcombe (person: Mayor)" in text  # the role the sentence gives her
    as_json = ["show", article_id, "--claims", "--json", "--index", index]
    data = json.loads(CliRunner().invoke(main, as_json).output)
    assert any(f["counts"] == "residents" for c in data["claims"].values() for f in c["figures"])


@pytest.mark.parametrize(
    ("sentence", "speaker", "verb", "content", "target"),
    [
        ('EU chief Charles Michel urged both sides to agree a "full ceasefire".',
         "EU chief Charles Michel", "urge", 'to agree a "full ceasefire"', "both sides"),
        ("Baku accused Yerevan of provoking fire across the border.",
         "Baku", "accuse", "provoking fire across the border", "Yerevan"),
        ("Yerevan blamed an attack by Azerbaijani forces.",
         "Yerevan", "blame", "an attack by Azerbaijani forces", "Azerbaijani forces"),
        ('"We will not back down," said Farhan Haq, UN deputy spokesperson.',
         "Farhan Haq, UN deputy spokesperson", "say", "We will not back down", None),
        ("Five soldiers died, according to Dr. Miro Tessaly, director of the hospital.",
         "Dr. Miro Tessaly, director of the hospital", "according to", "Five soldiers died", None),
        ("The ministry denied that its troops had fired first.",
         "The ministry", "deny", "that its troops had fired first", None),
    ],
)  # fmt: skip
def test_a_statement_names_its_speaker_what_was_said_and_whom_it_aims_at(
    sentence: str, speaker: str, verb: str, content: str, target: str | None
) -> None:
    statement = annotate([sentence])[0].statements[0]
    assert (statement.speaker, statement.verb, statement.content, statement.target) == (
        speaker, verb, content, target
    )  # fmt: skip
    assert sentence[statement.start : statement.end] == statement.content


@pytest.mark.parametrize(
    ("sentence", "tense"),
    [
        ("The crossing will reopen on Monday, officials said.", Tense.FUTURE),
        ("The school is due to reopen on Monday.", Tense.FUTURE),
        ("The ceasefire was agreed on Monday.", Tense.PAST),
        ("Talks broke down on Monday after six hours.", Tense.PAST),
    ],
)
def test_a_date_keeps_the_tense_of_its_verb(sentence: str, tense: Tense) -> None:
    dates = [m for m in annotate([sentence])[0].mentions if m.kind is Kind.DATE]
    assert [m.tense for m in dates] == [tense]


def test_claims_of_an_older_annotator_read_without_statements_or_tenses() -> None:
    old = {"mentions": [{"text": "Monday", "kind": "date", "start": 0, "end": 6, "verb": "say"}],
           "figures": []}  # fmt: skip
    claims = Claims.from_dict(old)
    assert claims.statements == () and claims.mentions[0].tense is None
    assert Claims.from_dict(annotate(FLOOD)[0].to_dict()) == annotate(FLOOD)[0]


def test_a_parse_the_reader_does_not_expect_costs_that_sentence_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One sentence whose reading raises must not stop reading the parses: with worker
    # processes, leaving spaCy's generator early left it waiting for them for ever (an ingest
    # of the 2,293 articles hung). It gets empty claims, the others theirs.
    real_claims, real_nlp = claims_module._claims, claims_module._pipeline()
    finished: list[bool] = []

    class Watched:
        def pipe(self, texts: list[str], **options: object) -> Iterator[object]:
            yield from real_nlp.pipe(texts, batch_size=8)
            finished.append(True)

        def __call__(self, text: str) -> object:
            return real_nlp(text)

    def fragile(doc: object) -> Claims:
        if "Golden rule" in doc.text:  # type: ignore[attr-defined]
            raise IndexError("list index out of range")
        return real_claims(doc)  # type: ignore[arg-type]

    monkeypatch.setattr(claims_module, "_claims", fragile)
    monkeypatch.setattr(claims_module, "_pipeline", lambda: Watched())
    read = claims_module.annotate(["Golden rule 'intact' says ex-aide", "Pay rose 3% in May."])
    assert read[0] == Claims() and read[1].figures
    assert finished == [True]


@pytest.mark.parametrize(
    ("sentence", "name", "roles"),
    [
        ("The talks were led by former labour court judge Harold Fenn.", "Harold Fenn",
         ("judge",)),
        ("The judge, Susan Illston, said she may hold hearings.", "Susan Illston", ("judge",)),
        ("Victor Conte, the Balco founder, denied the charges.", "Victor Conte", ("founder",)),
        # A role of two nouns is named by both: "which secretary" finds the secretary general.
        ('"We oppose the tax," said Jonas Berg, secretary general of the Nordic Ferry '
         "Association.", "Jonas Berg", ("secretary", "general")),
        ('"Costs remain high," said Helen Marsh, BCC director general.', "Helen Marsh",
         ("director", "general")),
        # The tagger reads "chief executive" before a name as adjectives, and "Director" of
        # "Director General" as part of a proper name: both are still the role.
        ("Corvane chief executive Jean-Paul Marten is reported to have held talks.",
         "Jean-Paul Marten", ("executive",)),
        ('"Rates are right," said Omar Venn, Director General of the Tessel Chamber of Trade.',
         "Omar Venn", ("director", "general")),
    ],
)  # fmt: skip
def test_a_person_keeps_the_role_nouns_the_sentence_gives(
    sentence: str, name: str, roles: tuple[str, ...]
) -> None:
    person = next(m for m in annotate([sentence])[0].mentions if m.text == name)
    assert set(roles) <= set(person.roles)


@pytest.mark.parametrize(
    ("sentence", "counts", "of"),
    [
        ("Aerolis remains in dispute with the union over 1,200 planned job cuts.", "cuts", "job"),
        ("Storm Ione caused an estimated $120 million in damage to homes.", None, "damage"),
        ("4,200 residents were evacuated.", "residents", None),
        ("The firm confirmed 1.2 million job cuts.", "cuts", "job"),
    ],
)
def test_a_figure_keeps_what_it_is_of(sentence: str, counts: str | None, of: str | None) -> None:
    (found,) = annotate([sentence])[0].figures
    assert (found.counts, found.of) == (counts, of)


@pytest.mark.parametrize(
    ("sentence", "name", "role_text"),
    [
        ("At least five soldiers were killed, according to Dr. Ivo Brandt, director of the "
         "regional hospital in Selm.", "Ivo Brandt", "director of the regional hospital in Selm"),
        ("The UN special envoy, Dr. Rafael Ostrander, is expected on Sunday.", "Rafael Ostrander",
         "UN special envoy"),
        ("The talks were led by a mediator, former labour court judge Harold Fenn.",
         "Harold Fenn", "mediator, former labour court judge"),
        ("Corvane chief executive Jean-Paul Marten said the firm would cut jobs.",
         "Jean-Paul Marten", "Corvane chief executive"),
        ("Victor Conte, the Balco founder, denied the charges.", "Victor Conte", "Balco founder"),
        ("Petra Holm, 54, a farmer, said the water rose.", "Petra Holm", "farmer"),
        ("Petra Holm said the water rose.", "Petra Holm", None),
        ("His lawyer, John Smith, said he was innocent.", "John Smith", "lawyer"),
        # What a named thing is, too; never a person a dateline runs into.
        ("Enron, the collapsed energy giant, was in court.", "Enron", "collapsed energy giant"),
        ("The envoy will arrive in the Valdorian capital, Castelmar, on Sunday.", "Castelmar",
         "Valdorian capital"),
        ("CASTELMAR, Valdoria — The United Nations special envoy, Dr. Rafael Ostrander, began "
         "talks on Sunday.", "CASTELMAR", None),
    ],
)  # fmt: skip
def test_a_person_keeps_the_words_that_give_their_role(
    sentence: str, name: str, role_text: str | None
) -> None:
    person = next(m for m in annotate([sentence])[0].mentions if m.text == name)
    assert person.role_text == role_text


@pytest.mark.parametrize(
    ("sentence", "person", "organisation"),
    [
        # The small pipeline tags both names as organisations; the role noun says otherwise.
        ('Lib Dem Treasury spokesman Vince Cable branded the plans "fantasy economics".',
         "Vince Cable", "Lib Dem Treasury"),
        ("Wipro is majority owned by India's richest man Azim Premji.", "Azim Premji", None),
    ],
)  # fmt: skip
def test_a_name_under_a_persons_role_noun_is_a_person(
    sentence: str, person: str, organisation: str | None
) -> None:
    kinds = {m.text: m.kind for m in annotate([sentence])[0].mentions}
    assert kinds[person] is Kind.PERSON
    if organisation:
        assert kinds[organisation] is Kind.ORGANISATION


def test_a_name_ending_as_organisations_do_is_an_organisation() -> None:
    kinds = {m.text: m.kind for m in annotate(["Lawyers said Tom Harlow Group would appeal."])[0]
             .mentions}  # fmt: skip
    assert kinds["Tom Harlow Group"] is Kind.ORGANISATION
