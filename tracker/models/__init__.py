"""SQLAlchemy models, one module per aggregate; importing this registers them all."""

from tracker.domain.vocabulary import (
    ActionStatus,
    AuditAction,
    BenefitStatus,
    BenefitType,
    ChangeKind,
    ChangeRequestKind,
    ChangeRequestStatus,
    Confidence,
    ConfidenceSource,
    CostType,
    DecisionStatus,
    DeliveryStatus,
    Direction,
    EntryKind,
    EntryStatus,
    Focus,
    GateStatus,
    InvestmentCategory,
    LessonKind,
    MilestoneKind,
    MilestoneStatus,
    Rag,
    Recurrence,
    RequestStatus,
    Response,
    Role,
    RunStatus,
    Stage,
    Trend,
)
from tracker.models.assessments import RiskAssessment
from tracker.models.audit import AuditEvent
from tracker.models.benefits import Benefit, Measurement, TrajectoryPoint
from tracker.models.capacity import MilestoneTeamLoad, ServiceTeam
from tracker.models.changes import ChangeRequest
from tracker.models.dependencies import MilestoneDependency
from tracker.models.figures import ProgrammeFigures
from tracker.models.gates import GateRequest
from tracker.models.imports import ImportUpload, ImportUploadFile, SavedMapping
from tracker.models.jobs import DigestDelivery, JobRun, Setting
from tracker.models.lessons import Lesson
from tracker.models.milestones import Milestone, MilestoneChange, RebaselineRequest
from tracker.models.money import Investment
from tracker.models.pipeline import PipelineScenario, PipelineScenarioProgramme, PipelineScore
from tracker.models.programmes import Programme, ProgrammeMember, StatusUpdate
from tracker.models.raid import Decision, ProgrammeAction
from tracker.models.register import RegisterEntry
from tracker.models.returns import ProgrammeReturn
from tracker.models.scim import ScimGroup, ScimGroupMember
from tracker.models.users import ApiToken, ScimToken, SignInEvent, SignInThrottle, User, UserSession

__all__ = [
    "ActionStatus",
    "ApiToken",
    "AuditAction",
    "AuditEvent",
    "Benefit",
    "BenefitStatus",
    "BenefitType",
    "ChangeKind",
    "ChangeRequest",
    "ChangeRequestKind",
    "ChangeRequestStatus",
    "Confidence",
    "ConfidenceSource",
    "CostType",
    "Decision",
    "DecisionStatus",
    "DeliveryStatus",
    "DigestDelivery",
    "Direction",
    "EntryKind",
    "EntryStatus",
    "Focus",
    "GateRequest",
    "GateStatus",
    "ImportUpload",
    "ImportUploadFile",
    "Investment",
    "InvestmentCategory",
    "JobRun",
    "Lesson",
    "LessonKind",
    "Measurement",
    "Milestone",
    "MilestoneChange",
    "MilestoneDependency",
    "MilestoneKind",
    "MilestoneStatus",
    "MilestoneTeamLoad",
    "PipelineScenario",
    "PipelineScenarioProgramme",
    "PipelineScore",
    "Programme",
    "ProgrammeAction",
    "ProgrammeFigures",
    "ProgrammeMember",
    "ProgrammeReturn",
    "Rag",
    "RebaselineRequest",
    "Recurrence",
    "RegisterEntry",
    "RequestStatus",
    "Response",
    "RiskAssessment",
    "Role",
    "RunStatus",
    "SavedMapping",
    "ScimGroup",
    "ScimGroupMember",
    "ScimToken",
    "ServiceTeam",
    "Setting",
    "SignInEvent",
    "SignInThrottle",
    "Stage",
    "StatusUpdate",
    "TrajectoryPoint",
    "Trend",
    "User",
    "UserSession",
]
