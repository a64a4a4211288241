"""The fixed vocabularies: every enum the app stores, and each value's label as people read it.

The values are what the database keeps; the labels are what pages, forms, exports and emails show.
Templates reach the labels through the `label` filter, so a value is worded in one place only.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    CIO = "cio"
    BOARD = "board"  # decides requests and gates the CIO delegates to the board; otherwise reads
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
    """Green, Amber or Red: a status update's self-rating and the computed rating of a programme."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def rank(self) -> int:
        """Order ratings from best (0) to worst (2) for comparisons."""
        return list(Rag).index(self)


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


class ChangeRequestKind(StrEnum):
    """What a change request asks to change; each but scope names the baseline it moves."""

    SCOPE = "scope"
    TIME = "time"
    COST = "cost"
    BENEFITS = "benefits"


class ChangeRequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


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


class BenefitStatus(StrEnum):
    """Whether a benefit is still being measured; realised and written-off benefits leave the rules."""

    TRACKING = "tracking"
    REALISED = "realised"
    WRITTEN_OFF = "written_off"


class GateStatus(StrEnum):
    """A gate decision asked for, and what the approver decided."""

    PENDING = "pending"
    APPROVED = "approved"
    DEFERRED = "deferred"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class LessonKind(StrEnum):
    WENT_WELL = "went_well"
    DO_DIFFERENTLY = "do_differently"


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


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class DecisionStatus(StrEnum):
    PROPOSED = "proposed"
    MADE = "made"
    SUPERSEDED = "superseded"


class Trend(StrEnum):
    """How a programme moved between two scans."""

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


class SignInMethod(StrEnum):
    PASSWORD = "password"  # noqa: S105 (a method's name, not a secret)
    OIDC = "oidc"  # the council's directory, through OpenID Connect
    BREAK_GLASS = "break_glass"  # a named admin's password while password sign-in is off


class SignInResult(StrEnum):
    SIGNED_IN = "signed_in"
    FAILED = "failed"  # wrong password or unknown email (one answer for both), or a token that failed checks
    THROTTLED = "throttled"
    REFUSED = "refused"  # known and checked, but not let in: no mapped group, password sign-in off


