"""The fixed vocabularies of the domain, as stored in the database."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    CIO = "cio"
    PROGRAMME_MANAGER = "programme_manager"
    VIEWER = "viewer"


class Focus(StrEnum):
    SERVICE_IMPROVEMENT = "service_improvement"
    COST_REDUCTION = "cost_reduction"
    BOTH = "both"


class Stage(StrEnum):
    IDEA = "idea"
    BUSINESS_CASE = "business_case"
    DELIVERY = "delivery"
    CLOSING = "closing"
    CLOSED = "closed"


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Confidence(StrEnum):
    """Delivery confidence on the IPA's five-point scale, as published."""

    GREEN = "green"
    AMBER_GREEN = "amber_green"
    AMBER = "amber"
    AMBER_RED = "amber_red"
    RED = "red"


class ConfidenceSource(StrEnum):
    """Who made a delivery confidence assessment."""

    SELF_ASSESSMENT = "self_assessment"
    ASSURANCE_REVIEW = "assurance_review"
    GATEWAY_REVIEW = "gateway_review"


class InvestmentCategory(StrEnum):
    """What a cost line buys: technology, business change, or anything else (construction, staff...)."""

    TECHNOLOGY = "technology"
    BUSINESS_CHANGE = "business_change"
    OTHER = "other"


class MilestoneKind(StrEnum):
    IT_DELIVERY = "it_delivery"
    BUSINESS_CHANGE = "business_change"
    GOVERNANCE = "governance"
    BENEFIT = "benefit"


class MilestoneStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    CANCELLED = "cancelled"


class ChangeKind(StrEnum):
    """What moved in a milestone's history."""

    CREATED = "created"
    FORECAST_MOVED = "forecast_moved"
    ACTUAL_RECORDED = "actual_recorded"
    STATUS_CHANGED = "status_changed"
    REBASELINE_REQUESTED = "rebaseline_requested"
    REBASELINE_APPROVED = "rebaseline_approved"
    REBASELINE_REJECTED = "rebaseline_rejected"


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class CostType(StrEnum):
    CAPITAL = "capital"
    REVENUE = "revenue"


class Recurrence(StrEnum):
    ONE_OFF = "one_off"
    RECURRING = "recurring"


class BenefitType(StrEnum):
    CASHABLE = "cashable"
    NON_CASHABLE = "non_cashable"
    SERVICE_IMPROVEMENT = "service_improvement"
    DIS_BENEFIT = "dis_benefit"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class EntryKind(StrEnum):
    RISK = "risk"
    ISSUE = "issue"


class Response(StrEnum):
    TOLERATE = "tolerate"
    TREAT = "treat"
    TRANSFER = "transfer"
    TERMINATE = "terminate"


class EntryStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Trend(StrEnum):
    NEW = "new"
    WORSE = "worse"
    SAME = "same"
    BETTER = "better"
    RESOLVED = "resolved"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class RunStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
