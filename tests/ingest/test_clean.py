"""Boilerplate cleaning: each rule removes its noise with its reason, and real text survives.

All article text here is invented (Port Elara, The Harbour Daily, Northwind Lines).
"""

from __future__ import annotations

import pytest

from qa.ingest.clean import REASONS, clean_article_text

LEAD = "Ferry crews on the Elara Island route walked out on Thursday, halting every crossing."
SECOND = "The harbour authority said about 4,000 passengers a day use the service."
LAST = "Northwind Lines said a water taxi would carry patients while the strike lasts."


def _removed(body: str, title: str | None = None) -> list[tuple[str, str]]:
    return [(r.text, r.reason) for r in clean_article_text(body, title=title).removed]


# --------------------------------------------------------------------------- each rule

NOISE = [
    # credits
    ("AP", "credit"),
    ("AFP", "credit"),
    ("Reuters", "credit"),
    ("Getty Images", "credit"),
    ("EPA", "credit"),
    ("AA", "credit"),
    ("Anadolu Agency", "credit"),
    ("AFP/Getty Images", "credit"),
    ("AP Photo/Jo Marsh", "credit"),
    ("Photo: Tom Vale", "credit"),
    ("(Credit: Tom Vale / Harbour Daily)", "credit"),
    ("Photograph: Lena Ortiz/Reuters", "credit"),
    ("Image copyright Northwind Pictures", "credit"),
    ("File photo", "credit"),
    ("HARBOURNEWS.COM", "credit"),
    # loading placeholders
    ("Loading...", "loading"),
    ("Loading", "loading"),
    ("Loading…", "loading"),
    # advertisements, including look-alike Cyrillic letters
    ("Advertisement", "advertisement"),
    ("ADVERTISEMENT", "advertisement"),
    ("Skip Advertisement", "advertisement"),
    ("Story continues below advertisement", "advertisement"),
    ("Advertise", "advertisement"),
    ("\u0410dv\u0435rt\u0456\u0455\u0435", "advertisement"),  # А, е, і, ѕ are Cyrillic
    ("Advertise with us: reach 50,000 readers on the island every week.", "advertisement"),
    # teasers
    ("READ MORE: Harbour council approves new ferry route", "teaser"),
    ("Read more: Ferry fares to rise by 4% in April", "teaser"),
    ("Related: Island doctor asks for patience", "teaser"),
    ("RELATED: Northwind Lines posts record profit", "teaser"),
    ("Also read: How the ferry strike unfolded", "teaser"),
    ("See also: Elara Island in pictures", "teaser"),
    ("WATCH: Crews gather at the quay", "teaser"),
    ("More on the ferry strike:", "teaser"),
    ("Recommended: Ten walks on Elara Island", "teaser"),
    ("Related", "teaser"),
    ("Related Articles", "teaser"),
    ("Most Read", "teaser"),
    ("Top Stories", "teaser"),
    # prompts
    ("Sign up for our morning newsletter", "prompt"),
    ("Subscribe to The Harbour Daily for 1 euro a week", "prompt"),
    ("Share this article", "prompt"),
    ("Share on Facebook", "prompt"),
    ("Share on Twitter", "prompt"),
    ("Share on X", "prompt"),
    ("Follow us on Instagram", "prompt"),
    ("Follow The Harbour Daily on Facebook", "prompt"),
    ("Click here to read the full report", "prompt"),
    (
        "Get The Harbour Daily's Daily Edition by email and never miss our top stories "
        "Free Sign Up",
        "prompt",
    ),
    ("If you're on the Harbour Daily app, click here to watch live", "prompt"),
    ("Join our WhatsApp channel for breaking news", "prompt"),
    ("Join our Telegram group", "prompt"),
    ("Download our app", "prompt"),
    (
        "The Harbour Briefing is our weekly newsletter on island life. Sign up here.",
        "prompt",
    ),
    # copyright
    ("© 2020 Harbour Daily Media", "copyright"),
    ("© 2026, HarbourDaily.example. Reprinting without permission is prohibited.", "copyright"),
    ("Copyright 2023 Northwind Television. All rights reserved.", "copyright"),
    ("(c) 2021 Harbour Daily", "copyright"),
    ("All rights reserved.", "copyright"),
    ("This material may not be published, broadcast, rewritten or redistributed.", "copyright"),
    # navigation
    ("Home | World | Business", "navigation"),
    ("News › Europe › Elara", "navigation"),
    ("Home > Regions > Coast", "navigation"),
    ("Posted: Thursday, April 2, 2026. 9:15 am CST.", "navigation"),
    ("Release Date:", "navigation"),
    ("Last updated 5 March 2026, 14:30 GMT", "navigation"),
    ("March 5, 2026", "navigation"),
    ("Tags: ferries, Elara Island, strikes", "navigation"),
    ("____________________", "navigation"),
]