class RoleSource(StrEnum):
    LOCAL = "local"  # set on the users page
    DIRECTORY = "directory"  # the directory's groups or app roles, at each sign-in
    DEFAULT = "default"  # OIDC_DEFAULT_ROLE, for someone in no mapped group
    PROVISIONING = "provisioning"  # group membership pushed by SCIM


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "Admin",
    Role.CIO: "CIO",
    Role.BOARD: "Board member",
    Role.PROGRAMME_MANAGER: "Programme manager",
    Role.VIEWER: "Viewer",
}
FOCUS_LABELS: dict[Focus, str] = {
    Focus.SERVICE_IMPROVEMENT: "Service improvement",
    Focus.COST_REDUCTION: "Cost reduction",
    Focus.BOTH: "Both",
}
STAGE_LABELS: dict[Stage, str] = {
    Stage.IDEA: "Idea",
    Stage.BUSINESS_CASE: "Business case",
    Stage.DELIVERY: "Delivery",
    Stage.CLOSING: "Closing",
    Stage.CLOSED: "Closed",
}
RAG_LABELS: dict[Rag, str] = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}
CONFIDENCE_LABELS: dict[Confidence, str] = {
    Confidence.GREEN: "Green",
    Confidence.AMBER_GREEN: "Amber/Green",
    Confidence.AMBER: "Amber",
    Confidence.AMBER_RED: "Amber/Red",
    Confidence.RED: "Red",
}
"""The published wording of each point, best first."""
SOURCE_LABELS: dict[ConfidenceSource, str] = {
    ConfidenceSource.SELF_ASSESSMENT: "SRO self-assessment",
    ConfidenceSource.ASSURANCE_REVIEW: "IPA or internal assurance review",
    ConfidenceSource.GATEWAY_REVIEW: "Gateway review",
}
"""Who made the assessment, as people say it."""
CATEGORY_LABELS: dict[InvestmentCategory, str] = {
    InvestmentCategory.TECHNOLOGY: "Technology",
    InvestmentCategory.BUSINESS_CHANGE: "Business change",
    InvestmentCategory.OTHER: "Other",
}
MILESTONE_KIND_LABELS: dict[MilestoneKind, str] = {
    MilestoneKind.IT_DELIVERY: "IT delivery",
    MilestoneKind.BUSINESS_CHANGE: "Business change",
    MilestoneKind.GOVERNANCE: "Governance",
    MilestoneKind.BENEFIT: "Benefit",
}
MILESTONE_STATUS_LABELS: dict[MilestoneStatus, str] = {
    MilestoneStatus.NOT_STARTED: "Not started",
    MilestoneStatus.IN_PROGRESS: "In progress",
    MilestoneStatus.COMPLETE: "Complete",
    MilestoneStatus.CANCELLED: "Cancelled",
}
CHANGE_LABELS: dict[ChangeKind, str] = {
    ChangeKind.CREATED: "Added",
    ChangeKind.FORECAST_MOVED: "Forecast moved",
    ChangeKind.ACTUAL_RECORDED: "Actual date recorded",
    ChangeKind.STATUS_CHANGED: "Status changed",
    ChangeKind.REBASELINE_REQUESTED: "Re-baseline requested",
    ChangeKind.REBASELINE_APPROVED: "Re-baseline approved",
    ChangeKind.REBASELINE_REJECTED: "Re-baseline rejected",
}
REQUEST_STATUS_LABELS: dict[RequestStatus, str] = {
    RequestStatus.PENDING: "Pending",
    RequestStatus.APPROVED: "Approved",
    RequestStatus.REJECTED: "Rejected",
}
CHANGE_REQUEST_KIND_LABELS: dict[ChangeRequestKind, str] = {
    ChangeRequestKind.SCOPE: "Scope",
    ChangeRequestKind.TIME: "Time",
    ChangeRequestKind.COST: "Cost",
    ChangeRequestKind.BENEFITS: "Benefits",
}
CHANGE_REQUEST_STATUS_LABELS: dict[ChangeRequestStatus, str] = {
    ChangeRequestStatus.PENDING: "Waiting for a decision",
    ChangeRequestStatus.APPROVED: "Approved",
    ChangeRequestStatus.REJECTED: "Rejected",
    ChangeRequestStatus.WITHDRAWN: "Withdrawn",
}
COST_TYPE_LABELS: dict[CostType, str] = {CostType.CAPITAL: "Capital", CostType.REVENUE: "Revenue"}
RECURRENCE_LABELS: dict[Recurrence, str] = {Recurrence.ONE_OFF: "One-off", Recurrence.RECURRING: "Recurring"}
BENEFIT_TYPE_LABELS: dict[BenefitType, str] = {
    BenefitType.CASHABLE: "Cashable",
    BenefitType.NON_CASHABLE: "Non-cashable",
    BenefitType.SERVICE_IMPROVEMENT: "Service improvement",
    BenefitType.DIS_BENEFIT: "Dis-benefit",
}
DIRECTION_LABELS: dict[Direction, str] = {
    Direction.HIGHER: "Higher",
    Direction.LOWER: "Lower",
}
"""Which way is better: pages say 'Higher is better'."""
BENEFIT_STATUS_LABELS: dict[BenefitStatus, str] = {
    BenefitStatus.TRACKING: "Being measured",
    BenefitStatus.REALISED: "Realised",
    BenefitStatus.WRITTEN_OFF: "Written off",
}
GATE_STATUS_LABELS: dict[GateStatus, str] = {
    GateStatus.PENDING: "Waiting for a decision",
    GateStatus.APPROVED: "Approved",
    GateStatus.DEFERRED: "Deferred",
    GateStatus.REJECTED: "Rejected",
    GateStatus.WITHDRAWN: "Withdrawn",
}
LESSON_KIND_LABELS: dict[LessonKind, str] = {
    LessonKind.WENT_WELL: "Went well",
    LessonKind.DO_DIFFERENTLY: "Do differently",
}
ENTRY_KIND_LABELS: dict[EntryKind, str] = {EntryKind.RISK: "Risk", EntryKind.ISSUE: "Issue"}
RESPONSE_LABELS: dict[Response, str] = {
    Response.TOLERATE: "Tolerate",
    Response.TREAT: "Treat",
    Response.TRANSFER: "Transfer",
    Response.TERMINATE: "Terminate",
}
ENTRY_STATUS_LABELS: dict[EntryStatus, str] = {EntryStatus.OPEN: "Open", EntryStatus.CLOSED: "Closed"}
ACTION_STATUS_LABELS: dict[ActionStatus, str] = {ActionStatus.OPEN: "Open", ActionStatus.DONE: "Done"}
DECISION_STATUS_LABELS: dict[DecisionStatus, str] = {
    DecisionStatus.PROPOSED: "Proposed",
    DecisionStatus.MADE: "Made",
    DecisionStatus.SUPERSEDED: "Superseded",
}
TREND_LABELS: dict[Trend, str] = {
    Trend.NEW: "New",
    Trend.WORSE: "Worse",
    Trend.SAME: "Same",
    Trend.BETTER: "Better",
    Trend.RESOLVED: "Resolved",
}
DELIVERY_STATUS_LABELS: dict[DeliveryStatus, str] = {
    DeliveryStatus.PENDING: "Pending",
    DeliveryStatus.SENT: "Sent",
    DeliveryStatus.FAILED: "Failed",
}
RUN_STATUS_LABELS: dict[RunStatus, str] = {
    RunStatus.RUNNING: "Running",
    RunStatus.SUCCEEDED: "Succeeded",
    RunStatus.FAILED: "Failed",
}
AUDIT_ACTION_LABELS: dict[AuditAction, str] = {
    AuditAction.CREATE: "Create",
    AuditAction.UPDATE: "Update",
    AuditAction.DELETE: "Delete",
}
DIMENSION_LABELS: dict[str, str] = {
    "schedule": "Schedule",
    "cost": "Cost",
    "benefits": "Benefits",
    "resources": "Resources",
}
"""The four parts of a status update's highlight report, each rated green, amber or red."""

