"""One home for the vocabulary: each enum and each label set defined once, and every value labelled."""

from __future__ import annotations

import ast
from collections import defaultdict
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

import pytest

from tracker.domain import vocabulary
from tracker.domain.vocabulary import LABELS, MilestoneStatus, Role, Stage, Trend, label

ROOT = Path(__file__).resolve().parents[2] / "tracker"
ENUM_BASES = {"Enum", "StrEnum", "IntEnum", "Flag", "IntFlag"}
SAME_NAME_ELSEWHERE = {"Kind"}
"""Names two unrelated enums share: a spreadsheet column's kind and an import field's kind."""


class Definitions(NamedTuple):
    enums: dict[str, list[str]]
    enum_values: dict[frozenset[str], list[str]]
    label_sets: dict[str, list[str]]


def _base_name(base: ast.expr) -> str:
    return base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")


def _assigned(node: ast.stmt) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return node.targets
    return [node.target] if isinstance(node, ast.AnnAssign) else []


def definitions() -> Definitions:
    """Where each enum class (by name and by its values) and each module-level `*_LABELS` is defined."""
    found = Definitions(defaultdict(list), defaultdict(list), defaultdict(list))
    for path in sorted(ROOT.rglob("*.py")):
        where = str(path.relative_to(ROOT.parent))
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef) and {_base_name(base) for base in node.bases} & ENUM_BASES:
                found.enums[node.name].append(where)
                values = frozenset(
                    str(item.value.value)
                    for item in node.body
                    if isinstance(item, ast.Assign) and isinstance(item.value, ast.Constant)
                )
                found.enum_values[values].append(f"{where}:{node.name}")
            for target in _assigned(node):
                if isinstance(target, ast.Name) and target.id.endswith("_LABELS"):
                    found.label_sets[target.id].append(where)
    return found


def test_no_enum_class_is_defined_in_two_modules() -> None:
    enums = definitions().enums
    twice = {name: paths for name, paths in enums.items() if len(paths) > 1}
    assert twice.keys() <= SAME_NAME_ELSEWHERE, twice


def test_no_two_enums_hold_the_same_values() -> None:
    enum_values = definitions().enum_values
    assert [places for places in enum_values.values() if len(places) > 1] == []


def test_no_label_set_is_defined_in_two_modules() -> None:
    label_sets = definitions().label_sets
    assert {name: paths for name, paths in label_sets.items() if len(paths) > 1} == {}


def test_the_stored_enums_live_in_the_vocabulary() -> None:
    enums = definitions().enums
    home = "tracker/domain/vocabulary.py"
    for name in ("Role", "Stage", "Focus", "Trend", "MilestoneStatus", "InvestmentCategory"):
        assert enums[name] == [home], name


@pytest.mark.parametrize("enum", sorted(LABELS, key=lambda enum: enum.__name__))
def test_every_value_has_a_label(enum: type[StrEnum]) -> None:
    assert list(LABELS[enum]) == list(enum)
    assert all(label(member) for member in enum)


def test_every_enum_of_the_vocabulary_has_labels() -> None:
    declared = {
        value for value in vars(vocabulary).values() if isinstance(value, type) and issubclass(value, StrEnum)
    }
    assert declared - {StrEnum} == set(LABELS)


def test_label_words_a_value_as_pages_show_it() -> None:
    assert label(Stage.BUSINESS_CASE) == "Business case"
    assert label(MilestoneStatus.NOT_STARTED) == "Not started"
    assert label(Role.CIO) == "CIO"
    assert label(Trend.SAME) == "Same"


def test_label_reads_the_enum_not_the_string() -> None:
    """The same value can mean different things ('business_change'), so a bare string has no label."""
    with pytest.raises(KeyError):
        label("business_case")  # type: ignore[arg-type]
