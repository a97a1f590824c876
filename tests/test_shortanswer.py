"""Short answers read from stored claims: bound values, agreement across reports, conflict."""

from __future__ import annotations

import pytest

from qa.claims import Claims, Figure, Kind, Mention
from qa.question import analyse
from qa.shortanswer import agreed, short_answer
from qa.types import Agreement, Answer, Citation, Outcome


def cite(
    n: int, sentence: str, article: str, source: str, also_in: tuple[str, ...] = ()
) -> Citation:
    return Citation(
        n=n, article_id=article, title=None, source=source, author=None, published=None,
        url=None, path="x.txt", sentence=sentence, sentence_index=0, start=0, end=1,
        also_in=also_in,
    )  # fmt: skip


def figure(text: str, value: float, counts: str | None, verb: str | None, **kw: object) -> Figure:
    options = {"unit": None, "negated": False, "start": 0, "end": len(text)} | kw
    return Figure(text, value, counts, options["unit"], verb, options["negated"],  # type: ignore[arg-type]
                  options["start"], options["end"], options.get("of"))  # type: ignore[arg-type]  # fmt: skip


KILLED_3 = "Three soldiers were killed near the pass, officials said."
KILLED_5 = "The hospital said five soldiers were killed."
TANKS = "Forty tanks crossed the border and three soldiers were killed."
CLAIMS = {
    KILLED_3: Claims(figures=(figure("Three", 3, "soldiers", "kill"),)),
    KILLED_5: Claims(figures=(figure("five", 5, "soldiers", "kill"),)),
    TANKS: Claims(
        figures=(figure("Forty", 40, "tanks", "cross"), figure("three", 3, "soldiers", "kill"))
    ),
}  # fmt: skip
KILLED = analyse("How many soldiers were killed?")


def test_the_figure_bound_to_the_asked_noun_wins_over_the_first_number() -> None:
    found = short_answer(KILLED, [cite(1, TANKS, "a", "Post")], CLAIMS)
    assert found.text == "three soldiers"


def test_a_negated_figure_is_a_correction_never_the_answer() -> None:
    text = "It was 4,200 residents, not 42,000."
    corrected = figure("42,000", 42000, "residents", "be", negated=True)
    claims = {text: Claims(figures=(figure("4,200", 4200, "residents", "be"), corrected))}
    found = short_answer(
        analyse("How many residents were there?"), [cite(1, text, "a", "P")], claims
    )
    assert found.text == "4,200 residents" and len(found.agreement) == 1


def test_a_sum_and_its_conversion_are_the_one_sum_a_money_question_asks_for() -> None:
    text = "India has signed a $40bn (£21bn) deal to import gas from Iran."
    sums = (figure("40bn", 40e9, None, "sign", unit="$", start=19, end=24),
            figure("21bn", 21e9, None, "sign", unit="£", start=26, end=31))  # fmt: skip
    question = analyse("How much is India's gas deal with Iran worth?")
    found = short_answer(question, [cite(1, text, "a", "P")], {text: Claims(figures=sums)})
    assert found.text == "$40bn"
    two = (sums[0], figure("9bn", 9e9, None, "pay", unit="$", start=50, end=54))
    other = short_answer(question, [cite(1, text, "a", "P")], {text: Claims(figures=two)})
    assert other.text is None


def test_a_sum_named_by_its_currency_is_money() -> None:
    text = "Net income in the last quarter was 4.3bn rupees, against 2.7bn a year earlier."
    sums = (figure("4.3bn", 4.3e9, "rupees", "be"), figure("2.7bn", 2.7e9, None, "be"))
    question = analyse("What was Wipro's net income in the last quarter?")
    found = short_answer(question, [cite(1, text, "a", "P")], {text: Claims(figures=sums)})
    assert found.text == "4.3bn rupees"


def test_a_number_not_bound_to_the_question_is_no_short_answer() -> None:
    text = "The council met in 2024 and 12 members voted."
    claims = {text: Claims(figures=(figure("12", 12, "members", "vote"),))}
    assert short_answer(KILLED, [cite(1, text, "a", "P")], claims).text is None


