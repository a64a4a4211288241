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
