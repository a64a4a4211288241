"""The demo council as plain values, so the portfolio reads (and is reviewed) like a board paper.

Dates are whole days from the day of seeding (negative is past); money is in £ thousands; a
benefit's planned values are quarterly from its `start`. `flags` on each programme lists the
risk rules it is meant to trip with the default thresholds; the test checks them.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.vocabulary import (
    BenefitStatus,
    BenefitType,
    CostType,
    DecisionStatus,
    Direction,
    Focus,
    InvestmentCategory,
    LessonKind,
    MilestoneKind,
    Rag,
    Recurrence,
    Stage,
)

IT, CHANGE, GOV, BENEFIT = MilestoneKind
CAP, REV = CostType
ONE, REC = Recurrence
CASH, NONCASH, SERVICE, DIS = BenefitType
TECH, BC, OTHER = InvestmentCategory
UP, DOWN = Direction
WELL, DIFFERENTLY = LessonKind

# (key, email, name, role): one user per role, and a second programme manager.
DEMO_USERS: tuple[tuple[str, str, str, str], ...] = (
    ("admin", "admin@demo.council.example", "Alex Morgan", "admin"),
    ("cio", "cio@demo.council.example", "Helen Carter", "cio"),
    ("board", "board@demo.council.example", "Sam Okafor", "board"),
    ("pm", "pm@demo.council.example", "Priya Shah", "programme_manager"),
    ("pm2", "pm2@demo.council.example", "Tom Barker", "programme_manager"),
    ("viewer", "viewer@demo.council.example", "Grace Oduya", "viewer"),
)


@dataclass(frozen=True)
class Ms:
    """A milestone; `original` and `rebaselined` (days ago approved) mark an approved re-baseline."""

    title: str
    kind: MilestoneKind
    baseline: int
    forecast: int | None = None
    actual: int | None = None
    critical: bool = False
    reason: str = ""
    original: int | None = None
    rebaselined: int | None = None
    pending: int | None = None  # a proposed new baseline awaiting the CIO


@dataclass(frozen=True)
class Cost:
    title: str
    cost_type: CostType
    recurrence: Recurrence
    year: int  # 0 is the current financial year, -1 the previous one
    requested: int | None  # thousands of pounds; None is not known
    approved: int | None
    forecast: int | None
    actual: int | None
    category: InvestmentCategory = TECH


@dataclass(frozen=True)
class Ben:
    title: str
    kind: BenefitType
    measure: str
    unit: str
    direction: Direction
    owner: str
    start: int
    planned: tuple[int, ...]
    measured: tuple[int, ...] = ()
    adoption: bool = False
    status: BenefitStatus = BenefitStatus.TRACKING
    reason: str = ""
    handed_over: int | None = None  # days from today the programme handed it to its owner


@dataclass(frozen=True)
class Risk:
    title: str
    likelihood: int
    impact: int
    owner: str
    mitigation: str
    issue: bool = False
    closed: bool = False
    raised_from: str | None = None  # title of the risk an issue came from


@dataclass(frozen=True)
class Learnt:
    """A lesson learned, recorded `recorded` days ago by the programme's manager."""

    kind: LessonKind
    title: str
    what_happened: str
    recommendation: str
    recorded: int


@dataclass(frozen=True)
class Act:
    """An action: due in days from seeding (None: not known); `done` days from seeding when done."""

    title: str
    owner: str
    due: int | None
    done: int | None = None
    responds_to: str | None = None  # title of the risk or issue it answers


@dataclass(frozen=True)
class Dec:
    """A decision, made (or proposed, or superseded) `on` days from seeding."""

    title: str
    detail: str
    decided_by: str
    on: int | None
    status: DecisionStatus = DecisionStatus.MADE


@dataclass(frozen=True)
class Dep:
    """A milestone of one programme waiting for a milestone of another, needed by a day from seeding."""

    code: str
    milestone: str
    on_code: str
    on_milestone: str
    needed_by: int
    note: str = ""


@dataclass(frozen=True)
class Prog:
    code: str
    name: str
    directorate: str
    focus: Focus
    stage: Stage
    sro: str
    manager: str | None  # a DEMO_USERS key
    dates: tuple[int, int, int]  # start, baseline end, forecast end
    confidence: Rag | None
    commentary: str
    updated: int  # days since the last report
    rags: str  # schedule, cost, benefits, resources as G/A/R
    flags: tuple[str, ...]
    description: str
    change_plan: str = ""
    adoption_owner: str = ""
    paused: bool = False
    members: tuple[tuple[str, str], ...] = ()
    earlier: str = ""  # narrative of the report before the latest, if there was one
    milestones: tuple[Ms, ...] = ()
    costs: tuple[Cost, ...] = ()
    benefits: tuple[Ben, ...] = ()
    risks: tuple[Risk, ...] = ()
    lessons: tuple[Learnt, ...] = ()
    actions: tuple[Act, ...] = ()
    decisions: tuple[Dec, ...] = ()