@pytest.mark.parametrize(("noise", "reason"), NOISE, ids=[n for n, _ in NOISE])
def test_noise_between_paragraphs_is_removed_with_its_reason(noise: str, reason: str) -> None:
    cleaned = clean_article_text(f"{LEAD}\n\n{noise}\n\n{LAST}")
    assert [(r.text, r.reason) for r in cleaned.removed] == [(noise, reason)]
    assert cleaned.text == f"{LEAD}\n\n{LAST}"


@pytest.mark.parametrize(("noise", "reason"), NOISE[:40:3], ids=[n for n, _ in NOISE[:40:3]])
def test_noise_on_single_newline_lines_is_removed(noise: str, reason: str) -> None:
    cleaned = clean_article_text(f"{LEAD}\n{noise}\n{LAST}")
    assert [(r.text, r.reason) for r in cleaned.removed] == [(noise, reason)]
    assert cleaned.text == f"{LEAD}\n\n{LAST}"


def test_every_reason_used_is_a_known_reason() -> None:
    assert {reason for _, reason in NOISE} <= set(REASONS)


# --------------------------------------------------------------------------- what stays

KEEP = [
    "The council said the advertisement had misled buyers about the ferry timetable.",
    "Reuters reported that the port would reopen on Monday.",
    "AP reporters saw crews leaving the quay before dawn.",
    "Related to the ferry dispute, the council also voted on parking fees.",
    "Related talks will take place in the harbour office on Friday.",
    "Subscribers to the monthly ferry pass will get a refund, the operator said.",
    "Share prices in Northwind Lines fell 3% on Thursday.",
    "Follow-up talks are planned for next week.",
    "Copyright law was at the centre of the case against the operator.",
    "More than 200 people gathered at the quay.",
    "Watch parties for the council vote were held in two cafés.",
    "Loading of the cargo ships began at dawn despite the strike.",
    "Photo booths were set up in the square for the festival.",
    "Click-and-collect sales rose while the ferries were idle.",
    "Sign-up rates for the evening classes doubled, the school said.",
    "Home to 4,000 people, Elara Island relies on the ferry for supplies.",
    "Tags on the lifejackets will be checked before the service resumes.",
    "Updated figures show that 12 crossings were cancelled.",
    "Posted workers from the mainland were sent home.",
    "Most read the notice on the harbour wall, one resident said.",
    "Top officials from the harbour authority met union leaders.",
    "Advertising revenue at the island radio station fell by a third.",
    '"Advertise the new rosters properly," the union secretary said.',
    "Join the queue early, officials told passengers on Friday.",
    "Get well soon cards were left at the ferry office.",
    "Image rights for the festival photographs belong to the council.",
    "File sharing between the port and the operator is being reviewed.",
    "Follow the signs to the water taxi, the harbour master said.",
]


@pytest.mark.parametrize("sentence", KEEP)
def test_real_sentences_that_look_like_noise_are_kept(sentence: str) -> None:
    body = f"{LEAD}\n\n{sentence}\n\n{LAST}"
    cleaned = clean_article_text(body)
    assert cleaned.removed == ()
    assert cleaned.text == body


def test_crossheads_in_the_middle_are_kept() -> None:
    body = f"{LEAD}\n\nTalks stall\n\n{SECOND}\n\nWhat happens next\n\n{LAST}"
    cleaned = clean_article_text(body)
    assert cleaned.removed == ()
    assert cleaned.text == body


# --------------------------------------------------------------------------- paragraphs


