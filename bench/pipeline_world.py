"""The pipeline as the pages benchmark sees it: the generated portfolio's ideas and business cases scored
(one in ten missing a score, as a real council's would be), an envelope for next financial year, and the
pipeline page's path with twenty of them ticked in."""

from __future__ import annotations

import random
from decimal import Decimal
from urllib.parse import urlencode

from sqlalchemy import func, insert, select

from tracker.domain.calendar import london_today
from tracker.domain.pipeline import CRITERION_KEYS
from tracker.extensions import db
from tracker.models import PipelineScore, Programme, Setting
from tracker.models.types import utcnow
from tracker.services.pipeline.reads import next_financial_year
from tracker.services.pipeline.scores import PIPELINE_STAGES
from tracker.services.pipeline.settings import PIPELINE, PipelineSettings

TICKED = 20


def prepare_pipeline(seed: int) -> str:
    """Score the pipeline once (kept while the database is reused); return the page's path with ticks."""
    ids = list(
        db.session.scalars(
            select(Programme.id).where(Programme.stage.in_(PIPELINE_STAGES)).order_by(Programme.id)
        )
    )
    if not db.session.scalar(select(func.count(PipelineScore.id))) and ids:
        rng = random.Random(seed)
        now = utcnow()
        rows = []
        for programme_id in ids:
            skipped = rng.choice(CRITERION_KEYS) if rng.random() < 0.1 else None
            rows += [
                {"programme_id": programme_id, "criterion": key, "score": rng.randint(0, 5), "version": 1,
                 "created_at": now, "updated_at": now}
                for key in CRITERION_KEYS
                if key != skipped
            ]  # fmt: skip
        db.session.execute(insert(PipelineScore), rows)
        year = next_financial_year(london_today(now))
        db.session.merge(
            Setting(key=PIPELINE, value=PipelineSettings(envelopes={year: Decimal("50000000")}).as_json())
        )
        db.session.commit()
    ticked = ids[:: max(1, len(ids) // TICKED)][:TICKED]
    return "/pipeline/?" + urlencode([("include", programme_id) for programme_id in ticked])