OBJECTIVES = {
    "Customer and Digital": "Residents can do more online, at any time",
    "Resources": "A council that lives within its means",
    "Adults' Social Care": "People live independently for longer",
    "Children's Services": "Children and families get help early",
    "Place and Environment": "Clean, green and well-run neighbourhoods",
    "Housing and Communities": "Safe, warm and well-repaired homes",
}

JOANNE = "Joanne Reid, Head of Customer Services"
KAREN = "Karen Lowe, Head of Finance Operations"
CHRIS = "Chris Adams, Principal Social Worker"
AMINA = "Amina Yusuf, Revenues and Benefits Manager"
DEAN = "Dean Walsh, Waste Operations Manager"
BETH = "Beth Morris, Libraries Manager"
DAN = "Dan Price, Contact Centre Manager"

# fmt: off
PROGRAMMES: tuple[Prog, ...] = (
    Prog(
        "DIG-001", "Digital front door", "Customer and Digital", Focus.BOTH, Stage.DELIVERY,
        "Mark Ellis", "pm", (-420, 240, 240), Rag.GREEN,
        "On track: council tax and bins forms are live and online take-up is ahead of plan.", 6, "GGGG", (),
        "One customer portal with accounts, so residents can report, apply and pay online and track it.",
        "Agents complete forms with callers in the portal; the council tax phone line closes once "
        "60% of contacts are online.", JOANNE,
        earlier="Portal live; first two services being tested with residents.",
        milestones=(
            Ms("Business case approved by Cabinet", GOV, -380, actual=-384),
            Ms("Portal contract signed", GOV, -300, actual=-298),
            Ms("Council tax and bins forms live", IT, -120, actual=-118, critical=True, original=-150,
               rebaselined=200, reason="Waiting for the council tax system upgrade"),
            Ms("Agents use the portal for assisted contacts", CHANGE, -60, actual=-55),
            Ms("Housing repairs forms live", IT, 45, 52, reason="Supplier test environment down for a week"),
            Ms("Council tax phone line closes", CHANGE, 150, critical=True),
            Ms("Six-month benefits review", BENEFIT, 240),
        ),
        costs=(
            Cost("Portal set-up", CAP, ONE, -1, 380, 380, 372, 372),
            Cost("Digital team (3 posts)", REV, REC, -1, 150, 150, 148, 148),
            Cost("Portal subscription", REV, REC, 0, 120, 120, 120, 60),
            Cost("Phase 2 forms and integrations", CAP, ONE, 0, 200, 200, 195, 60),
            Cost("Digital team (3 posts)", REV, REC, 0, 155, 155, 155, 75),
        ),
        benefits=(
            Ben("More contacts completed online", SERVICE, "Share of tax and bins contacts done online",
                "%", UP, JOANNE, -380, (22, 26, 32, 38, 44, 52, 60), (22, 27, 33, 39, 45), adoption=True),
            Ben("Reduced cost of handling contacts", CASH, "Yearly saving, contacts moved online", "£", UP,
                DAN, -380, (0, 20_000, 55_000, 100_000, 150_000, 210_000, 280_000),
                (0, 21_000, 57_000, 104_000, 152_000)),
        ),
        risks=(
            Risk("Residents without internet access are left behind", 3, 3, JOANNE,
                 "Assisted digital help in libraries and by phone"),
            Risk("Supplier releases slip", 2, 3, "Priya Shah", "Monthly release plan review"),
        ),
        lessons=(
            Learnt(WELL, "Test each form with residents before it goes live",
                   "Two rounds of testing in libraries found the questions people could not answer; the "
                   "council tax form went live with half the drop-outs of the old one.",
                   "Book residents for testing when the form is designed, not when it is built.", 90),
        ),
    ),
    Prog(
        "FIN-002", "Finance and HR system replacement (ERP)", "Resources", Focus.COST_REDUCTION,
        Stage.DELIVERY, "Richard Holt", "pm", (-640, 400, 450), Rag.AMBER,
        "Finance go-live has moved twice and integrator costs are over budget; a revised funding "
        "request goes to Cabinet next month.", 12, "RRAA",
        ("forecast_slip", "repeated_rebaselining", "cost_overrun", "burn_ahead_of_progress",
         "no_forecast", "investment_gap", "whole_life_cost_growth"),
        "Replaces the 20-year-old ledger and payroll with one cloud system for finance, HR and payroll.",
        "Budget managers raise orders and approve timesheets themselves, and the central transactions "
        "team gets smaller.", KAREN,
        milestones=(
            Ms("Outline business case approved", GOV, -600, actual=-600),
            Ms("System integrator appointed", GOV, -480, actual=-470, critical=True),
            Ms("Finance design signed off", IT, -120, actual=-115, original=-140, rebaselined=150,
               reason="Chart of accounts redesign took longer than planned"),
            Ms("Finance go-live", IT, 60, 110, critical=True, original=-30, rebaselined=40,
               reason="Second trial load from the old ledger failed reconciliation"),
            Ms("HR and payroll go-live", IT, 180, 230, critical=True, pending=230,
               reason="Payroll parallel run found 300 pay differences to resolve"),
            Ms("Budget managers raise their own orders", CHANGE, 120, 140, reason="Follows finance go-live"),
            Ms("Transactions team restructured", CHANGE, 300),
            Ms("Benefits realisation review", BENEFIT, 450),
        ),
        costs=(
            Cost("ERP subscription", REV, REC, -1, 450, 450, 450, 450),
            Cost("System integrator, phase 1", CAP, ONE, -1, 1600, 1200, 1480, 1480),
            Cost("System integrator, phase 2", CAP, ONE, 0, 1400, 900, 1500, 350),
            Cost("ERP subscription", REV, REC, 0, 460, 460, 460, 230),
            Cost("Backfill for finance staff", REV, ONE, 0, 300, 150, None, 110, BC),
        ),
        benefits=(
            Ben("Reduced cost of finance and HR transactions", CASH, "Yearly saving in staff and licences",
                "£", UP, KAREN, 90, (0, 150_000, 400_000, 650_000, 900_000)),
            Ben("More orders raised by budget managers", SERVICE, "Share of orders raised by budget managers",
                "%", UP, KAREN, 120, (0, 40, 70, 90), adoption=True),
        ),
        risks=(
            Risk("Payroll errors at go-live", 3, 5, "Sarah Quinn, Head of HR",
                 "Two parallel runs and sign-off by the payroll manager"),
            Risk("Integrator's key staff leave", 3, 3, "Priya Shah", "Named staff written into the contract"),
        ),
    ),
    Prog(
        "ICT-003", "Hybrid working and device refresh", "Resources", Focus.COST_REDUCTION, Stage.DELIVERY,
        "Andrew Lyle", "pm2", (-300, 200, 200), Rag.AMBER,
        "Wave 1 is done; most of the budget went on devices bought up front.", 10, "GAAG",
        ("burn_ahead_of_progress", "technology_only", "whole_life_cost_growth"),
        "New laptops for 2,300 staff and hybrid meeting rooms, so one office can close.",
        milestones=(
            Ms("Laptop build signed off", IT, -220, actual=-225),
            Ms("Wave 1: 1,200 laptops issued", IT, -90, actual=-85, critical=True),
            Ms("Wave 2: 1,100 laptops issued", IT, 40, 55, reason="Courier strike delayed delivery"),
            Ms("Meeting rooms fitted for hybrid meetings", IT, 90),
            Ms("Old desktops securely disposed of", IT, 150),
            Ms("Project closure report", GOV, 200),
        ),
        costs=(
            Cost("Laptops, docks and headsets", CAP, ONE, -1, 1500, 1500, 1480, 1480),
            Cost("Laptops, wave 2", CAP, ONE, 0, 600, 600, 610, 350),
            Cost("Meeting room equipment", CAP, ONE, 0, 250, 250, 240, 20),
            Cost("Microsoft 365 licence uplift", REV, REC, 0, 180, 180, 180, 90),
        ),
        benefits=(
            Ben("Reduced office running costs", CASH, "Yearly saving from closing Riverside House", "£", UP,
                "Neil Carter, Head of Property", -120, (0, 50_000, 150_000, 300_000), (0, 52_000)),
            Ben("Fewer hours lost to slow or faulty devices", NONCASH, "Staff hours lost a month", "hours",
                DOWN, "Lucy Grant, IT Service Desk Manager", -300, (2000, 1700, 1300, 1000, 800),
                (2000, 1650, 1250, 950)),
        ),
        risks=(
            Risk("Staff keep booking rooms without hybrid kit", 3, 3, "", ""),
            Risk("Laptop prices rise", 2, 3, "Andrew Lyle", "Wave 2 prices fixed in the framework call-off"),
        ),
        actions=(
            Act("Remind staff which rooms have hybrid kit", "", None,
                responds_to="Staff keep booking rooms without hybrid kit"),
        ),
        decisions=(
            Dec("Buy wave 2 through the framework call-off", "Fixes prices for 18 months; a fresh tender "
                "would have delayed wave 2 by a quarter.", "Andrew Lyle, Head of IT", -150),
            Dec("Close Riverside House in the summer", "Awaiting the property review.", "Cabinet", 60,
                DecisionStatus.PROPOSED),
        ),
    ),
    Prog(
        "ASC-004", "Social care case management replacement", "Adults' Social Care",
        Focus.SERVICE_IMPROVEMENT, Stage.DELIVERY, "Margaret Evans", "pm", (-500, 330, 370), Rag.GREEN,
        "Training plan agreed and the supplier is confident; the migration trial is re-run next month.", 8,
        "AGGA",
        ("overdue_milestone", "forecast_slip", "unmitigated_high_risks", "end_date_moved", "overdue_action",
         "over_capacity", "dependency_late", "optimism"),
        "Replaces the adults' case recording system, whose support ends next year.",
        "Social workers record assessments on tablets during visits; the paper form goes and team "
        "managers review cases in the system.", CHRIS, members=(("pm2", "Data migration lead"),),
        earlier="Configuration complete for adults' teams.",
        milestones=(
            Ms("Supplier contract signed", GOV, -420, actual=-421),
            Ms("Adults' workflows configured", IT, -150, actual=-140),
            Ms("Data migration trial run", IT, -40, 35, critical=True, original=-100, rebaselined=250,
               pending=35, reason="Legacy case records failed validation in the first trial"),
            Ms("Social workers trained (240 staff)", CHANGE, 60, 100, critical=True,
               reason="Training needs a migrated test system"),
            Ms("Go-live for adults' teams", IT, 120, 160, critical=True, reason="Follows the migration"),
            Ms("Old system archived", IT, 250),
            Ms("Assessment times reviewed", BENEFIT, 330),
        ),
        costs=(
            Cost("Case management licences", REV, REC, -1, 105, 105, 105, 105),
            Cost("Implementation and migration", CAP, ONE, -1, 200, 200, 195, 195),
            Cost("Case management licences", REV, REC, 0, 215, 215, 215, 55),
            Cost("Implementation and migration", CAP, ONE, 0, 400, 400, 420, 60),
            Cost("Tablets for social workers", CAP, ONE, 0, 120, 120, 118, 0),
        ),
        benefits=(
            Ben("Faster: days to assess a care need", SERVICE, "Average days from referral to assessment",
                "days", DOWN, CHRIS, -30, (28, 28, 24, 18, 14), (28,)),
            Ben("More assessments recorded during the visit", SERVICE, "Share recorded on a tablet at visits",
                "%", UP, CHRIS, 152, (0, 50, 80, 90), adoption=True),
            Ben("Social worker hours released from double recording", NONCASH, "Hours a month retyping notes",
                "hours", DOWN, "Mark Blake, Team Manager", -30, (3200, 3200, 2000, 1200, 800), (3200,)),
        ),
        risks=(
            Risk("Legacy case records fail migration checks", 4, 4, "Tom Barker",
                 "Data cleansing sprint before each trial", closed=True),
            Risk("Migration trial rejected 18% of case records", 5, 4, "Tom Barker",
                 "Cleansing team of four; trial re-run next month", issue=True,
                 raised_from="Legacy case records fail migration checks"),
            Risk("Not enough social workers released for training", 4, 4, CHRIS, ""),
            Risk("Old system support ends in March", 3, 5, "", "Extended support quoted by the supplier"),
        ),
        actions=(
            Act("Release 40 social workers a week for training", CHRIS, -12,
                responds_to="Not enough social workers released for training"),
            Act("Extend the cleansing team to the second trial", "Tom Barker", 20,
                responds_to="Migration trial rejected 18% of case records"),
            Act("Get a price for extended support of the old system", "Margaret Evans", -30, done=-33,
                responds_to="Old system support ends in March"),
        ),
        decisions=(
            Dec("Re-run the migration trial before go-live",
                "A second trial after data cleansing, rather than going live with 18% of records fixed by "
                "hand: the risk to safeguarding records was too high.", "Programme board", -45),
            Dec("Go live with adults' teams first", "Children's teams follow once adults' are stable, so "
                "trainers and floor-walkers are not spread across both.", "Adults' Social Care DMT", -400),
        ),
    ),
    Prog(
        "DAT-005", "Data platform", "Customer and Digital", Focus.SERVICE_IMPROVEMENT, Stage.DELIVERY,
        "Mark Ellis", "pm2", (-360, 270, 280), Rag.AMBER,
        "The platform is live, but services are slow to use the dashboards.", 14, "GGRA",
        ("benefits_behind_trajectory", "no_benefits"),
        "A shared data platform and dashboards, so services manage from live data rather than packs.",
        "Service managers use live dashboards in monthly performance meetings; the insight team stops "
        "building packs by hand.", "Ruth Nolan, Head of Insight", members=(("pm", "Benefits lead"),),
        milestones=(
            Ms("Cloud data platform live", IT, -200, actual=-205, critical=True),
            Ms("First five services' data loaded", IT, -100, actual=-95),
            Ms("Performance packs replaced by dashboards", CHANGE, 60, 75, reason="More training asked for"),
            Ms("Data sharing agreement with health signed", GOV, 120),
            Ms("Insight team restructured", CHANGE, 270, 280, reason="Consultation period extended"),
        ),
        costs=(
            Cost("Data platform build", CAP, ONE, -1, 180, 180, 180, 180),
            Cost("Data platform build", CAP, ONE, 0, 140, 140, 140, 40),
            Cost("Platform hosting", REV, REC, 0, 90, 90, 95, 45),
            Cost("Data engineers (2 posts)", REV, REC, 0, 140, 140, 140, 70),
        ),
        benefits=(
            Ben("More services using live dashboards", SERVICE, "Services using dashboards in meetings",
                "services", UP, "Ruth Nolan, Head of Insight",
                -200, (0, 2, 5, 8, 12), (0, 1, 2), adoption=True),
            Ben("Analyst hours released from building reports", NONCASH, "Insight hours a month on packs",
                "hours", DOWN, "", -200, (600, 550, 450, 350, 300), (600, 540, 440)),
        ),
        risks=(Risk("Services keep their own spreadsheets", 4, 3, "Ruth Nolan", "Dashboards co-designed"),),
    ),
    Prog(
        "REV-006", "Revenues and benefits automation", "Resources", Focus.COST_REDUCTION, Stage.DELIVERY,
        "Richard Holt", "pm", (-330, 210, 210), Rag.GREEN,
        "Three processes automated; hours released are ahead of plan.", 4, "GGGG", (),
        "Software robots process council tax moves and benefit changes of circumstance.",
        "Assessors stop re-keying changes and handle only exceptions; released hours clear the backlog, "
        "then replace agency staff.", AMINA,
        earlier="Council tax moves automated; assessors' exception training done.",
        milestones=(
            Ms("Automation platform approved", GOV, -300, actual=-305),
            Ms("Council tax moves automated", IT, -180, actual=-182),
            Ms("Assessors trained to handle exceptions", CHANGE, -150, actual=-150),
            Ms("Changes of circumstance automated", IT, -40, actual=-38, critical=True),
            Ms("Agency contracts ended", CHANGE, 90),
            Ms("Discretionary housing payments automated", IT, 150, 160, reason="Awaiting a DWP data change"),
        ),
        costs=(
            Cost("Automation platform licences", REV, REC, -1, 60, 60, 60, 60),
            Cost("Process automation build", CAP, ONE, -1, 140, 140, 135, 135),
            Cost("Automation platform licences", REV, REC, 0, 65, 65, 65, 33),
            Cost("Process automation build", CAP, ONE, 0, 110, 110, 110, 50),
        ),
        benefits=(
            Ben("Reduced agency staff costs", CASH, "Yearly spend on agency staff", "£", DOWN, AMINA, -270,
                (240_000, 220_000, 180_000, 140_000, 100_000), (240_000, 215_000, 175_000)),
            Ben("Assessor hours released from re-keying", NONCASH, "Hours a month re-keying changes", "hours",
                DOWN, AMINA, -270, (900, 800, 600, 400, 300), (900, 780, 560), adoption=True),
            Ben("Faster: days to process a change of circumstances", SERVICE, "Average days to process",
                "days", DOWN, AMINA, -270, (18, 16, 13, 10, 8), (18, 15, 12)),
        ),
        risks=(
            Risk("DWP changes the data feed format", 2, 4, AMINA, "Supplier watches DWP notices"),
            Risk("Robot fails silently at month end", 3, 4, "Lucy Grant, IT Service Desk Manager",
                 "Daily exception report checked by a team leader"),
        ),
    ),
    Prog(
        "WST-007", "Smart waste collection routing", "Place and Environment", Focus.BOTH, Stage.DELIVERY,
        "Gareth Price", "pm2", (-400, 120, 120), Rag.AMBER,
        "Routes live at North depot; crew feedback sessions are behind.", 75, "AGGA",
        ("overdue_milestone", "stale"),
        "Optimised collection routes on in-cab tablets, with missed bins reported live.",
        "Crews follow optimised routes on tablets and report problems live; depots stop printing round "
        "sheets.", DEAN,
        milestones=(
            Ms("Routing software procured", GOV, -330, actual=-335),
            Ms("Tablets fitted to 40 vehicles", IT, -200, actual=-190, critical=True),
            Ms("Optimised routes live at North depot", IT, -110, actual=-105),
            Ms("Feedback sessions held with all crews", CHANGE, -20),
            Ms("Optimised routes live at South depot", IT, 60),
            Ms("Paper round sheets withdrawn", CHANGE, 110),
        ),
        costs=(
            Cost("Tablets and mounts", CAP, ONE, -1, 180, 180, 178, 178),
            Cost("Routing software implementation", CAP, ONE, 0, 240, 240, 240, 90),
            Cost("Routing software subscription", REV, REC, 0, 75, 75, 75, 40),
            Cost("Crew training and backfill", REV, ONE, 0, 60, 60, 60, 10, BC),
        ),
        benefits=(
            Ben("Reduced fuel costs", CASH, "Yearly fuel spend on collection rounds", "£", DOWN, DEAN, -300,
                (820_000, 800_000, 760_000, 720_000, 700_000), (820_000, 795_000, 755_000)),
            Ben("More missed-bin reports while crews learn new routes", DIS, "Missed-bin reports a month",
                "reports", DOWN, DEAN, -300, (350, 350, 450, 420, 350), (350, 360, 460)),
        ),
        risks=(
            Risk("Crews reject tablet routes", 3, 4, DEAN, "A crew champion at each depot"),
            Risk("No mobile signal on rural rounds", 4, 2, "Tom Barker", "Offline maps on the tablets"),
        ),
    ),
    Prog(
        "LIB-008", "Libraries self-service", "Place and Environment", Focus.SERVICE_IMPROVEMENT,
        Stage.DELIVERY, "Sian Roberts", "pm", (-280, 180, 180), Rag.GREEN,
        "Self-service hours are live in four of six libraries.", 9, "GGGG", (),
        "Card entry and kiosks so libraries open longer, with staff freed for events and digital help.",
        "Residents enter with their library card outside staffed hours; staff move to events and digital "
        "help sessions.", BETH,
        milestones=(
            Ms("Pilot at Central Library", IT, -200, actual=-204),
            Ms("Staff rotas changed for self-service hours", CHANGE, -120, actual=-125),
            Ms("Self-service live in four libraries", IT, -30, actual=-33, critical=True),
            Ms("Self-service live in all six libraries", IT, 90, 100, reason="Building works at Eastfield"),
            Ms("Review with library users", BENEFIT, 170),
        ),
        costs=(
            Cost("Door access and kiosks", CAP, ONE, -1, 160, 160, 158, 158, OTHER),
            Cost("Kiosks for two more libraries", CAP, ONE, 0, 90, 90, 90, 20),
            Cost("Kiosk support contract", REV, REC, 0, 25, 25, 25, 12),
        ),
        benefits=(
            Ben("More opening hours", SERVICE, "Hours a week libraries are open", "hours", UP, BETH, -220,
                (240, 260, 300, 340, 380), (240, 265, 305), adoption=True),
            Ben("Staff time released for events and digital help", NONCASH, "Staff hours a week on events",
                "hours", UP, BETH, -220, (40, 50, 70, 90, 100), (40, 52, 72)),
        ),
        risks=(Risk("Safety of lone users out of hours", 2, 4, BETH, "CCTV, help point and door alarms"),),
    ),
    Prog(
        "CCT-009", "Contact centre cloud telephony", "Customer and Digital", Focus.COST_REDUCTION,
        Stage.CLOSING, "Mark Ellis", "pm", (-450, 45, 60), Rag.AMBER,
        "Switched over; closing the old contracts. Extra call-recording licences put costs over budget.", 45,
        "GAGG", ("cost_overrun", "stale", "gate_overdue"),
        "Moves the contact centre from an on-site phone system to a cloud service with call-backs.",
        "Agents work from home or office; call-backs replace queues at peak times; supervisors move staff "
        "between queues from live dashboards.", DAN,
        milestones=(
            Ms("Cloud telephony supplier chosen", GOV, -400, actual=-398),
            Ms("Agents trained on call-backs", CHANGE, -150, actual=-150),
            Ms("Switch-over from the old phone system", IT, -120, actual=-118, critical=True),
            Ms("Old telephony contract ended", GOV, 30, 45, reason="Notice period longer than expected"),
            Ms("Closure report", GOV, 45, 60, reason="Follows the contract end"),
        ),
        costs=(
            Cost("Cloud telephony set-up", CAP, ONE, -1, 150, 150, 170, 170),
            Cost("Cloud telephony subscription", REV, REC, 0, 130, 130, 140, 35),
            Cost("Call recording licences", REV, REC, 0, 0, 0, 22, 10),
        ),
        benefits=(
            Ben("Reduced telephony costs", CASH, "Yearly telephony spend", "£", DOWN, DAN, -300,
                (260_000, 240_000, 190_000, 170_000, 160_000), (260_000, 238_000, 185_000)),
            Ben("Shorter waits to speak to someone", SERVICE, "Average seconds to answer", "seconds", DOWN,
                DAN, -300, (420, 400, 300, 240, 200), (420, 390, 290), adoption=True),
        ),
        risks=(Risk("Old supplier charges exit fees", 3, 3, "Mark Ellis", "Exit clause reviewed by legal"),),
    ),
    Prog(
        "CHI-010", "Children's early help digital", "Children's Services", Focus.SERVICE_IMPROVEMENT,
        Stage.DELIVERY, "Naomi Clarke", None, (-200, 300, 300), Rag.AMBER,
        "No programme manager since September; the SRO reports in the meantime.", 20, "AAAR",
        ("no_benefits", "investment_gap", "unmitigated_high_risks", "over_capacity"),
        "One shared family plan for early help, used by schools, health and the council.",
        "Practitioners from every agency work from one family plan instead of each keeping their own.",
        "Owen Fletcher, Early Help Service Manager",
        milestones=(
            Ms("Discovery with families and practitioners", GOV, -150, actual=-148),
            Ms("Family plan prototype tested", IT, -40, actual=-35),
            Ms("Shared family plan live for pilot schools", IT, 100, critical=True),
            Ms("Pilot schools' practitioners use the shared plan", CHANGE, 160),
            Ms("Roll-out decision", GOV, 280),
        ),
        costs=(
            Cost("Discovery research", REV, ONE, -1, 40, 40, 38, 38, BC),
            Cost("Family plan platform", CAP, ONE, 0, 380, 250, 250, 60),
            Cost("Practitioner backfill", REV, ONE, 0, 140, 100, 100, 20, BC),
        ),
        risks=(
            Risk("Schools will not share data without an agreement", 4, 4, "",
                 "Draft agreement with the schools' forum"),
            Risk("No programme manager in post", 5, 3, "Naomi Clarke", "Interim manager being recruited"),
        ),
    ),
    Prog(
        "PLN-011", "Planning system replacement", "Place and Environment", Focus.BOTH, Stage.IDEA,
        "Gareth Price", "pm2", (60, 600, 600), None, "", 100, "", (),
        "Replace the planning and building control system before its contract ends.",
        milestones=(
            Ms("Options appraisal with neighbouring councils", GOV, 40),
            Ms("Outline business case to Cabinet", GOV, 120),
        ),
        risks=(Risk("Contract ends before a replacement is ready", 3, 4, "Gareth Price", "Ask to extend"),),
    ),
    Prog(
        "HSG-012", "Housing repairs scheduling", "Housing and Communities", Focus.BOTH, Stage.BUSINESS_CASE,
        "Paul Dixon", "pm", (-150, 400, 500), Rag.AMBER,
        "Paused by the CIO until next year's housing revenue account budget is set.", 70, "AARA",
        ("forecast_slip", "investment_gap"),
        "Appointments residents choose online, and repairs jobs sent to operatives' phones.",
        "Planners stop phoning tenants to rebook; operatives get jobs on mobile.",
        "Kelly Shaw, Repairs Service Manager", paused=True,
        milestones=(
            Ms("Outline business case approved", GOV, -120, actual=-118),
            Ms("Full business case to Cabinet", GOV, 90, 180, reason="Paused until the budget is set"),
            Ms("Repairs planners trained on the scheduler", CHANGE, 300),
        ),
        costs=(
            Cost("Repairs scheduling system", CAP, ONE, 0, 650, 300, 300, 0),
            Cost("Phones for operatives", CAP, ONE, 0, 120, 100, 100, 0),
        ),
        benefits=(
            Ben("More repairs fixed at the first visit", SERVICE, "Share fixed at the first visit", "%", UP,
                "Kelly Shaw, Repairs Service Manager", 200, (68, 72, 78, 85)),
        ),
        risks=(Risk("Repairs backlog grows while paused", 4, 3, "Kelly Shaw", "Winter overtime agreed"),),
    ),
    Prog(
        "ASC-013", "Telecare digital switchover", "Adults' Social Care", Focus.SERVICE_IMPROVEMENT,
        Stage.CLOSED, "Margaret Evans", "pm2", (-720, -120, -120), Rag.GREEN,
        "Closed: all 3,400 alarms moved to digital before the analogue switch-off.", 110, "GGGG", (),
        "Moved home alarms from analogue phone lines to digital before the national switch-off.",
        "Responders work from digital alerts, and residents' lines are checked automatically.",
        "Jo Pearce, Telecare Service Manager",
        milestones=(
            Ms("Digital alarm platform live", IT, -500, actual=-505, critical=True),
            Ms("Responders trained on digital alerts", CHANGE, -420, actual=-418),
            Ms("All alarms switched to digital", IT, -150, actual=-160, critical=True),
            Ms("Closure report accepted", GOV, -120, actual=-118),
        ),
        costs=(
            Cost("Digital alarm units", CAP, ONE, -1, 520, 520, 505, 505),
            Cost("Alarm platform subscription", REV, REC, 0, 45, 45, 45, 20),
        ),
        benefits=(
            Ben("Fewer failed alarm calls", SERVICE, "Alarm calls a month that fail", "calls", DOWN,
                "Jo Pearce, Telecare Service Manager", -600, (90, 70, 40, 15, 5, 5, 5, 5),
                (90, 65, 35, 12, 4, 4, 3), handed_over=-118),
            Ben("Fewer responder call-outs to false alarms", NONCASH, "Call-outs a month to false alarms",
                "call-outs", DOWN, "Jo Pearce, Telecare Service Manager", -600, (60, 50, 40, 30, 25),
                (60, 48, 36, 28, 22), status=BenefitStatus.REALISED, handed_over=-118),
        ),
        risks=(
            Risk("Analogue lines switched off early", 3, 5, "Jo Pearce", "Priority list agreed with BT",
                 closed=True),
        ),
        lessons=(
            Learnt(WELL, "Train responders before the first alarm moves",
                   "Responders practised on the digital platform for a month before any resident moved, "
                   "so no alert went unanswered at the switchover.",
                   "Put the service's training on the plan as a critical milestone, ahead of go-live.", 125),
            Learnt(DIFFERENTLY, "Clean the address data before migrating",
                   "One alarm in twelve had an address that did not match the gazetteer; fixing them during "
                   "the switchover cost three weeks.",
                   "Match every record to the gazetteer in discovery and budget for the clean-up.", 120),
            Learnt(DIFFERENTLY, "Agree the handover of benefits before closing",
                   "The service had not agreed who would keep counting failed calls, so two months of "
                   "figures are missing after closure.",
                   "Name the owner in the service and the report they will use before the closure report.",
                   119),
        ),
    ),
)

# Social workers train on the new laptops, which are late; the dashboards and the repairs planners' training
# wait for milestones that will land in time (one already has).
DEPENDENCIES: tuple[Dep, ...] = (
    Dep("ASC-004", "Social workers trained (240 staff)", "ICT-003", "Wave 2: 1,100 laptops issued", 45,
        "Training is on the new laptops: each social worker needs theirs first"),
    Dep("DAT-005", "Performance packs replaced by dashboards", "FIN-002", "Finance design signed off", 30,
        "The finance dashboards read the new chart of accounts"),
    Dep("HSG-012", "Repairs planners trained on the scheduler", "DIG-001", "Housing repairs forms live", 200,
        "Planners are trained on jobs that come in through the new repairs forms"),
)
# fmt: on
