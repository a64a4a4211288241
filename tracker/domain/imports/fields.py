"""The tracker fields a spreadsheet column can fill, and the names people give them in headers.

Programmes (one row each, with an optional budget and end dates), then their milestones and investment
lines, the records of `registers` (risks and issues, actions, decisions, lessons), past decisions and
dependencies between programmes: each such row names its programme by code.
"""

from __future__ import annotations

from tracker.domain.imports.choices import (
    CONFIDENCE_SOURCES,
    COST_TYPES,
    FOCUSES,
    INVESTMENT_CATEGORIES,
    MILESTONE_KINDS,
    MILESTONE_STATUSES,
    RECURRENCES,
    STAGES,
)
from tracker.domain.imports.dependencies import DEPENDENCY_FIELDS, DEPENDENCY_SHEET_NAMES
from tracker.domain.imports.field_types import Field, Kind, SheetKind
from tracker.domain.imports.past_decisions import HISTORY_FIELDS, HISTORY_SHEET_NAMES
from tracker.domain.imports.registers import REGISTER_FIELDS, REGISTER_SHEET_NAMES

__all__ = ["CATALOGUE", "SHEET_NAMES", "Field", "Kind", "SheetKind", "fields_by_key"]

PROGRAMME_FIELDS = (
    Field(
        "code",
        "Code",
        synonyms=(
            "programme code",
            "project code",
            "programme ref",
            "project ref",
            "reference",
            "ref",
            "programme id",
            "project id",
            "unique id",
            "unique reference",
            "project number",
            "programme number",
            "reference number",
        ),
        max_length=64,
    ),
    Field(
        "external_reference",
        "External reference",
        synonyms=("external ref", "return reference"),
        max_length=64,
    ),
    Field(
        "name",
        "Name",
        synonyms=(
            "programme",
            "project",
            "programme name",
            "project name",
            "title",
            "programme title",
            "project title",
        ),
        max_length=200,
    ),
    Field(
        "description",
        "Description",
        synonyms=(
            "summary",
            "scope",
            "purpose",
            "programme description",
            "project description",
            "description aims",
            "aims",
        ),
    ),
    Field(
        "directorate",
        "Directorate",
        synonyms=(
            "department",
            "service",
            "service area",
            "division",
            "business unit",
            "dept",
            "organisation",
        ),
        max_length=120,
    ),
    Field(
        "strategic_objective",
        "Strategic objective",
        synonyms=("objective", "strategic priority", "priority", "corporate objective"),
        max_length=300,
    ),
    Field("focus", "Focus", Kind.CHOICE, ("benefit focus", "aim"), choices=FOCUSES),
    Field(
        "sro_name",
        "SRO",
        synonyms=("senior responsible owner", "sro name", "sponsor", "senior owner"),
        max_length=120,
    ),
    Field(
        "manager",
        "Programme manager",
        synonyms=("manager", "project manager", "pm", "lead", "manager email", "programme manager email"),
    ),
    Field("stage", "Stage", Kind.CHOICE, ("lifecycle stage", "phase", "lifecycle"), choices=STAGES),
    Field(
        "start_date",
        "Start date",
        Kind.DATE,
        ("start", "started", "date started", "commenced", "project start date", "programme start date"),
    ),
    Field(
        "baseline_end_date",
        "Baseline end date",
        Kind.DATE,
        (
            "end date",
            "baseline end",
            "original end date",
            "original completion date",
            "original estimated completion date",
            "planned end date",
            "planned completion date",
            "completion date",
            "due date",
            "project end date",
            "programme end date",
        ),
    ),
    Field(
        "forecast_end_date",
        "Forecast end date",
        Kind.DATE,
        (
            "forecast end",
            "forecast completion date",
            "latest completion date",
            "latest estimated completion date",
            "revised end date",
            "expected end date",
            "estimated completion date",
            "forecast end date",
            "forecast finish",
            "forecast finish date",
            "end date forecast",
            "forecast completion",
        ),
    ),
    Field(
        "confidence",
        "Delivery confidence",
        Kind.CONFIDENCE,
        (
            "confidence",
            "dca",
            "delivery confidence assessment",
            "rag",
            "rag status",
            "overall rag",
            "status rag",
            "ipa rating",
            "rag rating",
            "colour rating",
            "delivery confidence",
            "ipa delivery confidence assessment",
        ),
    ),
    Field(
        "confidence_source",
        "Confidence assessed by",
        Kind.CHOICE,
        ("confidence assessed by", "assessed by", "confidence source", "dca source", "assessment by"),
        choices=CONFIDENCE_SOURCES,
    ),
    Field(
        "confidence_assessed_on",
        "Confidence assessed on",
        Kind.DATE,
        ("confidence assessed on", "assessed on", "confidence date", "dca date", "date of assessment"),
    ),
    Field(
        "confidence_commentary",
        "Confidence commentary",
        synonyms=("commentary", "comments", "rag commentary", "narrative", "notes", "rating comment"),
    ),
    Field("change_plan", "Business change plan", synonyms=("change plan", "business change")),
    Field(
        "adoption_owner",
        "Adoption owner",
        synonyms=("service owner", "business owner", "adoption lead"),
        max_length=120,
    ),
    Field(
        "budget_requested",
        "Budget requested",
        Kind.MONEY,
        ("requested", "funding requested", "bid", "requested budget"),
    ),
    Field(
        "budget_approved",
        "Budget approved",
        Kind.MONEY,
        (
            "approved",
            "approved budget",
            "budget",
            "original budget",
            "baseline budget",
            "total budget",
            "budget approved",
            "yearly budget",
            "annual budget",
            "total baseline",
        ),
    ),
    Field(
        "budget_forecast",
        "Budget forecast",
        Kind.MONEY,
        (
            "forecast",
            "forecast cost",
            "latest budget",
            "revised budget",
            "forecast outturn",
            "estimated cost",
            "forecast spend",
            "outturn",
            "yearly forecast",
            "annual forecast",
            "total forecast",
        ),
    ),
    Field(
        "budget_actual",
        "Budget spent",
        Kind.MONEY,
        ("actual", "spent", "spend to date", "actual spend", "actual cost", "spend"),
    ),
    Field(
        "whole_life_cost",
        "Whole-life cost baseline",
        Kind.MONEY,
        (
            "whole life cost",
            "whole life costs",
            "wlc",
            "wlc baseline",
            "whole life cost baseline",
            "whole life baseline",
            "budgeted whole life costs",
            "whole life cost total baseline",
        ),
    ),
    Field(
        "whole_life_forecast",
        "Whole-life cost forecast",
        Kind.MONEY,
        ("whole life forecast", "wlc forecast", "whole life cost forecast", "forecast whole life cost"),
    ),
    Field("budget_year", "Budget financial year", Kind.YEAR, ("financial year", "fy", "year")),
    Field(
        "published_year",
        "Year published",
        Kind.YEAR,
        ("publication year", "year published", "report year", "return year"),
    ),
    Field(
        "as_at",
        "As at",
        Kind.DATE,
        ("as at", "as at date", "return date", "reporting date", "report date", "snapshot date"),
    ),
)