@pytest.mark.parametrize(
    ("citations", "values", "conflict"),
    [
        # Two outlets, the same figure: one group, no conflict.
        ([cite(1, KILLED_3, "a", "Post"), cite(2, TANKS, "b", "Times")], ["Three soldiers"], False),
        # Two outlets, different figures: both shown, a conflict.
        ([cite(1, KILLED_3, "a", "Post"), cite(2, KILLED_5, "b", "Times")],
         ["Three soldiers", "five soldiers"], True),
        # One wire story carried twice gives one story: its figures cannot conflict with it.
        ([cite(1, KILLED_3, "a", "Post", also_in=("b",)), cite(2, KILLED_5, "b", "Times")],
         ["Three soldiers", "five soldiers"], False),
    ],
)  # fmt: skip
def test_values_are_grouped_across_citations_and_differences_are_never_hidden(
    citations: list[Citation], values: list[str], conflict: bool
) -> None:
    found = short_answer(KILLED, citations, CLAIMS)
    assert [a.value for a in found.agreement] == values and found.conflict is conflict


def test_agreement_of_independent_reports_but_not_of_wire_copies() -> None:
    two = [cite(1, KILLED_3, "a", "Post"), cite(2, TANKS, "b", "Times")]
    assert agreed(short_answer(KILLED, two, CLAIMS), two) == (1, 2)
    copies = [cite(1, KILLED_3, "a", "Post", also_in=("b",)), cite(2, TANKS, "b", "Times")]
    assert agreed(short_answer(KILLED, copies, CLAIMS), copies) == ()


def test_who_reads_a_person_not_named_in_the_question() -> None:
    text = "EU chief Charles Michel urged both sides to agree a full ceasefire."
    eu = Mention("EU", Kind.ORGANISATION, 0, 2, None)
    michel = Mention("Charles Michel", Kind.PERSON, 9, 23, "urge")
    claims = {text: Claims(mentions=(eu, michel))}
    found = short_answer(analyse("Who urged a ceasefire?"), [cite(1, text, "a", "P")], claims)
    assert found.text == "Charles Michel"


def test_the_short_answer_line_names_who_agrees_and_who_differs() -> None:
    cites = (cite(1, KILLED_3, "a", "Post"), cite(2, KILLED_5, "b", "Times"))
    agree = Answer("Q?", "A.", cites, Outcome.ANSWER, short_answer="3 soldiers",
                   agreement=(Agreement("3 soldiers", (1, 2)),))  # fmt: skip
    assert agree.short_answer_line() == "3 soldiers (2 outlets agree) [1][2]"
    groups = (Agreement("3 soldiers", (1,)), Agreement("5 soldiers", (2,)))
    differ = Answer("Q?", "A.", cites, Outcome.ANSWER, short_answer="3 soldiers", conflict=True,
                    agreement=groups)  # fmt: skip
    assert (
        differ.short_answer_line()
        == "Sources differ: 3 soldiers (Post) [1]; 5 soldiers (Times) [2]"
    )
    data = differ.to_dict()
    assert data["short_answer"] == "3 soldiers" and data["conflict"] is True
    assert data["agreement"] == [{"value": "3 soldiers", "citations": [1]},
                                 {"value": "5 soldiers", "citations": [2]}]  # fmt: skip
    assert Answer.from_dict(data) == differ


def test_a_person_asked_for_by_role_is_one_named_as_that() -> None:
    # "Who is the judge?" is not answered by the first person in the sentence.
    from qa.claims import annotate
    from qa.question import analyse
    from qa.shortanswer import bound_value

    sentence = "Victor Conte, the Balco founder, said the judge, Susan Illston, had been unfair."
    found = bound_value(analyse("Who is the judge in the Balco case?"), annotate([sentence])[0])
    assert found is not None and found.text == "Susan Illston"
    alone = "Victor Conte, the Balco founder, denied the charges."
    assert bound_value(analyse("Who is the judge in the Balco case?"), annotate([alone])[0]) is None