@pytest.mark.parametrize(
    ("body", "paragraphs"),
    [
        # a line without sentence punctuation followed by a lowercase line: one paragraph
        (
            "The mayor said the new ferry\nwould start running in June.",
            ["The mayor said the new ferry would start running in June."],
        ),
        # several wrapped lines, and a wrap after a comma
        (
            "Officials said the harbour,\nOnce the busiest on the coast, had lost\nhalf its "
            "traffic since 2019.\n\n" + SECOND,
            [
                "Officials said the harbour, Once the busiest on the coast, had lost half its "
                "traffic since 2019.",
                SECOND,
            ],
        ),
        # single newlines between full sentences separate paragraphs
        (f"{LEAD}\n{SECOND}\n{LAST}", [LEAD, SECOND, LAST]),
        # a short crosshead line before an uppercase line stays on its own
        (f"{LEAD}\nTalks stall\n{SECOND}", [LEAD, "Talks stall", SECOND]),
        # whitespace inside a paragraph becomes single spaces; blank runs and CRLF are fine
        (
            "  Ferry   crews\twalked out \r\n\r\n\r\n\n  on Thursday .  ",
            ["Ferry crews walked out", "on Thursday ."],
        ),
        # a dateline split from its paragraph
        ("PORT ELARA —\nFerry crews walked out.", ["PORT ELARA — Ferry crews walked out."]),
        # hyphenated word broken across lines
        ("The long-\nawaited talks begin today.", ["The long-awaited talks begin today."]),
        # a bulleted list keeps its items
        (
            "Key facts\n- 4,000 passengers a day\n- 11 years",
            ["Key facts", "- 4,000 passengers a day", "- 11 years"],
        ),
    ],
)
def test_paragraphs_and_hard_wraps(body: str, paragraphs: list[str]) -> None:
    assert clean_article_text(body).text.split("\n\n") == paragraphs


def test_short_credit_line_is_never_joined_to_a_wrapped_caption() -> None:
    body = f"{LEAD}\n\nCrews on the quay in Port Elara\nAP\n\n{LAST}"
    assert _removed(body) == [("Crews on the quay in Port Elara", "caption"), ("AP", "credit")]


def test_blank_line_separated_body_joins_long_wrapped_lines() -> None:
    body = (
        "Ferry crews on the Elara Island route walked out on Thursday\n"
        "Morning, halting every crossing.\n\n" + LAST
    )
    assert clean_article_text(body).text == (
        "Ferry crews on the Elara Island route walked out on Thursday Morning, halting every "
        "crossing.\n\n" + LAST
    )


def test_empty_body() -> None:
    assert clean_article_text("") == clean_article_text(" \n\n \n")
    assert clean_article_text("").text == ""


# --------------------------------------------------------------------------- captions, repeats


def test_caption_printed_twice_with_a_credit_is_removed_everywhere() -> None:
    caption = "Empty ferries wait at the quay in Port Elara, where crews walked out on Thursday."
    body = f"{LEAD}\n\n{caption}\nAP\n\n{caption}\n\n{SECOND}\n\n{LAST}"
    cleaned = clean_article_text(body)
    assert [(r.text, r.reason) for r in cleaned.removed] == [
        (caption, "caption"),
        ("AP", "credit"),
        (caption, "caption"),
    ]
    assert cleaned.text == f"{LEAD}\n\n{SECOND}\n\n{LAST}"


def test_caption_is_removed_even_when_its_copy_comes_first() -> None:
    caption = "Empty ferries wait at the quay in Port Elara on Thursday."
    body = f"{caption}\n\n{LEAD}\n\n{caption}\nReuters\n\n{LAST}"
    assert [reason for _, reason in _removed(body)] == ["caption", "caption", "credit"]


def test_unpunctuated_caption_before_a_credit_is_a_caption() -> None:
    caption = "Union secretary Mara Kell speaks to crews at the quay"
    body = f"{LEAD}\n\n{caption}\nPhoto: Tom Vale\n\n{LAST}"
    assert _removed(body) == [
        ("Union secretary Mara Kell speaks to crews at the quay", "caption"),
        ("Photo: Tom Vale", "credit"),
    ]


def test_real_paragraph_before_a_lone_credit_is_kept() -> None:
    # An image with a credit but no caption: the paragraph above it is article text.
    body = f"{LEAD}\n\n{SECOND}\n\n(Credit: Tom Vale / Harbour Daily)\n\n{LAST}"
    cleaned = clean_article_text(body)
    assert _removed(body) == [("(Credit: Tom Vale / Harbour Daily)", "credit")]
    assert cleaned.text == f"{LEAD}\n\n{SECOND}\n\n{LAST}"


def test_short_crosshead_before_a_credit_is_kept() -> None:
    body = f"{LEAD}\n\nTalks stall\nAFP\n\n{LAST}"
    assert _removed(body) == [("AFP", "credit")]


