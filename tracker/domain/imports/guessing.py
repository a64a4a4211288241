"""Guessing which field a column holds from its header, and which kind of sheet a worksheet is."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from tracker.domain.imports.fields import CATALOGUE, SHEET_NAMES, Field, SheetKind


def names(f: Field) -> tuple[str, ...]:
    """Every header that names this field exactly, normalised."""
    return tuple(dict.fromkeys(normalise_header(n) for n in (f.key, f.label, *f.synonyms)))


def normalise_header(text: str) -> str:
    """`originalBudget`, `Original budget (£)` and `ORIGINAL_BUDGET` all become `original budget`."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(text))
    text = re.sub(r"\(.*?\)|[£$€%*:#]", " ", text.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@cache
def _known() -> frozenset[str]:
    return frozenset(name for fields in CATALOGUE.values() for f in fields for name in names(f))


def is_known_header(text: str) -> bool:
    """Whether a cell names any field of any sheet: used to find the header row."""
    return normalise_header(text) in _known()


def guess_mapping(headers: Sequence[str], kind: SheetKind) -> dict[str, str]:
    """Field key for each header we recognise: exact names first, then headers containing a name.

    Containment needs a name of two words or a long word, so `datesDeltaYear` is not taken for a year.

    Each field goes to one column, the best match winning; columns we do not recognise are left out.
    """
    candidates = []
    for index, header in enumerate(headers):
        normal = normalise_header(header)
        padded = f" {normal} "
        for position, f in enumerate(CATALOGUE[kind]):
            for name in names(f):
                if normal == name:
                    candidates.append((2, len(name), -position, -index, index, f.key))
                elif (" " in name or len(name) >= 8) and f" {name} " in padded:
                    candidates.append((1, len(name), -position, -index, index, f.key))
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for *_, index, key in sorted(candidates, reverse=True):
        if headers[index] not in mapping and key not in taken:
            mapping[headers[index]] = key
            taken.add(key)
    return {header: mapping[header] for header in headers if header in mapping}


def sheet_kind_for(name: str) -> SheetKind | None:
    """Which kind of sheet a worksheet's name suggests, if any."""
    normal = normalise_header(name)
    return next((kind for kind, names in SHEET_NAMES.items() if normal in names), None)
