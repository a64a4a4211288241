"""Reading pages in web tests: the words a person sees, the error summary, and the queries a request costs."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from tracker.extensions import db


def text(response) -> str:
    """The page's words without tags, so assertions read like what a person sees."""
    page = re.sub(r"<script.*?</script>", " ", response.get_data(as_text=True), flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def get(client, path: str) -> str:
    """The HTML of a page that must answer 200."""
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def words(page: str) -> str:
    """An HTML string's words without tags."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def table_rows(page: str) -> list[str]:
    """The words of each body row of the page's first table."""
    body = page.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return [words(row).strip() for row in body.split("</tr>")[:-1]]


def error_summary(response) -> str:
    """The words of the GOV.UK error summary; fails when the page has none."""
    page = response.get_data(as_text=True)
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', page, flags=re.S)
    assert match, "no error summary on the page"
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))))


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    """Every SQL statement sent while the block runs."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