def test_repeated_paragraph_keeps_its_first_copy() -> None:
    body = f"{LEAD}\n\n{SECOND}\n\n{LAST}\n\n{SECOND}"
    cleaned = clean_article_text(body)
    assert _removed(body) == [(SECOND, "duplicate")]
    assert cleaned.text == f"{LEAD}\n\n{SECOND}\n\n{LAST}"


def test_short_repeated_answers_and_list_labels_are_not_duplicates() -> None:
    label = "Winner plays in final"
    body = f"{LEAD}\n\nYes.\n\n{SECOND}\n\nYes.\n\n{label}\n\n{label}\n\n{LAST}"
    assert _removed(body) == []


# --------------------------------------------------------------------------- headline


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("Ferry strike halts crossings to Elara", "Ferry strike halts crossings to Elara"),
        ("FERRY STRIKE  halts crossings to Elara", "Ferry strike halts crossings to Elara"),
        ("Ferry strike halts crossings to Elara", "Ferry strike halts crossings to Elara."),
        ("Ferry strike halts crossings", "Ferry strike halts crossings - The Harbour Daily"),
        ("Islanders’ ferry halted", "Islanders' ferry halted"),
    ],
)
def test_first_line_repeating_the_title_is_the_headline(first_line: str, title: str) -> None:
    cleaned = clean_article_text(f"{first_line}\n\n{LEAD}\n\n{LAST}", title=title)
    assert [(r.text, r.reason) for r in cleaned.removed] == [
        (" ".join(first_line.split()), "headline")
    ]
    assert cleaned.text == f"{LEAD}\n\n{LAST}"


def test_headline_below_a_date_line_or_standfirst_is_found() -> None:
    title = "Ferry strike halts crossings to Elara"
    body = f"Crews walk out over new rosters\n{title}\n{LEAD}\n{LAST}"
    assert _removed(body, title) == [(title, "headline")]


def test_headline_is_kept_when_no_title_or_a_different_title_is_given() -> None:
    body = f"Ferry strike halts crossings\n\n{LEAD}"
    assert _removed(body) == []
    assert _removed(body, "Strike on Elara ferries") == []


def test_title_text_later_in_the_article_is_not_a_headline() -> None:
    title = "Talks stall"
    body = f"{LEAD}\n\n{SECOND}\n\n{SECOND.replace('4,000', '5,000')}\n\nTalks stall\n\n{LAST}"
    assert _removed(body, title) == []


# --------------------------------------------------------------------------- trailing fragments


def test_stray_fragments_after_the_last_paragraph_are_navigation() -> None:
    body = f"{LEAD}\n\nTalks stall\n\n{LAST}\n\nREAD MORE: Fares to rise in April\n\nRoute 9"
    cleaned = clean_article_text(body)
    assert _removed(body) == [
        ("READ MORE: Fares to rise in April", "teaser"),
        ("Route 9", "navigation"),
    ]
    assert cleaned.text == f"{LEAD}\n\nTalks stall\n\n{LAST}"


def test_several_stray_tags_at_the_end_are_navigation() -> None:
    body = f"{LEAD}\n\n{LAST}\n\nFerries\n\nElara Island\n\nStrikes"
    assert [reason for _, reason in _removed(body)] == ["navigation"] * 3


def test_short_lines_ending_a_list_or_table_are_kept() -> None:
    # Line-ups and results end with short data lines: not navigation.
    body = (
        f"{LEAD}\n\nElara Rovers: Kell, Ortiz, Vale, Marsh, Ruiz.\n\nAttendance\n\n3,204\n\n"
        "Referee\n\nJ Marsh (Port Elara)"
    )
    assert _removed(body) == []


def test_an_article_made_only_of_short_lines_keeps_them() -> None:
    assert _removed("Ferry strike\n\nElara Island") == []


def test_feed_syndication_footer_is_a_teaser() -> None:
    body = (
        "The council approved the plan on Monday after a long debate.\n\n"
        "The post Council approves plan appeared first on Capital Watch."
    )
    cleaned = clean_article_text(body)
    assert cleaned.text == "The council approved the plan on Monday after a long debate."
    assert [(r.reason, r.text[:8]) for r in cleaned.removed] == [("teaser", "The post")]


def test_a_sentence_about_a_post_is_kept() -> None:
    body = "The post of mayor appeared first on the ballot in 1921, historians said."
    assert clean_article_text(body).text == body
