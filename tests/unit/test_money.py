"""Parsing and formatting money: what people type, and how council papers show it."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.money import (
    MAX_AMOUNT,
    MoneyError,
    forecast_variance,
    format_money,
    funding_gap,
    parse_money,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1250000", "1250000"),
        ("1,250,000", "1250000"),
        ("£1,250,000.50", "1250000.50"),
        (" £ 1 250 000 ", "1250000"),
        ("$6,279,429", "6279429"),
        ("£1.9m", "1900000"),
        ("£1.9M", "1900000"),
        ("£250k", "250000"),
        ("250K", "250000"),
        ("1.2bn", "1200000000"),
        ("£0.5bn", "500000000"),
        ("0", "0"),
        (".5", "0.50"),
        ("12.", "12"),
        ("1,000.5", "1000.50"),
        ("999", "999"),
        ("1000", "1000"),
        ("1\u00a0250", "1250"),
    ],
)
def test_parse_money_accepts_the_usual_shapes(text: str, expected: str) -> None:
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.005", "1.01"),
        ("1.004", "1.00"),
        ("£1.2345678m", "1234567.80"),
        ("£0.0000005k", "0.00"),
    ],
)
def test_parse_money_rounds_half_up_to_pence(text: str, expected: str) -> None:
    result = parse_money(text)
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-5", "-5"),
        ("(5)", "-5"),
        ("(£5,000)", "-5000"),
        ("-£5,000", "-5000"),
        ("£-5,000", "-5000"),
        ("\u22125", "-5"),
        ("-£1.5m", "-1500000"),
    ],
)
def test_parse_money_reads_negatives_and_leaves_the_decision_to_the_caller(text: str, expected: str) -> None:
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter an amount"),
        ("   ", "Enter an amount"),
        ("abc", "Enter the amount in numbers, like £1,250,000, £1.9m or £250k"),
        ("£12 pounds", "Enter the amount in numbers, like £1,250,000, £1.9m or £250k"),
        ("1e5", "Enter the amount in numbers, like £1,250,000, £1.9m or £250k"),
        ("1.2.3", "Enter an amount with no more than one decimal point"),
        ("£1,250.000.50", "Enter an amount with no more than one decimal point"),
        ("1,25", "Enter an amount like £1,250,000, £1.9m or £250k"),
        ("12 34", "Enter an amount like £1,250,000, £1.9m or £250k"),
        ("£", "Enter an amount like £1,250,000, £1.9m or £250k"),
        ("-", "Enter an amount like £1,250,000, £1.9m or £250k"),
        ("(-5)", "Enter an amount with one minus sign or brackets, like £1,250,000, £1.9m or £250k"),
        ("--5", "Enter an amount with one minus sign or brackets, like £1,250,000, £1.9m or £250k"),
        ("1,000,000,000,000", "Enter an amount less than £1,000,000,000,000"),
        ("9" * 60, "Enter an amount less than £1,000,000,000,000"),
        ("£1000bn", "Enter an amount less than £1,000,000,000,000"),
    ],
)
def test_parse_money_explains_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_money(text)
    assert str(caught.value) == message


def test_money_error_is_a_value_error_so_forms_can_catch_either() -> None:
    with pytest.raises(ValueError, match="decimal point"):
        parse_money("1..2")


def test_parse_money_accepts_the_largest_amount_and_no_more() -> None:
    assert parse_money("999,999,999,999.99") == MAX_AMOUNT
    assert parse_money("999999999999.994") == MAX_AMOUNT
    with pytest.raises(MoneyError):
        parse_money("999999999999.995")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1250000"), "£1,250,000"),
        (Decimal("1250000.00"), "£1,250,000"),
        (Decimal("1250000.50"), "£1,250,000.50"),
        (Decimal("1250000.5"), "£1,250,000.50"),
        (Decimal("0.07"), "£0.07"),
        (Decimal("0"), "£0"),
        (Decimal("999"), "£999"),
        (Decimal("1000"), "£1,000"),
        (Decimal("-5000"), "-£5,000"),
        (Decimal("-0.5"), "-£0.50"),
        (Decimal("-0.001"), "£0"),
        (Decimal("2.345"), "£2.35"),
        (Decimal("2.344"), "£2.34"),
        (None, ""),
    ],
)
def test_format_money_uk_style(amount: Decimal | None, expected: str) -> None:
    assert format_money(amount) == expected


def test_format_money_refuses_not_a_number() -> None:
    with pytest.raises(MoneyError):
        format_money(Decimal("NaN"))


pence = st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False)


@given(pence)
def test_formatted_money_parses_back_to_the_same_amount(amount: Decimal) -> None:
    assert parse_money(format_money(amount)) == amount


@given(pence)
def test_negative_formatted_money_parses_back(amount: Decimal) -> None:
    assert parse_money(format_money(-amount)) == -amount


def test_gap_and_variance_are_differences_of_known_amounts() -> None:
    assert funding_gap(Decimal(300), Decimal(200)) == Decimal(100)
    assert forecast_variance(Decimal(180), Decimal(200)) == Decimal(-20)


@pytest.mark.parametrize(("first", "second"), [(None, Decimal(200)), (Decimal(300), None), (None, None)])
def test_gap_and_variance_stay_unknown_when_an_amount_is(
    first: Decimal | None, second: Decimal | None
) -> None:
    """Unknown is never read as zero."""
    assert funding_gap(first, second) is None
    assert forecast_variance(first, second) is None
