"""A browser's User-Agent header as a person recognises their device: "Chrome on Windows".

Good enough to tell one's own devices apart, not to identify them: the header is whatever the
browser chose to send. Tables in order, first match wins; the order matters because browsers
name their rivals (Edge says Chrome and Safari, Chrome says Safari).
"""

from __future__ import annotations

UNKNOWN_BROWSER = "Unknown browser"

# (a token in the header, the browser's name)
BROWSERS: tuple[tuple[str, str], ...] = (
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("EdgiOS/", "Edge"),
    ("Edge/", "Edge"),
    ("OPR/", "Opera"),
    ("Opera", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("FxiOS/", "Firefox"),
    ("Firefox/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Trident/", "Internet Explorer"),
    ("MSIE ", "Internet Explorer"),
    ("Safari/", "Safari"),  # last: every WebKit and Blink browser says Safari too
)

# (a token in the header, the operating system or device)
SYSTEMS: tuple[tuple[str, str], ...] = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Macintosh", "macOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def _first(header: str, table: tuple[tuple[str, str], ...]) -> str | None:
    return next((name for token, name in table if token in header), None)


def describe_user_agent(header: str | None) -> str:
    """'Chrome on Windows', 'Safari on iPhone', 'Firefox' (system unknown), 'Unknown browser on Linux',
    or 'Unknown browser' for anything else (a script, a test client, nothing)."""
    header = header or ""
    browser = _first(header, BROWSERS)
    if browser == "Safari" and "Version/" not in header and "Mobile/" not in header:
        browser = None  # a WebKit app or crawler that names Safari without being it
    system = _first(header, SYSTEMS)
    if browser is None:
        return f"{UNKNOWN_BROWSER} on {system}" if system else UNKNOWN_BROWSER
    return f"{browser} on {system}" if system else browser