def test_a_person_named_in_the_role_asked_is_bound_when_the_role_is_the_questions() -> None:
    from qa.shortanswer import bound_value

    mayor = Mention("Dana Whitcombe", Kind.PERSON, 13, 27, "say", roles=("mayor",))
    town = Mention("PORT ELARA", Kind.PLACE, 0, 10)
    other = Mention("Castelmar", Kind.PLACE, 40, 49)
    for question in ("Who is the mayor of Port Elara?", "Who is Port Elara's mayor?"):
        asked = analyse(question)
        assert asked.role == "mayor"
        # The sentence names the town whose mayor is asked, or no place at all (the story's).
        for claims in (Claims(mentions=(town, mayor)), Claims(mentions=(mayor,))):
            found = bound_value(asked, claims)
            assert found is not None and found.text == "Dana Whitcombe" and found.strong
        # Another town's mayor is a mayor, not the one asked for: only loosely bound.
        found = bound_value(asked, Claims(mentions=(mayor, other)))
        assert found is not None and not found.strong
        # Nor is a person the sentence names in another role.
        clerk = Mention("Ann Vale", Kind.PERSON, 13, 21, "say", roles=("clerk",))
        assert bound_value(asked, Claims(mentions=(town, clerk))) is None
    # Whose role, by whole words: "UN" is not in "Hungary".
    envoy = Mention("Lena Falk", Kind.PERSON, 13, 22, "say", roles=("envoy",))
    hungary = Mention("Hungary", Kind.PLACE, 30, 37)
    found = bound_value(analyse("Who is the UN's envoy?"), Claims(mentions=(envoy, hungary)))
    assert found is not None and not found.strong
    # News writes "boss" for a manager or a chief executive.
    club = Mention("Harwick", Kind.ORGANISATION, 0, 7)
    boss = Mention("Ivo Marsh", Kind.PERSON, 13, 22, "say", roles=("boss",))
    found = bound_value(analyse("Who is Harwick's manager?"), Claims(mentions=(club, boss)))
    assert found is not None and found.text == "Ivo Marsh" and found.strong


def test_who_or_what_is_x_is_bound_to_what_the_sentence_says_x_is() -> None:
    from qa.shortanswer import bound_value

    tessaly = Mention("Miro Tessaly", Kind.PERSON, 0, 12, roles=("director",),
                      role_text="director of the regional hospital")  # fmt: skip
    found = bound_value(analyse("Who is Miro Tessaly?"), Claims(mentions=(tessaly,)))
    assert found is not None and found.text == "director of the regional hospital"
    assert found.strong
    # A title in the question is no part of the name; a surname alone may be another person.
    randall = Mention("Ewa Randall", Kind.PERSON, 0, 11, roles=("president",),
                      role_text="Valdoria's President")  # fmt: skip
    found = bound_value(analyse("Who is President Ewa Randall?"), Claims(mentions=(randall,)))
    assert found is not None and found.strong
    other = Mention("Randall", Kind.PERSON, 0, 7, roles=("mayor",), role_text="Mayor")
    found = bound_value(analyse("Who is Ewa Randall?"), Claims(mentions=(other,)))
    assert found is not None and not found.strong
    leyen = Mention("Ursula von der Leyen", Kind.PERSON, 0, 20, roles=("president",),
                    role_text="European Commission president")  # fmt: skip
    found = bound_value(analyse("Who is Ursula von der Leyen?"), Claims(mentions=(leyen,)))
    assert found is not None and found.text == "European Commission president"
    capital = Mention("Castelmar", Kind.PLACE, 40, 49, role_text="Valdorian capital")
    found = bound_value(analyse("What is Castelmar?"), Claims(mentions=(capital,)))
    assert found is not None and found.text == "Valdorian capital" and found.strong
    # "Who is Port Elara's Mayor?" asks for the mayor, not what someone called Mayor is.
    mayor = Mention("Dana Whitcombe", Kind.PERSON, 0, 14, roles=("mayor",), role_text="Mayor")
    town = Mention("Port Elara", Kind.PLACE, 20, 30)
    found = bound_value(analyse("Who is Port Elara's Mayor?"), Claims(mentions=(town, mayor)))
    assert found is not None and found.text == "Dana Whitcombe"


def test_binding_tells_a_bound_value_from_one_of_the_type_from_nothing_of_it() -> None:
    from qa.shortanswer import ABSENT, PRESENT, STRONG, WEAK, binding, typed

    tanks_only = "Forty tanks crossed the border."
    claims = {**CLAIMS, tanks_only: Claims(figures=(figure("Forty", 40, "tanks", "cross"),))}
    assert binding(KILLED, claims[TANKS]) == STRONG
    assert binding(KILLED, claims[tanks_only]) == PRESENT  # a number, counting something else
    assert binding(KILLED, Claims()) == ABSENT
    assert binding(KILLED, None) == ABSENT
    died = Claims(figures=(figure("three", 3, "people", "kill"),))
    assert binding(KILLED, died) == WEAK  # bound by the verb alone
    # "Which judge ...?": a person named, but not as a judge, is of the type only loosely.
    judge = analyse("Which judge is presiding over the case?")
    lawyer = Claims(mentions=(Mention("Ann Vale", Kind.PERSON, 0, 8, roles=("lawyer",)),))
    named = Claims(mentions=(Mention("Tom Reed", Kind.PERSON, 0, 8, roles=("judge",)),))
    assert typed(judge) and binding(judge, lawyer) == ABSENT
    assert binding(judge, named) >= WEAK
    untyped = analyse("What happened after the talks collapsed?")
    assert not typed(untyped) and binding(untyped, claims[TANKS]) == ABSENT


