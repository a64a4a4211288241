"""Temporary passwords an admin can read out by phone: four common English words, about 51 bits."""

from __future__ import annotations

import secrets
from functools import cache

from xkcdpass import xkcd_password

from tracker.domain.passwords import password_problem

WORDS = 4
SEPARATOR = "-"
# The EFF's long list: 7,776 words chosen to be easy to say, spell and tell apart. Keeping the
# plain lower-case ones (dropping "t-shirt" and the like) leaves 7,772, so four give 51.7 bits.
WORD_LIST = "eff-long"


@cache
def word_list() -> tuple[str, ...]:
    """The words, read once per process from the xkcdpass package."""
    path = xkcd_password.locate_wordfile(WORD_LIST)
    words = xkcd_password.generate_wordlist(wordfile=path, min_length=3, max_length=9, valid_chars="[a-z]")
    return tuple(sorted(set(words)))


def temporary_password(*, email: str = "", name: str = "") -> str:
    """Words picked by the operating system's secure random source, checked against our own rules."""
    words = word_list()
    while True:
        candidate = SEPARATOR.join(secrets.choice(words) for _ in range(WORDS))
        if password_problem(candidate, email=email, name=name) is None:
            return candidate