MILESTONE_FIELDS = (
    Field(
        "programme_code", "Programme code", synonyms=("code", "programme", "project code", "programme ref")
    ),
    Field(
        "title",
        "Milestone",
        synonyms=("milestone", "milestone title", "name", "title", "description", "milestone name"),
        max_length=200,
    ),
    Field("kind", "Kind", Kind.CHOICE, ("type", "milestone type", "category"), choices=MILESTONE_KINDS),
    Field("critical", "Critical", Kind.FLAG, ("critical path", "is critical", "key milestone")),
    Field("owner", "Owner", synonyms=("milestone owner", "responsible", "lead"), max_length=120),
    Field(
        "original_baseline_date",
        "Original baseline date",
        Kind.DATE,
        ("original baseline", "original date", "original due date"),
    ),
    Field(
        "baseline_date",
        "Baseline date",
        Kind.DATE,
        ("baseline", "due date", "planned date", "target date", "approved date", "date"),
    ),
    Field(
        "forecast_date",
        "Forecast date",
        Kind.DATE,
        ("forecast", "expected date", "revised date", "latest date"),
    ),
    Field("actual_date", "Actual date", Kind.DATE, ("actual", "completed date", "date achieved", "achieved")),
    Field("status", "Status", Kind.CHOICE, ("milestone status", "progress"), choices=MILESTONE_STATUSES),
)

INVESTMENT_FIELDS = (
    Field(
        "programme_code", "Programme code", synonyms=("code", "programme", "project code", "programme ref")
    ),
    Field(
        "title",
        "Investment line",
        synonyms=("title", "line", "cost line", "item", "description", "name"),
        max_length=200,
    ),
    Field(
        "cost_type",
        "Capital or revenue",
        Kind.CHOICE,
        ("cost type", "type", "capital revenue", "capex opex"),
        choices=COST_TYPES,
    ),
    Field(
        "recurrence", "One-off or recurring", Kind.CHOICE, ("recurrence", "frequency"), choices=RECURRENCES
    ),
    Field(
        "category",
        "Category",
        Kind.CHOICE,
        ("investment category", "spend category", "what it buys"),
        choices=INVESTMENT_CATEGORIES,
    ),
    Field("financial_year", "Financial year", Kind.YEAR, ("fy", "year")),
    Field("requested", "Requested", Kind.MONEY, ("requested amount", "bid")),
    Field("approved", "Approved", Kind.MONEY, ("approved amount", "budget")),
    Field("forecast", "Forecast", Kind.MONEY, ("forecast amount", "forecast outturn")),
    Field("actual", "Actual", Kind.MONEY, ("actual spend", "spent", "spend")),
)

CATALOGUE: dict[SheetKind, tuple[Field, ...]] = {
    SheetKind.PROGRAMMES: PROGRAMME_FIELDS,
    SheetKind.MILESTONES: MILESTONE_FIELDS,
    SheetKind.INVESTMENTS: INVESTMENT_FIELDS,
    **REGISTER_FIELDS,
    **HISTORY_FIELDS,
    SheetKind.DEPENDENCIES: DEPENDENCY_FIELDS,
}
SHEET_NAMES = {
    SheetKind.PROGRAMMES: ("programmes", "programme", "projects", "portfolio"),
    SheetKind.MILESTONES: ("milestones", "milestone"),
    SheetKind.INVESTMENTS: ("investments", "investment", "money", "costs", "budget", "finance"),
    **REGISTER_SHEET_NAMES,
    **HISTORY_SHEET_NAMES,
    **DEPENDENCY_SHEET_NAMES,
}


def fields_by_key(kind: SheetKind) -> dict[str, Field]:
    return {f.key: f for f in CATALOGUE[kind]}
