"""A programme's registers and past decisions as spreadsheets name them: sheet names, headings and the
words of a 5-point scale, read with no database."""

from __future__ import annotations

import pytest

from tracker.domain.imports.fields import SheetKind, fields_by_key
from tracker.domain.imports.guessing import guess_mapping, sheet_kind_for
from tracker.domain.imports.rows import read_cell
from tracker.domain.imports.values import Unit


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Risks", SheetKind.RISKS),
        ("Risk register", SheetKind.RISKS),
        ("RAID log", SheetKind.RISKS),
        ("Risks/issues", SheetKind.RISKS),
        ("Issues", SheetKind.ISSUES),
        ("Action log", SheetKind.ACTIONS),
        ("Decisions", SheetKind.DECISIONS),
        ("Lessons learned", SheetKind.LESSONS),
        ("Lessons_Learnt", SheetKind.LESSONS),
        ("Change requests", SheetKind.CHANGE_REQUESTS),
        ("Gate decisions", SheetKind.GATES),
        ("Benefits", None),
    ],
)
def test_sheets_are_recognised_by_the_names_councils_give_them(name: str, kind: SheetKind | None) -> None:
    assert sheet_kind_for(name) is kind


def test_a_risk_registers_headings_are_read_as_its_fields() -> None:
    headings = ["Project", "Risk ID", "Risk", "Risk description", "Probability", "Severity", "Risk owner"]
    headings += ["Mitigating actions", "Status", "Next review"]
    assert guess_mapping(headings, SheetKind.RISKS) == {
        "Project": "programme_code",
        "Risk": "title",
        "Risk description": "description",
        "Probability": "likelihood",
        "Severity": "impact",
        "Risk owner": "owner",
        "Mitigating actions": "mitigation",
        "Status": "status",
        "Next review": "review_date",
    }


def test_action_and_decision_logs_headings_are_read_as_their_fields() -> None:
    actions = ["Programme code", "Action", "Action owner", "Due", "Status", "Date done"]
    assert guess_mapping(actions, SheetKind.ACTIONS) == dict(
        zip(actions, ["programme_code", "title", "owner", "due_date", "status", "done_on"], strict=True)
    )
    decisions = ["Programme code", "Decision", "Rationale", "Decided by", "Decision date"]
    assert guess_mapping(decisions, SheetKind.DECISIONS) == dict(
        zip(decisions, ["programme_code", "title", "detail", "decided_by", "decided_on"], strict=True)
    )


@pytest.mark.parametrize(
    ("cell", "likelihood", "impact"),
    [
        (3, "3", "3"),
        ("5", "5", "5"),
        ("Very high", "5", "5"),
        ("HIGH", "4", "4"),
        ("medium", "3", "3"),
        ("Low", "2", "2"),
        ("very-low", "1", "1"),
        ("Almost certain", "5", None),
        ("Unlikely", "2", None),
        ("Major", None, "4"),
        ("Negligible", None, "1"),
    ],
)
def test_scores_read_from_numbers_and_words(cell: object, likelihood: str | None, impact: str | None) -> None:
    fields = fields_by_key(SheetKind.RISKS)
    for key, expected in (("likelihood", likelihood), ("impact", impact)):
        if expected is None:
            with pytest.raises(ValueError, match=f"is not a {key}"):
                read_cell(fields[key], cell, Unit.POUNDS)
        else:
            assert read_cell(fields[key], cell, Unit.POUNDS) == expected


def test_a_score_outside_one_to_five_says_what_is_allowed() -> None:
    with pytest.raises(ValueError, match=r"^'6' is not a likelihood: use one of 1, 2, 3, 4, 5$"):
        read_cell(fields_by_key(SheetKind.RISKS)["likelihood"], 6, Unit.POUNDS)
