"""England and Wales bank holidays as the holidays library gives them, kept in a file.

Importing the holidays library loads every country it knows (about 250 modules): a sixth of
`cpmodel check`, which needs only the dates on which England closes. The file holds those dates
for every year the library covers, as the library itself wrote them (`python -m
cpmodel.model.bank_holiday_table` writes the file again), with the library's version. The file is
used only when that version is the one installed; otherwise the library answers, so the dates are
always the installed library's. Holiday names always come from the library (they follow the
user's language), as do the dates whenever the file is missing or unreadable.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

TABLE_FILE = Path(__file__).with_name("bank_holidays.json")
COUNTRY, SUBDIVISION = "GB", "ENG"


@dataclass(frozen=True)
class BankHolidayTable:
    """The closed dates of each year, from one version of the holidays library."""

    holidays_version: str
    first_year: int
    last_year: int
    days: dict[str, list[str]]          # year -> ISO dates, as written in the file

    def closed(self, year: int) -> frozenset[dt.date]:
        return frozenset(dt.date.fromisoformat(day) for day in self.days.get(str(year), ()))


def installed_version() -> str | None:
    try:
        return metadata.version("holidays")
    except metadata.PackageNotFoundError:
        return None


def load(path: Path = TABLE_FILE) -> BankHolidayTable | None:
    """The table in the file, if it was written by the installed version of the library."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        table = BankHolidayTable(str(data["holidays_version"]), int(data["first_year"]), int(data["last_year"]),
                                 dict(data["days"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return table if table.holidays_version == installed_version() else None


def library_years() -> tuple[int, int]:
    """The first and last years the installed library knows England's bank holidays for (from 1900)."""
    import holidays

    return max(holidays.GB.start_year, 1900), getattr(holidays.GB, "end_year", 2100)


def from_library() -> BankHolidayTable:
    """The table as the installed holidays library gives it (slow to import: used to write the file)."""
    import holidays

    first_year, last_year = library_years()
    days = {str(year): sorted(day.isoformat() for day in library_dates(year))
            for year in range(first_year, last_year + 1)}
    return BankHolidayTable(installed_version() or holidays.__version__, first_year, last_year, days)


def library_dates(year: int) -> dict[dt.date, str]:
    """Bank holidays of one year (with substitute days), by date, named in the user's language."""
    import holidays

    return dict(holidays.country_holidays(COUNTRY, subdiv=SUBDIVISION, years=year))


def write(path: Path = TABLE_FILE) -> Path:
    """Write the table from the installed library (a new file, swapped in whole)."""
    table = from_library()
    heading = {"holidays_version": table.holidays_version, "country": COUNTRY, "subdivision": SUBDIVISION,
               "first_year": table.first_year, "last_year": table.last_year}
    years = ",\n".join(f"  {json.dumps(year)}: {json.dumps(days)}" for year, days in table.days.items())
    text = json.dumps(heading, indent=1)[:-2] + ',\n "days": {\n' + years + "\n }\n}\n"   # a year a line
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)
    return path


if __name__ == "__main__":
    print(f"wrote {write()}")
