"""The chosen pipeline scenario in the board pack's PowerPoint deck: the money and capacity in a line, then
its ranked programmes in or out, and the teams over capacity, as tables people can edit."""

from __future__ import annotations

from tracker.domain.formatting import money
from tracker.domain.vocabulary import label
from tracker.domain.wording import format_number
from tracker.services.packs.deck_values import amount
from tracker.services.packs.slide_tables import long_table
from tracker.services.packs.slides import Deck
from tracker.services.pipeline.pack import PipelinePack

TITLE = "Pipeline: the chosen scenario"
OVERLOAD_TITLE = "Pipeline: teams over capacity with the chosen scenario"


def pipeline_slides(deck: Deck, pipeline: PipelinePack) -> None:
    """A slide (or more) of the ranked programmes, and one of the teams over capacity when any are."""
    view = pipeline.view
    rows = [
        [
            str(row.ranked.rank),
            f"{row.code} {row.name}",
            label(row.stage),
            "In" if row.included else "Out",
            "Not known" if row.ranked.score is None else f"{row.ranked.score} out of 5",
            amount(row.cost),
        ]
        for row in pipeline.rows
    ]
    long_table(
        deck,
        TITLE,
        ("Rank", "Programme", "Stage", "In or out", "Weighted score", f"Cost in {view.year_label}"),
        rows,
        intro=_summary(pipeline),
        widths=(0.5, 3.2, 1.2, 0.8, 1.3, 1.3),
        size=10,
        numeric=(0, 5),
    )
    if view.overloads:
        long_table(
            deck,
            OVERLOAD_TITLE,
            ("Team", "Month", "Capacity", "Load", "Because of this choice"),
            [
                [
                    item.team_name,
                    item.overload.month.strftime("%B %Y"),
                    format_number(item.overload.capacity),
                    format_number(item.overload.load_with),
                    "Yes" if item.overload.pushed else "No",
                ]
                for item in view.overloads
            ],
            widths=(2.5, 1.5, 1, 1, 1.5),
            size=10,
            numeric=(2, 3),
        )


def _summary(pipeline: PipelinePack) -> str:
    view, cash = pipeline.view, pipeline.view.money
    if cash.left is None:
        left = "money left not known: no envelope is set"
    elif cash.over:
        left = f"{money(-cash.left)} over the envelope"
    else:
        left = f"{money(cash.left)} left in the envelope of {money(cash.envelope)}"
    unknown = cash.committed_unknown + cash.chosen_unknown
    costs = f" (before {unknown} cost{'s' if unknown != 1 else ''} not known)" if unknown else ""
    teams = "no team over capacity"
    if view.overloads:
        teams = f"{len(view.overloads)} team months over capacity, {len(view.pushed)} because of this choice"
    chosen = f"{cash.chosen_count} programme{'s' if cash.chosen_count != 1 else ''} chosen"
    return f"“{pipeline.name}” for {view.year_label}: {chosen}; {left}{costs}; {teams}."
