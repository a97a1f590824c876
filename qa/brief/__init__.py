"""Briefings: a sourced, dated overview of a story (`build`), from sentences read for dates,
speakers, accusations and figures (`extract`), as frozen result types (`types`). Markdown output
is in `qa.export`, HTML in `qa.render`.

    briefing = Briefer(assistant).brief("Tarnov Pass border clash")
"""

from qa.brief.build import Briefer
from qa.brief.extract import accuser, figures_in, speakers
from qa.brief.types import Briefing
from qa.dating import event_date

__all__ = ["Briefer", "Briefing", "accuser", "event_date", "figures_in", "speakers"]
