"""Render a digest: its subject line, an HTML part for Outlook and friends, and a plain-text part.

Both parts come from templates in `templates/email/`; the HTML one is autoescaped (its name ends in
`.html`), the text one is not, so a programme called `<b>Bins</b>` reads as itself in both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app

from tracker.domain.calendar import format_date
from tracker.services.digest.compose import Digest, Scope

HTML_TEMPLATE = "email/digest.html"
TEXT_TEMPLATE = "email/digest.txt"

# Colours for RAG ratings in email; the word is always printed as well.
RAG_STYLES = {
    "red": ("#d4351c", "#ffffff"),
    "amber": ("#f47738", "#0b0c0c"),
    "green": ("#00703c", "#ffffff"),
}


@dataclass(frozen=True)
class RenderedDigest:
    subject: str
    html: str
    text: str


def digest_subject(digest: Digest) -> str:
    """The numbers first, so the inbox line alone says how the week looks."""
    week = f"Risk digest w/c {format_date(digest.week_commencing)}"
    if digest.programme_count == 0:
        what = (
            "no programmes of yours to report"
            if digest.recipient.scope is Scope.OWN
            else "no open programmes"
        )
        return f"{week}: {what}"
    counts = ", ".join(
        f"{count.count} {count.rating.capitalize()}{f' ({count.change:+d})' if count.change else ''}"
        for count in digest.counts
    )
    return f"{week}: {counts}"


def render_digest(digest: Digest) -> RenderedDigest:
    """Subject, HTML and text of one digest, from the app's templates and filters."""
    subject = digest_subject(digest)
    environment = current_app.jinja_env
    values = {"digest": digest, "subject": subject, "rag_styles": RAG_STYLES}
    html = environment.get_template(HTML_TEMPLATE).render(values)
    text = environment.get_template(TEXT_TEMPLATE).render(values)
    return RenderedDigest(subject=subject, html=html, text=_tidy(text))


def _tidy(text: str) -> str:
    """No trailing spaces and at most one blank line in a row, whatever the template's layout left."""
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
