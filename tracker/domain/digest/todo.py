"""A programme manager's to-do list for the week: what to update on each of their programmes, and where."""

from __future__ import annotations

from tracker.domain.digest.links import Links
from tracker.domain.digest.rows import DUE_SOON_DAYS, AssessmentRow
from tracker.domain.digest.sections import MilestoneSections, ProgrammeRef, TodoLine
from tracker.domain.digest.shown import ListLink, Section, first_few

# What a programme manager should do this week about a flag, and where.
TODO_BY_RULE: dict[str, tuple[str, str]] = {
    "stale": ("Submit a status update ({message})", "updates"),
    "benefits_behind_trajectory": (
        "Record the latest benefit measurements, or explain the shortfall",
        "benefits",
    ),
    "cost_overrun": ("Review forecast spend against the approved budget", "money"),
    "unmitigated_high_risks": ("Give each high-scoring risk a mitigation and an owner", "risks"),
    "no_benefits": ("Define the benefits, each with an owner in the service", "benefits"),
    "overdue_action": ("Finish or re-plan the overdue actions ({message})", "risks"),
    "over_capacity": (
        "Agree with the programmes sharing the team how to spread the change ({message})",
        "milestones",
    ),
    "dependency_late": (
        "Agree with the programme you wait for how to close the gap, or re-plan ({message})",
        "milestones",
    ),
}


def todo(
    refs: dict[int, ProgrammeRef],
    latest: dict[int, AssessmentRow],
    dated: MilestoneSections,
    links: Links,
) -> Section[TodoLine]:
    """What to update this week, per programme: late and imminent milestones, then what the flags ask."""
    lines = []
    for pid, ref in sorted(refs.items(), key=lambda item: item[1].code):
        milestones_url = links.section(ref.code, "milestones")
        late, soon = dated.late_by_programme[pid], dated.soon_by_programme[pid]
        if late:
            what = "1 overdue milestone" if late == 1 else f"{late} overdue milestones"
            text = f"Record progress on {what}: the actual date, or a new forecast with the reason"
            lines.append(TodoLine(ref, text, milestones_url))
        if soon:
            what = "1 milestone" if soon == 1 else f"{soon} milestones"
            text = f"Confirm the forecast for {what} due in the next {DUE_SOON_DAYS} days"
            lines.append(TodoLine(ref, text, milestones_url))
        rules = dict.fromkeys(flag.rule for flag in latest[pid].flags) if pid in latest else {}
        messages = {flag.rule: flag.message for flag in reversed(latest[pid].flags)} if pid in latest else {}
        for rule in rules:
            if rule in TODO_BY_RULE:
                text, section = TODO_BY_RULE[rule]
                message = messages[rule][:1].lower() + messages[rule][1:]
                lines.append(TodoLine(ref, text.format(message=message), links.section(ref.code, section)))
    return first_few(lines, [ListLink("your programmes", links.my_programmes)])
