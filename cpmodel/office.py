"""Spreadsheets and word-processor files for people who work in Office, not in a terminal.

The Office libraries are an optional extra (`pip install 'cpmodel[office]'`); a missing one is a
one-line message saying how to install it, not a traceback."""
from __future__ import annotations

import io
import re
from pathlib import Path

from cpmodel.model.errors import InputError

Sheets = dict[str, tuple[list[str], list[list]]]
_SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def require(module: str, purpose: str):
    """Import an optional Office library, or stop with a sentence naming the extra to install."""
    import importlib
    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(purpose, None, module, f"{purpose} needs the Office extra: "
                         "pip install 'cpmodel[office]' (openpyxl and python-docx)") from None


def _sheet_title(name: str, taken: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name; keep names unique."""
    title = _SHEET_NAME_UNSAFE.sub(" ", name).strip()[:31] or "Sheet"
    base, number = title, 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title, number = base[:31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def workbook_bytes(sheets: Sheets) -> bytes:
    """One sheet per table: a bold header row frozen at the top, columns sized to their content."""
    openpyxl = require("openpyxl", "--xlsx")
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for name, (headers, rows) in sheets.items():
        sheet = book.create_sheet(_sheet_title(name, taken))
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(value) for value in row])
        sheet.freeze_panes = "A2"
        for column, header in enumerate(headers, start=1):
            width = max([len(str(header))] + [len(str(row[column - 1])) for row in rows[:500] if column <= len(row)])
            sheet.column_dimensions[get_column_letter(column)].width = min(60, max(8, width + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value):
    """Numbers stay numbers; lists become text; None stays empty."""
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return value


def write_workbook(path: Path | str, sheets: Sheets) -> Path:
    """Write an .xlsx file atomically; refuse to overwrite a file the user already has."""
    from cpmodel.atomic import write_bytes

    path = check_new_file(path, ".xlsx", "--xlsx")
    write_bytes(path, workbook_bytes(sheets))
    return path


def check_new_file(path: Path | str, suffix: str, option: str) -> Path:
    """Before any long work: the name has the right ending and is not a file the user has."""
    from cpmodel.atomic import check_new_file as check
    return check(Path(path), None, option, (suffix,), folder_must_exist=True)


def csv_text(headers: list[str], rows: list[list]) -> str:
    """A table as CSV text, the same headers as its Excel sheet."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()
