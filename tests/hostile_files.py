"""Hostile spreadsheets built in memory, for the tests that make sure each is refused quickly."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook as XlsxBook

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def small_workbook() -> bytes:
    book = XlsxBook()
    sheet = book.active
    sheet.title = "Programmes"
    sheet.append(["Code", "Name", "Directorate"])
    sheet.append(["DIG-001", "Web forms", "Resources"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewritten(
    data: bytes, replace: dict[str, bytes | None], *, extra: dict[str, int] | None = None
) -> bytes:
    """The workbook with some parts' bytes replaced, and parts of `n` repeated bytes added (streamed)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            body = replace.get(item.filename, source.read(item.filename))
            if body is not None:
                target.writestr(item.filename, body)
        for name, size in (extra or {}).items():
            with target.open(name, "w", force_zip64=True) as part:
                part.write(b"<sst><si><t>")
                chunk = b"A" * MB
                for _ in range(size // MB):
                    part.write(chunk)
                part.write(b"</t></si></sst>")
    return out.getvalue()


def dimension_bomb() -> bytes:
    """A few-KB workbook whose sheet declares A1:XFD1048576: 17 billion cells, were they believed."""
    data = small_workbook()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        sheet = source.read("xl/worksheets/sheet1.xml").decode()
    start = sheet.index("<dimension ref=")
    end = sheet.index("/>", start) + 2
    sheet = sheet[:start] + '<dimension ref="A1:XFD1048576"/>' + sheet[end:]
    return _rewritten(data, {"xl/worksheets/sheet1.xml": sheet.encode()})


def shared_string_bomb(megabytes: int = 200) -> bytes:
    """A small workbook whose table of text cells unpacks to `megabytes` of one string."""
    return _rewritten(
        small_workbook(), {"xl/sharedStrings.xml": None}, extra={"xl/sharedStrings.xml": megabytes * MB}
    )


def csv_file(rows: int, columns: int = 3, *, cell: str = "x") -> bytes:
    lines = [",".join(["Code", "Name", *(f"Note {n}" for n in range(columns - 2))])]
    lines += [
        ",".join([f"P-{n % 10000:04d}", f"Programme {n}", *([cell] * (columns - 2))]) for n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


PARSE = """
import json, sys, time
from tracker.services import imports
from tracker.services.errors import Invalid
data = open(sys.argv[1], "rb").read()
started = time.perf_counter()
try:
    imports.read_file(data, sys.argv[1])
    message = ""
except Invalid as error:
    message = error.message
# VmHWM is this program's own peak: ru_maxrss would carry the peak of the test process that forked it.
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"seconds": time.perf_counter() - started, "message": message, "peak_mb": peak_kb / 1024}))
"""


def parse_in_child(path: Path) -> dict[str, object]:
    """Read the file as the web does, in a child process: its refusal, seconds and peak memory."""
    done = subprocess.run(
        [sys.executable, "-c", PARSE, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])