@pytest.mark.parametrize(
    ("question", "figures", "expected"),
    [
        # The counted noun's family, with the verb: people are counted as users, texts as
        # messages.
        ("How many people use Skype worldwide?", [("28 million", 28e6, "users", "use")],
         "28 million users"),
        ("How many texts are sent each day?", [("78 million", 78e6, "messages", "send")],
         "78 million messages"),
        # A share is a percentage, whatever it is a share of.
        ("What share of households watch less TV?", [("40", 40, "%", "say")], "40%"),
        # "By how much did it grow": the percentage the verb of change binds, not the sum.
        ("By how much did revenues grow in the quarter?",
         [("11", 11, "%", "increase"), ("3.1bn", 3.1e9, None, "increase")], "11%"),
        # The verb's family binds: a profit is made as it is earned.
        ("How much profit did the firm make?",
         [("4", 4, "stores", "open"), ("52m", 5.2e7, "profit", "earn")], "$52m profit"),
    ],
)  # fmt: skip
def test_a_value_is_bound_through_the_words_news_uses_for_the_same_thing(
    question: str, figures: list[tuple[str, float, str | None, str]], expected: str
) -> None:
    text = "A sentence."
    read = tuple(
        figure(t, v, c, verb, unit="%" if c == "%" else "$" if c == "profit" else None)
        for t, v, c, verb in figures
    )
    found = short_answer(analyse(question), [cite(1, text, "a", "P")], {text: Claims(figures=read)})
    assert found.text == expected and found.strong


def test_what_a_figure_is_of_binds_it_as_the_counted_noun_does() -> None:
    # "1,200 planned job cuts" counts jobs cut; "$120 million in damage" is a sum of damage.
    cuts = "The union is in dispute with Aerolis over 1,200 planned job cuts."
    claims = Claims(figures=(figure("1,200", 1200, "cuts", "plan", of="job"),))
    found = short_answer(analyse("How many jobs will Aerolis cut?"), [cite(1, cuts, "a", "P")],
                         {cuts: claims})  # fmt: skip
    assert found.text == "1,200 job cuts" and found.strong
    # Cuts of something else are not the jobs asked for.
    routes = Claims(figures=(figure("12", 12, "cuts", "plan", of="route"),))
    found = short_answer(analyse("How many jobs will Aerolis cut?"), [cite(1, cuts, "a", "P")],
                         {cuts: routes})  # fmt: skip
    assert found.text == "12 route cuts" and not found.strong
    damage = "Storm Ione caused an estimated $120 million in damage, and $2m in overtime."
    sums = Claims(figures=(figure("120 million", 1.2e8, None, "cause", unit="$", of="damage"),
                           figure("2m", 2e6, None, "pay", unit="$", of="overtime")))  # fmt: skip
    found = short_answer(analyse("How much damage did Storm Ione cause?"),
                         [cite(1, damage, "a", "P")], {damage: sums})  # fmt: skip
    assert found.text == "$120 million" and found.strong


def test_a_word_of_the_counted_nouns_family_binds_only_with_the_verb() -> None:
    evacuated = "A week after the storm forced 4,200 people to evacuate, residents returned."
    rescued = "Fire crews rescued 63 people from rooftops."
    said = "Ms. Whitcombe said 4,200 residents had been evacuated."
    claims = {
        evacuated: Claims(figures=(figure("4,200", 4200, "people", "evacuate"),)),
        rescued: Claims(figures=(figure("63", 63, "people", "rescue"),)),
        said: Claims(figures=(figure("4,200", 4200, "residents", "evacuate"),)),
    }
    question = analyse("How many residents were evacuated?")
    cited = [cite(1, said, "a", "Harbour Daily"), cite(2, evacuated, "b", "Brightwater Times"),
             cite(3, rescued, "a", "Harbour Daily")]  # fmt: skip
    found = short_answer(question, cited, claims)
    # "4,200 people" evacuated agrees with "4,200 residents"; "63 people" rescued is no rival.
    assert [g.citations for g in found.agreement] == [(1, 2)] and not found.conflict


