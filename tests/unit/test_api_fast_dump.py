"""The programmes list's JSON is written by fast_dump, which must say exactly what the schema would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import Schema, fields

from tracker.models import Confidence, ConfidenceSource, Rag, Stage
from tracker.services.portfolio.listing import PortfolioRow
from tracker.web.api.schemas import ProgrammeRowSchema, dump_programme_row, fast_dump

text = st.text(max_size=20)
maybe = st.none().__or__
money = st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9)
rows = st.builds(
    PortfolioRow,
    code=text,
    external_reference=maybe(text),
    name=text,
    directorate=text,
    stage=st.sampled_from(Stage),
    paused=st.booleans(),
    manager_name=maybe(text),
    confidence=maybe(st.sampled_from(Confidence)),
    confidence_source=maybe(st.sampled_from(ConfidenceSource)),
    confidence_assessed_on=maybe(st.dates()),
    rating=maybe(st.sampled_from(Rag)),
    score=maybe(st.integers(min_value=-1000, max_value=1000)),
    next_milestone=maybe(text),
    next_milestone_date=maybe(st.dates()),
    budget=money | st.sampled_from([Decimal("1E+3"), Decimal("0"), Decimal("-0.00")]),
    forecast=money,
)


@given(rows)
def test_a_row_is_written_as_the_schema_would_write_it(row: PortfolioRow) -> None:
    assert dump_programme_row(row) == ProgrammeRowSchema().dump(row)


def test_a_schema_with_a_field_it_does_not_know_is_refused_when_built() -> None:
    class Nested(Schema):
        when = fields.AwareDateTime()

    with pytest.raises(TypeError, match="AwareDateTime"):
        fast_dump(Nested)


def test_a_field_named_differently_in_json_keeps_its_json_name() -> None:
    @dataclass
    class Row:
        due: date | None

    class Renamed(Schema):
        due = fields.Date(data_key="due_on")

    assert fast_dump(Renamed)(Row(date(2027, 3, 31))) == {"due_on": "2027-03-31"}
    assert fast_dump(Renamed)(Row(None)) == Renamed().dump(Row(None)) == {"due_on": None}
