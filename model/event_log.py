"""An event log in the audit contract, read and checked row by row: one reader for the audit and
for calibration, so both refuse the same rows in the same words.

Format (the contract in the README): columns `case_id`, `date` (ISO), `event`, then any of the
procedure's facts as columns (`legal_status`, `plo`, ...), giving the case's situation at that
event; empty cells say nothing. Rows may come in any order. Pseudonymised ids only: a column or
an id that looks like personal data is refused, and the value is never echoed.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Iterator

from cpmodel.model.calendar import check_input_date, date_from_text
from cpmodel.model.errors import InputError, display_path, refuse_pipes, shorten
from cpmodel.model.loader import suggestion
from cpmodel.model.procedure import Procedure

REQUIRED = ("case_id", "date", "event")
# Optional, for `calibrate` (which children share a household); the audit accepts it and leaves it
# unread, so one log serves both.
HOUSEHOLD = "household_id"
MAX_CELL = 200                  # no id, date, event or fact value is longer
PERSONAL = re.compile(r"(^|_)(name|names|forename|surname|first_?name|last_?name|full_?name|dob|birth|"
                      r"birthday|date_of_birth|address|postcode|nhs|ni_number|email|phone)($|_)", re.I)
# What a case id must not look like. A pseudonymised id (C000417, 7f3a9c2e) has a digit and no
# spaces; a name, an e-mail address, a phone, NHS or National Insurance number or a postcode is
# refused, and the value is never echoed back (the message itself would leak it).
LOOKS_LIKE = [
    ("an e-mail address", re.compile(r"@|\bmailto:", re.I)),
    ("an NHS number", re.compile(r"^\s*\d{3}[ -]?\d{3}[ -]?\d{4}\s*$")),
    ("a phone number", re.compile(r"^\s*(\+\s*44|0)[\d\s().-]{8,15}$")),
    ("a National Insurance number", re.compile(r"^\s*[A-Z]{2}\s*\d{2}\s*\d{2}\s*\d{2}\s*[A-D]\s*$", re.I)),
    ("a postcode", re.compile(r"^\s*[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\s*$", re.I)),
    ("a person's name", re.compile(r"^[^\W\d_]+(?:[\s,.'-]+[^\W\d_]+)+\.?$")),
    ("a person's name", re.compile(r"[\s,]")),
    ("a person's name", re.compile(r"^[^\d]*$")),
]



@dataclass(frozen=True, slots=True)
class EventRow:
    """One checked row: where it is, whose case, when, what happened, the facts it states, and
    the extra columns the reader was asked to keep."""

    line: int
    case: str
    date: dt.date
    event: str
    facts: dict
    extra: dict


def personal_kind(case_id: str) -> str | None:
    """What personal detail a case id looks like, or None for a plausible pseudonymised id."""
    for kind, pattern in LOOKS_LIKE:
        if pattern.search(case_id):
            return kind
    return None



_WHOLE = re.compile(r"-?[0-9]+")


def parse_value(fact, text: str):
    if fact.type == "bool":
        lowered = text.strip().lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise ValueError(f"{shorten(text)} is not true or false")
    if fact.type == "int":
        # digits only: Python's int() also reads '5_0' as 50, ' 5' as 5 and Arabic-Indic digits
        if not _WHOLE.fullmatch(text):
            raise ValueError(f"{shorten(text)} is not a whole number (digits 0-9 only)")
        value = int(text)
        if not fact.min <= value <= fact.max:
            raise ValueError(f"{value} is outside {fact.min}..{fact.max}")
        return value
    if text not in fact.values:
        raise ValueError(f"{shorten(text)} is not one of {', '.join(fact.values)}")
    return text



def event_rows(path: Path, procedure: Procedure, extra: tuple[str, ...] = ()) -> Iterator[EventRow]:
    """Every row of the log, validated, in file order; every refusal names line and column.
    `extra`: columns allowed besides the contract's (calibration's household_id)."""
    for line, case, date, event, facts, kept in checked_rows(path, procedure, extra):
        yield EventRow(line, case, date, event, facts, kept)


def checked_rows(path: Path, procedure: Procedure, extra: tuple[str, ...] = ()) -> Iterator[tuple]:
    """`event_rows` as plain tuples (line, case, date, event, facts, extra): the audit reads a
    hundred thousand rows and needs no record of each."""
    shown = display_path(path)
    text = _read_text(Path(path), shown)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise InputError(shown, 1, "header", f"is not well-formed CSV ({error})") from None
    if not header or not any(h.strip() for h in header):
        raise InputError(shown, 1, "header", "the file is empty; the first row names the columns")
    header = [h.strip() for h in header]
    _check_header(header, procedure, shown, extra)
    width = len(header)
    case_at, date_at, event_at = (header.index(c) for c in REQUIRED)
    fact_columns = [(header.index(c), c, procedure.facts[c]) for c in header if c not in REQUIRED and c not in extra]
    extra_columns = [(header.index(c), c) for c in extra if c in header]
    events = procedure.events
    seen_rows: dict[tuple, int] = {}
    # A log repeats the same few thousand case ids, few hundred dates and handful of fact values:
    # each distinct text is judged once (the same verdict, the same message, on every line).
    case_kinds: dict[str, str | None] = {}
    dates: dict[str, dt.date | str] = {}
    values: dict[tuple[str, str], tuple[bool, object]] = {}
    strip = str.strip
    # ...and a handful of combinations of fact cells: each combination is parsed once too.
    fact_texts = itemgetter(*(at for at, _, _ in fact_columns)) if fact_columns else (lambda cells: ())
    situations: dict = {}
    next_line = reader.line_num + 1
    while True:
        line = next_line                   # the physical line a record starts on
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise InputError(shown, line, "row", f"is not well-formed CSV ({error}); "
                             "a quotation mark may be left open") from None
        next_line = reader.line_num + 1
        if not "".join(row).strip():       # no cell holds anything but spaces: a blank row
            continue
        if len(row) != width:
            raise InputError(shown, line, "row", f"has {len(row)} cells, the header has {width}")
        cells = tuple(map(strip, row))
        if max(map(len, row)) > MAX_CELL:
            for column, value in zip(header, cells):
                if len(value) > MAX_CELL:
                    raise InputError(shown, line, column, f"is {len(value)} characters long; no value in an "
                                     f"event log is longer than {MAX_CELL}")
        case = cells[case_at]
        if not case:
            raise InputError(shown, line, "case_id", "is empty")
        kind = case_kinds[case] if case in case_kinds else case_kinds.setdefault(case, personal_kind(case))
        if kind:
            raise InputError(shown, line, "case_id", f"looks like {kind} (value not shown); event logs "
                             "hold pseudonymised ids only, with a digit and no spaces, e.g. C000417")
        date = dates.get(cells[date_at])
        if date is None:
            date = dates[cells[date_at]] = _parse_date(cells[date_at])
        if isinstance(date, str):
            raise InputError(shown, line, "date", date)
        event = cells[event_at]
        if event not in events:
            raise InputError(shown, line, "event", f"unknown event {shorten(event)}{suggestion(event, events)}")
        if cells in seen_rows:
            raise InputError(shown, line, "row", f"repeats line {seen_rows[cells]} exactly; an event recorded "
                             "twice would be counted twice: remove one")
        seen_rows[cells] = line
        texts = fact_texts(cells)
        facts = situations.get(texts)
        if facts is None:
            facts = {}
            for at, column, fact in fact_columns:
                text = cells[at]
                if text:
                    key = (column, text)
                    parsed = values.get(key)
                    if parsed is None:
                        try:
                            parsed = values[key] = (True, parse_value(fact, text))
                        except ValueError as error:
                            parsed = values[key] = (False, str(error))
                    if not parsed[0]:
                        raise InputError(shown, line, column, parsed[1])
                    facts[column] = parsed[1]
            situations[texts] = facts
        facts = facts.copy()   # each row its own
        yield line, case, date, event, facts, {column: cells[at] for at, column in extra_columns} if extra_columns else {}



def _parse_date(text: str) -> dt.date | str:
    """The date, or the message saying why it is not one."""
    try:
        return check_input_date(date_from_text(text))
    except ValueError as error:
        reason = str(error) if "outside" in str(error) else "is not a real date (YYYY-MM-DD)"
        return f"{shorten(text)} {reason}"



# An event log of two million events is about 100 MB; a file larger than this is not one (and
# reading a device such as /dev/zero would never end).
MAX_LOG_BYTES = 400_000_000


def _read_text(path: Path, shown: str) -> str:
    try:
        if path.is_dir():
            raise InputError(shown, None, "", "is a folder, not a CSV file")
        refuse_pipes(path, shown)
        with path.open("rb") as stream:
            data = stream.read(MAX_LOG_BYTES + 1)
        if len(data) > MAX_LOG_BYTES:
            raise InputError(shown, None, "", f"the file is larger than {MAX_LOG_BYTES // 1_000_000} MB; "
                             "split the log by year or by team")
    except FileNotFoundError:
        raise InputError(shown, None, "", "file not found") from None
    except OSError as error:
        raise InputError(shown, None, "", f"cannot read the file ({error.strerror or error})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise InputError(shown, line, "", "is not UTF-8 text (a cell holds a character in another "
                         "encoding); save the file as UTF-8 CSV") from None
    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise InputError(shown, line, "", "holds a NUL character; it is not a text CSV file")
    return text



def _check_header(header: list[str], procedure: Procedure, shown: str, extra: tuple[str, ...] = ()) -> None:
    for position, column in enumerate(header):
        if PERSONAL.search(column):
            raise InputError(shown, 1, column, "looks like a name, date of birth or other personal detail; "
                             "event logs hold pseudonymised ids only: remove this column")
        if column in header[:position]:
            raise InputError(shown, 1, column, f"the column appears twice (columns {header.index(column) + 1} "
                             f"and {position + 1}); keep one")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(shown, 1, "header", f"missing column(s) {', '.join(missing)}")
    for column in header:
        if column not in REQUIRED and column not in extra and column not in procedure.facts:
            allowed = ", ".join(REQUIRED + extra)
            raise InputError(shown, 1, column[:40], f"unknown column{suggestion(column, procedure.facts)}; "
                             f"columns are {allowed} and the procedure's facts")

