"""Password rules after NCSC guidance: long enough, not a common or personal one, nothing else forced."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

MIN_LENGTH = 12
MAX_LENGTH = 200
COMMON_PASSWORDS_FILE = "common-passwords.txt"

TOO_SHORT = f"Password must be at least {MIN_LENGTH} characters"
TOO_LONG = f"Password must be {MAX_LENGTH} characters or fewer"
TOO_COMMON = "Choose a password that is harder to guess: this one is on a list of common passwords"
TOO_PERSONAL = "Password must not be your name or email address"
ONLY_SPACES = "Password must have letters, numbers or symbols in it, not only spaces"


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, case-folded; read once per process from the package, wherever it is installed."""
    text = files("tracker.data").joinpath(COMMON_PASSWORDS_FILE).read_text(encoding="utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def _personal(email: str, name: str) -> set[str]:
    """A person's own details as they might type them: email, its local part, name with or without spaces."""
    email = email.strip().casefold()
    name = " ".join(name.split()).casefold()
    return {value for value in (email, email.partition("@")[0], name, name.replace(" ", "")) if value}


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """What is wrong with a new password, in words for the person choosing it, or None if it will do."""
    if password and not password.strip():
        return ONLY_SPACES
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    folded = password.casefold()
    if folded in common_passwords() or folded.strip() in common_passwords():
        return TOO_COMMON
    if folded.strip() in _personal(email, name):
        return TOO_PERSONAL
    return None