SIGN_IN_METHOD_LABELS: dict[SignInMethod, str] = {
    SignInMethod.PASSWORD: "Password",
    SignInMethod.OIDC: "Directory (OpenID Connect)",
    SignInMethod.BREAK_GLASS: "Break-glass password",
}
SIGN_IN_RESULT_LABELS: dict[SignInResult, str] = {
    SignInResult.SIGNED_IN: "Signed in",
    SignInResult.FAILED: "Failed",
    SignInResult.THROTTLED: "Throttled",
    SignInResult.REFUSED: "Refused",
}
ROLE_SOURCE_LABELS: dict[RoleSource, str] = {
    RoleSource.LOCAL: "Set here",
    RoleSource.DIRECTORY: "Directory groups",
    RoleSource.DEFAULT: "Default role (in no mapped group)",
    RoleSource.PROVISIONING: "Provisioning (SCIM)",
}

LABELS: dict[type[StrEnum], Mapping[StrEnum, str]] = {
    Role: ROLE_LABELS,
    Focus: FOCUS_LABELS,
    Stage: STAGE_LABELS,
    Rag: RAG_LABELS,
    Confidence: CONFIDENCE_LABELS,
    ConfidenceSource: SOURCE_LABELS,
    InvestmentCategory: CATEGORY_LABELS,
    MilestoneKind: MILESTONE_KIND_LABELS,
    MilestoneStatus: MILESTONE_STATUS_LABELS,
    ChangeKind: CHANGE_LABELS,
    RequestStatus: REQUEST_STATUS_LABELS,
    ChangeRequestKind: CHANGE_REQUEST_KIND_LABELS,
    ChangeRequestStatus: CHANGE_REQUEST_STATUS_LABELS,
    CostType: COST_TYPE_LABELS,
    Recurrence: RECURRENCE_LABELS,
    BenefitType: BENEFIT_TYPE_LABELS,
    Direction: DIRECTION_LABELS,
    BenefitStatus: BENEFIT_STATUS_LABELS,
    LessonKind: LESSON_KIND_LABELS,
    GateStatus: GATE_STATUS_LABELS,
    EntryKind: ENTRY_KIND_LABELS,
    Response: RESPONSE_LABELS,
    EntryStatus: ENTRY_STATUS_LABELS,
    ActionStatus: ACTION_STATUS_LABELS,
    DecisionStatus: DECISION_STATUS_LABELS,
    Trend: TREND_LABELS,
    DeliveryStatus: DELIVERY_STATUS_LABELS,
    RunStatus: RUN_STATUS_LABELS,
    AuditAction: AUDIT_ACTION_LABELS,
    SignInMethod: SIGN_IN_METHOD_LABELS,
    SignInResult: SIGN_IN_RESULT_LABELS,
    RoleSource: ROLE_SOURCE_LABELS,
}
"""Each enum's labels, so `label` can word any stored value."""


def label(value: StrEnum) -> str:
    """A stored value as people read it: `label(Stage.BUSINESS_CASE)` is 'Business case'."""
    return LABELS[type(value)][value]
