"""Scoring an idea or business case on the council's criteria: the scores are facts a person enters, so
each change is in the audit trail."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from tracker.domain.pipeline import CRITERIA, CRITERION_LABELS, MAX_SCORE, MIN_SCORE
from tracker.domain.vocabulary import Stage
from tracker.extensions import db
from tracker.models import AuditAction, PipelineScore, Programme, User
from tracker.services import audit
from tracker.services.errors import Invalid, Problem

PIPELINE_STAGES: tuple[Stage, ...] = (Stage.IDEA, Stage.BUSINESS_CASE)
"""The pipeline: open programmes not yet committed, at idea or business case."""

NOT_IN_PIPELINE = "Only ideas and business cases are scored for the pipeline"


def in_pipeline(programme: Programme) -> bool:
    return programme.stage in PIPELINE_STAGES and not programme.is_closed


def programme_scores(programme_id: int) -> dict[str, int]:
    """A programme's scores by criterion key; criteria not scored are absent."""
    rows = db.session.execute(
        select(PipelineScore.criterion, PipelineScore.score).where(PipelineScore.programme_id == programme_id)
    )
    return {criterion: score for criterion, score in rows if criterion in CRITERION_LABELS}


def score_problems(scores: Mapping[str, str | None]) -> list[Problem]:
    """Every score as chosen that cannot be saved: blank means not scored, which is allowed."""
    problems: list[Problem] = []
    for criterion in CRITERIA:
        text = scores.get(criterion.key)
        if text and _score(text) is None:
            problems.append(
                (
                    criterion.key,
                    f"Choose a score for {criterion.label.lower()} from {MIN_SCORE} to {MAX_SCORE}",
                )
            )
    return problems


def save_scores(programme: Programme, scores: Mapping[str, str | None], *, user: User) -> dict[str, int]:
    """Set, change or clear (blank) each criterion's score of a pipeline programme."""
    if not in_pipeline(programme):
        raise Invalid(NOT_IN_PIPELINE)
    problems = score_problems(scores)
    if problems:
        raise Invalid.every(problems)
    user_id = user.id
    rows = {
        row.criterion: row
        for row in db.session.scalars(select(PipelineScore).where(PipelineScore.programme_id == programme.id))
    }
    changes: dict[str, tuple[object, object]] = {}
    for criterion in CRITERIA:
        new = _score(scores.get(criterion.key) or "")
        row = rows.get(criterion.key)
        old = None if row is None else row.score
        if old == new:
            continue
        changes[criterion.key] = (old, new)
        if new is None:
            db.session.delete(row)
        elif row is None:
            db.session.add(
                PipelineScore(
                    programme_id=programme.id, criterion=criterion.key, score=new, updated_by_id=user_id
                )
            )
        else:
            row.score = new
            row.updated_by_id = user_id
    if changes:
        audit.record(
            AuditAction.UPDATE,
            programme,
            user_id=user_id,
            programme_id=programme.id,
            summary="Changed pipeline scores: " + ", ".join(CRITERION_LABELS[key] for key in changes),
            changes=changes,
        )
        db.session.commit()
    return programme_scores(programme.id)


def _score(text: str) -> int | None:
    text = text.strip()
    if len(text) > 1 or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if MIN_SCORE <= value <= MAX_SCORE else None
