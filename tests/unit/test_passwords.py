"""Password rules after NCSC guidance: length, the shipped common list, and the person's own details."""

from __future__ import annotations

import pytest

from tracker.domain.passwords import (
    ONLY_SPACES,
    TOO_COMMON,
    TOO_LONG,
    TOO_PERSONAL,
    TOO_SHORT,
    common_passwords,
    password_problem,
)


def test_the_shipped_list_is_found_and_holds_long_common_passwords() -> None:
    listed = common_passwords()
    assert 1000 <= len(listed) <= 10000
    assert all(len(entry) >= 12 for entry in listed), "shorter ones already fail the length rule"
    assert not any(entry.startswith("#") for entry in listed)


@pytest.mark.parametrize(
    "password",
    ["password1234", "Password1234", "PASSWORD1234", "qwertyuiopas", "123456789012", "Summer2026!!",
     "iloveyou1234", "1qaz2wsx3edc", "passwordpassword", "Welcome12345", "aaaaaaaaaaaa", " password1234 "],
)  # fmt: skip
def test_common_passwords_are_refused_whatever_their_case(password: str) -> None:
    assert password_problem(password) == TOO_COMMON


@pytest.mark.parametrize("password", ["", "a", "elevenchars", "Tr0ub4dor&3"])
def test_short_passwords_are_refused(password: str) -> None:
    assert password_problem(password) == TOO_SHORT


@pytest.mark.parametrize("password", [" " * 12, " " * 40, "\t" * 12, " \u00a0" * 8])
def test_passwords_of_only_spaces_are_refused_whatever_their_length(password: str) -> None:
    assert password_problem(password) == ONLY_SPACES


def test_very_long_passwords_are_refused() -> None:
    assert password_problem("x" * 199 + "y") is None
    assert password_problem("x" * 200 + "y") == TOO_LONG


@pytest.mark.parametrize(
    "password",
    [
        "jo.bloggs@testshire.gov.uk",
        "JO.BLOGGS@TESTSHIRE.GOV.UK",
        "jo.bloggs.jo",
        "Josephine Bloggs",
        "josephinebloggs",
    ],
)
def test_a_persons_own_email_or_name_is_refused(password: str) -> None:
    email = "jo.bloggs@testshire.gov.uk" if password != "jo.bloggs.jo" else "jo.bloggs.jo@testshire.gov.uk"
    assert password_problem(password, email=email, name="Josephine  Bloggs") == TOO_PERSONAL


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "marmalade tuesday lantern",
        "ab cd ef gh ij",
        "zzzzzzzzzzzy",
        "no CAPS needed",
    ],
)
def test_anything_else_long_enough_is_fine_with_no_composition_rules(password: str) -> None:
    assert password_problem(password, email="jo@testshire.gov.uk", name="Jo Bloggs") is None
