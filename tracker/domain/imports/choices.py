"""The words people use for the tracker's fixed lists, mapped to the values the tracker stores.

Keys are normalised (lower case, single spaces for spaces, hyphens and underscores).
"""

STAGES = {
    "idea": "idea", "pipeline": "idea", "proposal": "idea", "concept": "idea",
    "business case": "business_case", "bc": "business_case", "planning": "business_case",
    "delivery": "delivery", "in delivery": "delivery", "in progress": "delivery", "live": "delivery",
    "closing": "closing", "closedown": "closing", "close down": "closing",
    "closed": "closed", "complete": "closed", "completed": "closed",
}  # fmt: skip
FOCUSES = {
    "service improvement": "service_improvement", "service": "service_improvement",
    "improvement": "service_improvement", "cost reduction": "cost_reduction", "cost": "cost_reduction",
    "savings": "cost_reduction", "efficiency": "cost_reduction", "both": "both",
}  # fmt: skip
MILESTONE_KINDS = {
    "it delivery": "it_delivery", "it": "it_delivery", "technology": "it_delivery",
    "technical": "it_delivery",
    "business change": "business_change", "change": "business_change", "governance": "governance",
    "gateway": "governance", "decision": "governance", "benefit": "benefit", "benefits": "benefit",
}  # fmt: skip
MILESTONE_STATUSES = {
    "not started": "not_started", "planned": "not_started", "in progress": "in_progress",
    "started": "in_progress", "ongoing": "in_progress", "complete": "complete", "completed": "complete",
    "done": "complete", "achieved": "complete", "cancelled": "cancelled", "canceled": "cancelled",
}  # fmt: skip
COST_TYPES = {"capital": "capital", "capex": "capital", "cap": "capital", "revenue": "revenue",
              "revex": "revenue", "opex": "revenue", "rev": "revenue"}  # fmt: skip
RECURRENCES = {"one off": "one_off", "oneoff": "one_off", "once": "one_off", "one time": "one_off",
               "recurring": "recurring", "annual": "recurring", "ongoing": "recurring"}  # fmt: skip
CONFIDENCE_SOURCES = {
    "sro self assessment": "self_assessment", "self assessment": "self_assessment", "sro": "self_assessment",
    "self": "self_assessment", "ipa or internal assurance review": "assurance_review",
    "assurance review": "assurance_review", "ipa": "assurance_review", "ipa review": "assurance_review",
    "internal assurance review": "assurance_review", "assurance": "assurance_review",
    "gateway review": "gateway_review", "gateway": "gateway_review",
}  # fmt: skip
INVESTMENT_CATEGORIES = {
    "technology": "technology", "tech": "technology", "it": "technology", "ict": "technology",
    "digital": "technology", "business change": "business_change", "change": "business_change",
    "transformation": "business_change", "other": "other", "construction": "other", "staff": "other",
    "grant": "other", "grants": "other", "property": "other", "estates": "other",
}  # fmt: skip
ENTRY_KINDS = {"risk": "risk", "threat": "risk", "issue": "issue", "problem": "issue"}
LIKELIHOODS = {
    "1": "1", "2": "2", "3": "3", "4": "4", "5": "5",
    "very low": "1", "vl": "1", "rare": "1", "remote": "1", "low": "2", "l": "2", "unlikely": "2",
    "medium": "3", "med": "3", "m": "3", "possible": "3", "moderate": "3", "high": "4", "h": "4",
    "likely": "4", "probable": "4", "very high": "5", "vh": "5", "almost certain": "5", "certain": "5",
}  # fmt: skip
"""A 5-point scale read from numbers or words: low is 2 and high is 4, very low 1 and very high 5."""
IMPACTS = {
    "1": "1", "2": "2", "3": "3", "4": "4", "5": "5",
    "very low": "1", "vl": "1", "negligible": "1", "insignificant": "1", "low": "2", "l": "2",
    "minor": "2", "medium": "3", "med": "3", "m": "3", "moderate": "3", "high": "4", "h": "4",
    "major": "4", "significant": "4", "very high": "5", "vh": "5", "severe": "5", "critical": "5",
    "catastrophic": "5",
}  # fmt: skip
RESPONSES = {
    "tolerate": "tolerate", "accept": "tolerate", "treat": "treat", "reduce": "treat", "mitigate": "treat",
    "transfer": "transfer", "share": "transfer", "terminate": "terminate", "avoid": "terminate",
}  # fmt: skip
ENTRY_STATUSES = {
    "open": "open", "live": "open", "active": "open", "new": "open", "in progress": "open",
    "ongoing": "open", "closed": "closed", "resolved": "closed", "complete": "closed",
    "completed": "closed", "retired": "closed",
}  # fmt: skip
ACTION_STATUSES = {
    "open": "open", "not started": "open", "in progress": "open", "ongoing": "open", "overdue": "open",
    "done": "done", "complete": "done", "completed": "done", "closed": "done",
}  # fmt: skip
DECISION_STATUSES = {
    "proposed": "proposed", "pending": "proposed", "draft": "proposed", "made": "made", "agreed": "made",
    "approved": "made", "decided": "made", "superseded": "superseded", "replaced": "superseded",
}  # fmt: skip
LESSON_KINDS = {
    "went well": "went_well", "what went well": "went_well", "positive": "went_well",
    "success": "went_well", "do differently": "do_differently", "what to do differently": "do_differently",
    "even better if": "do_differently", "improvement": "do_differently", "improve": "do_differently",
    "negative": "do_differently",
}  # fmt: skip
CHANGE_KINDS = {
    "scope": "scope", "time": "time", "schedule": "time", "timescale": "time", "cost": "cost",
    "budget": "cost", "money": "cost", "benefits": "benefits", "benefit": "benefits",
}  # fmt: skip
CHANGE_STATUSES = {
    "pending": "pending", "waiting": "pending", "approved": "approved", "agreed": "approved",
    "accepted": "approved", "rejected": "rejected", "declined": "rejected", "refused": "rejected",
    "withdrawn": "withdrawn",
}  # fmt: skip
GATE_STATUSES = {
    "pending": "pending", "waiting for a decision": "pending", "waiting": "pending",
    "approved": "approved", "passed": "approved", "agreed": "approved", "deferred": "deferred",
    "rejected": "rejected", "failed": "rejected", "not approved": "rejected", "withdrawn": "withdrawn",
}  # fmt: skip