def one(question: str, text: str, claims: Claims) -> str | None:
    return short_answer(analyse(question), [cite(1, text, "a", "P")], {text: claims}).text


def test_a_result_is_read_as_its_two_numbers() -> None:
    text = "Charlton beat Norwich 4-0 on Saturday, with 12 shots on target."
    claims = Claims(figures=(figure("4", 4, None, "beat", start=22, end=23),
                             figure("0", 0, None, "beat", start=24, end=25),
                             figure("12", 12, "shots", "be", start=44, end=46)))  # fmt: skip
    assert one("By what score did Charlton beat Norwich?", text, claims) == "4-0"
    assert one("How many shots were on target?", text, claims) == "12 shots"


def test_a_rate_or_level_is_answered_by_a_percentage() -> None:
    text = "For 6 months the Bank has held rates at 4.75%."
    claims = Claims(figures=(figure("6", 6, "months", "hold"),
                             figure("4.75", 4.75, "%", "hold", unit="%")))  # fmt: skip
    assert one("At what level did the Bank hold interest rates?", text, claims) == "4.75%"


def test_a_length_or_a_duration_answers_how_far_or_how_long() -> None:
    leap = "Idowu landed 17.30m at the trials, his best since 2002."
    assert one("How far did Idowu leap?", leap,
               Claims(figures=(figure("17.30m", 17.3e6, None, "land"),))) == "17.30m"  # fmt: skip
    held = "He was held for 33 months at the camp after his arrest."
    assert one("How long was he held at the camp?", held,
               Claims(figures=(figure("33", 33, "months", "hold"),))) == "33 months"  # fmt: skip


def test_an_age_is_a_number_after_a_persons_name() -> None:
    text = "Mr Mubanga, 29, from north London, was detained with 3 others."
    claims = Claims(
        mentions=(Mention("Mubanga", Kind.PERSON, 3, 10),),
        figures=(figure("29", 29, None, "detain", start=12, end=14),
                 figure("3", 3, "others", "detain", start=53, end=54)),
    )  # fmt: skip
    assert one("How old is Mr Mubanga?", text, claims) == "29"


def test_a_year_or_a_multiple_is_no_count_or_amount() -> None:
    text = "Rates rose five times between November 2003 and August 2004."
    claims = Claims(figures=(figure("five", 5, "times", "rise"),
                             figure("2003", 2003, "november", "rise")))  # fmt: skip
    assert one("How many times did rates rise?", text, claims) == "five times"
    assert one("How much did rates rise?", text, claims) is None


def test_a_year_question_takes_a_year_and_names_lose_their_possessive() -> None:
    text = "Iran will supply gas annually from 2009, Martin Scorsese's aide said."
    claims = Claims(mentions=(Mention("annually", Kind.DATE, 20, 28, "supply"),
                              Mention("2009", Kind.DATE, 34, 38, "supply"),
                              Mention("Martin Scorsese's", Kind.PERSON, 40, 57)))  # fmt: skip
    assert one("From which year will Iran supply gas?", text, claims) == "2009"
    assert one("Whose aide spoke?", text, claims) == "Martin Scorsese"


def test_a_name_sharing_a_word_with_the_question_may_answer_it() -> None:
    text = "The Ugandan Media Council banned the play, Uganda's paper said."
    claims = Claims(mentions=(Mention("The Ugandan Media Council", Kind.ORGANISATION, 0, 25,
                                      "ban"),
                              Mention("Uganda", Kind.PLACE, 43, 49)))  # fmt: skip
    assert one("Which Ugandan body banned the play?", text, claims) == "The Ugandan Media Council"


def test_a_peoples_name_counts_people_and_a_film_takes_what_it_earns() -> None:
    text = "Just over 54 million people use broadband, up from 34 million."
    claims = Claims(figures=(figure("54 million", 54e6, "people", "use"),))
    assert one("How many Europeans use broadband?", text, claims) == "54 million people"
    film = "The Aviator has taken $75m so far, and 12 awards."
    claims = Claims(figures=(figure("75m", 75e6, None, "take", unit="$"),
                             figure("12", 12, "awards", "take")))  # fmt: skip
    assert one("How much has The Aviator earned so far?", film, claims) == "$75m"
