"""Find every page a signed-in person can reach by following links, for tests that check each page.

    from tests.crawl import reachable_pages
    pages = reachable_pages(client)          # {"/": "<!DOCTYPE html>...", "/programmes/": ...}

`client` is a Flask test client already signed in (or not: then it finds the public pages). The crawl
follows same-site `<a href>` links with GET from `start`, and visits each path once: links that differ
only in their query string (sorting, filters, paging) count as one page, the first one found. It skips
sign-out, downloads (CSV, spreadsheets, calendar feeds, JSON, the API) and anything that does not answer
200 with HTML, so a crawl of the demo council takes a second or two per role and changes nothing.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from flask.testing import FlaskClient

# Paths never fetched: they sign out, download a file or answer for machines, not people.
SKIPPED_PATH = re.compile(
    r"(^/sign-out)|(^/api/)|(^/static/)|(^/assets/)|openapi|"
    r"\.(csv|xlsx|xls|ics|json|pdf|pptx|zip|eml|svg|png|js|css)$|/(export|download|feed)(/|$)"
)


class _Links(HTMLParser):
    """The href of every <a> on a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        attributes = dict(attrs)
        href = attributes.get("href")
        if href and "download" not in attributes:
            self.hrefs.append(href)


def links_on(html: str, base: str) -> list[str]:
    """Same-site links on a page, as paths with their query string, without fragments."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url, _fragment = urldefrag(urljoin("http://localhost" + base, href))
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != "localhost":
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


class CrawlTooBig(AssertionError):
    """The crawl reached its limit of pages: what it found is not every page, so no check may pass on it."""


def reachable_pages(
    client: FlaskClient, start: str = "/", *, limit: int = 3000, first: int | None = None
) -> dict[str, str]:
    """Every HTML page reachable from `start` by same-site GET links, as {url: html}; each path once.

    Reaching `limit` pages with more to visit raises CrawlTooBig rather than return part of the site;
    `first` asks for only the first pages found, in breadth-first order."""
    pages: dict[str, str] = {}
    seen_paths: set[str] = set()
    queue: deque[str] = deque([start])
    seen_paths.add(urlsplit(start).path)
    while queue:
        if first is not None and len(pages) >= first:
            break
        if len(pages) >= limit:
            raise CrawlTooBig(f"the crawl stopped at {limit} pages with {len(queue)} still to visit")
        url = queue.popleft()
        response = client.get(url, follow_redirects=True)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        pages[url] = html
        for link in links_on(html, urlsplit(url).path):
            path = urlsplit(link).path
            if path in seen_paths or SKIPPED_PATH.search(path):
                continue
            seen_paths.add(path)
            queue.append(link)
    return pages
