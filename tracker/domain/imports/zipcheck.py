"""Check a workbook's zip directory before anything unpacks it.

An XLSX is a zip of XML parts. The directory states each part's packed and unpacked size, so a
workbook that would unpack to gigabytes (a "zip bomb", or one huge shared-strings part that openpyxl
reads whole into memory) is refused from those numbers alone, before a byte is inflated. The numbers
are checked again as the parts are read (zipfile stops at the stated size), so lying does not help.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

MB = 1024 * 1024


class UnsafeWorkbook(ValueError):
    """The workbook's parts are too many, too big or too tightly packed to open safely."""


@dataclass(frozen=True)
class ZipLimits:
    """How far a workbook may unpack; the web is stricter than the command line."""

    entries: int = 1_000
    total_bytes: int = 256 * MB
    entry_bytes: int = 128 * MB
    shared_strings_bytes: int = 48 * MB
    ratio: int = 200  # unpacked / packed, checked on parts over RATIO_FLOOR
    ratio_floor: int = 1 * MB


def check_zip(data: bytes, limits: ZipLimits) -> None:
    """Refuse, in words a person can act on, a workbook whose zip directory promises too much."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnsafeWorkbook("The file looks like a workbook but cannot be opened: is it damaged?") from error
    if len(entries) > limits.entries:
        raise UnsafeWorkbook(
            f"The workbook holds {len(entries):,} parts (at most {limits.entries:,}): "
            "it is not a plain spreadsheet"
        )
    total = sum(entry.file_size for entry in entries)
    if total > limits.total_bytes:
        raise UnsafeWorkbook(
            f"The workbook unpacks to more than {limits.total_bytes // MB} MB ({total // MB:,} MB): "
            "save it as CSV, or split it, and try again"
        )
    for entry in entries:
        _check_entry(entry, limits)


def _check_entry(entry: zipfile.ZipInfo, limits: ZipLimits) -> None:
    name = entry.filename
    cap = limits.shared_strings_bytes if name.lower().endswith("sharedstrings.xml") else limits.entry_bytes
    if entry.file_size > cap:
        what = "its table of text cells" if cap == limits.shared_strings_bytes else f"its part {name}"
        raise UnsafeWorkbook(
            f"The workbook unpacks to more than {cap // MB} MB in {what} ({entry.file_size // MB:,} MB): "
            "save it as CSV and try again"
        )
    if entry.file_size > limits.ratio_floor and entry.file_size > limits.ratio * max(entry.compress_size, 1):
        raise UnsafeWorkbook(
            f"The workbook's part {name} unpacks {entry.file_size // max(entry.compress_size, 1):,} times "
            f"its packed size (at most {limits.ratio}): it is not a plain spreadsheet"
        )
