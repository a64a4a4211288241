"""Form fields shared by every feature: GOV.UK date inputs that never 500, and money in pounds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput
from wtforms import Field, FieldList
from wtforms.fields import DateField

from tracker.domain.calendar import EARLIEST_YEAR, LATEST_YEAR
from tracker.domain.money import MoneyError, format_money, parse_money

MIN_YEAR, MAX_YEAR = EARLIEST_YEAR, LATEST_YEAR


class GovDateField(DateField):
    """Three boxes (day, month, year). Odd input (letters, 31 February, missing, extra or huge parts,
    a post without the field, years outside 1950 to 2100) becomes a field error, never a server error.

    Give it no `Optional()`: that would clear the field's own error when only one box is empty."""

    widget = GovDateInput()

    def __init__(self, label: str | None = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, format="%d %m %Y", **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            self.raw_data = None
            return
        parts = [part.strip() for part in valuelist]
        # The widget unpacks exactly three values: keep three, whatever was posted.
        self.raw_data = [*parts, "", "", ""][:3]
        if len(valuelist) != 3:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date")
        if not any(parts):
            self.data = None
            return
        day, month, year = parts
        missing = [name for name, value in (("day", day), ("month", month), ("year", year)) if not value]
        if missing:
            self.data = None
            raise ValueError(f"{self.label.text} must include a {' and a '.join(missing)}")
        if not all(part.isascii() and part.isdigit() for part in parts):
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date, in numbers, like 27 3 2027")
        if len(year) != 4:
            self.data = None
            raise ValueError(f"{self.label.text}: the year must have 4 numbers")
        if not MIN_YEAR <= int(year) <= MAX_YEAR:
            self.data = None
            raise ValueError(f"{self.label.text} must be between {MIN_YEAR} and {MAX_YEAR}")
        try:
            self.data = date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date") from None


class MoneyField(Field):
    """Pounds as Decimal: accepts 1250000, 1,250,000 and £1,250,000.50; refuses negatives."""

    widget = GovTextInput()

    def __init__(
        self, label: str | None = None, validators: Any = None, *, allow_negative: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.allow_negative = allow_negative

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if isinstance(self.data, Decimal):
            return format_money(self.data)
        return ""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            amount = parse_money(valuelist[0])
        except MoneyError as error:
            self.data = None
            raise ValueError(f"{self.label.text}: {error}") from None
        if amount < 0 and not self.allow_negative:
            self.data = None
            raise ValueError(f"{self.label.text} cannot be negative")
        self.data = amount


class RowList(FieldList):
    """A list of rows posted as `rows-0-...`, `rows-1-...`. WTForms takes any Unicode digit for a row's
    number and then fails to read it (`rows-²-...` gave a server error); only 0 to 9 are rows here."""

    def _extract_indices(self, prefix: str, formdata: Any) -> Iterator[int]:
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                number = key[offset:].split(self._field_separator, 1)[0]
                if number.isascii() and number.isdigit():
                    yield int(number)
