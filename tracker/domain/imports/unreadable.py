"""The distinct cell texts of each mapped column that cannot be read, for the person to translate once.

A return that writes "ongoing" in 40 rows needs one answer, not 40 corrections to the file.
"""

from __future__ import annotations

from tracker.domain.imports.fields import fields_by_key
from tracker.domain.imports.rows import NegativeAmount, SheetMapping, read_cell
from tracker.domain.imports.values import Unit, cell_text, is_blank

MAX_TEXTS = 20


def unreadable_texts(mapping: SheetMapping, unit: Unit, *, limit: int = MAX_TEXTS) -> dict[str, list[str]]:
    """Per field key, the distinct texts (after the mapping's translations) its column cannot read."""
    fields = fields_by_key(mapping.kind)
    found: dict[str, dict[str, None]] = {}
    for key, index in mapping.columns.items():
        table = mapping.values.get(key, {})
        seen: dict[str, bool] = {}
        for _, cells in mapping.sheet.rows:
            cell = cells[index] if index < len(cells) else None
            if is_blank(cell):
                continue
            text = cell_text(cell).strip()
            if text.lower() in table or text in seen:
                continue
            seen[text] = _unreadable(fields[key], cell, mapping.unit_for(key, unit))
            if seen[text]:
                found.setdefault(key, {})[text] = None
                if len(found[key]) >= limit:
                    break
    return {key: list(texts) for key, texts in found.items()}


def _unreadable(field: object, cell: object, unit: Unit) -> bool:
    try:
        read_cell(field, cell, unit)  # type: ignore[arg-type]
    except NegativeAmount:
        return False  # read as unknown, with a warning
    except ValueError:
        return True
    return False
