"""Excel copies of the tables a manager takes to a meeting: one sheet per table, headers in words
with units, written atomically (a half-written workbook is never left under the user's name)."""
from __future__ import annotations

import io
from pathlib import Path


def write_workbook(path: Path | str, sheets: dict[str, tuple[list[str], list[list]]]) -> None:
    """Write `sheets` ({sheet name: (headers, rows)}) to an .xlsx file at `path`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from cpmodel.atomic import write_bytes

    book = Workbook()
    book.remove(book.active)
    for name, (headers, rows) in sheets.items():
        sheet = book.create_sheet(title=_sheet_title(name, book.sheetnames))
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(value) for value in row])
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers, start=1):
            width = max([len(str(header))] + [len(str(_cell(row[index - 1]))) for row in rows if len(row) >= index])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    write_bytes(Path(path), buffer.getvalue())


def _sheet_title(name: str, taken: list[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name, and no duplicates."""
    title = "".join("-" if char in "[]:*?/\\" else char for char in str(name))[:31] or "Sheet"
    candidate, number = title, 2
    while candidate in taken:
        suffix = f" ({number})"
        candidate, number = title[:31 - len(suffix)] + suffix, number + 1
    return candidate


def _cell(value):
    """Numbers stay numbers; anything else a spreadsheet cannot hold becomes text."""
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)
