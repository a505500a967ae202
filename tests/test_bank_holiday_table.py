"""The bank holiday dates kept in model/bank_holidays.json are the installed holidays library's,
for every year it covers, and the calendar asks the library itself when the file is of another
version of it (or missing)."""
import datetime as dt
import json

from cpmodel.model import bank_holiday_table, calendar
from cpmodel.model.calendar import WorkingCalendar


def test_the_file_holds_the_installed_librarys_dates_for_every_year():
    """Fails after an upgrade of holidays: write the file again with
    `python -m cpmodel.model.bank_holiday_table` (until then the library answers: see below)."""
    kept = json.loads(bank_holiday_table.TABLE_FILE.read_text(encoding="utf-8"))
    library = bank_holiday_table.from_library()
    assert kept["holidays_version"] == bank_holiday_table.installed_version()
    assert (kept["first_year"], kept["last_year"]) == (library.first_year, library.last_year)
    assert kept["days"] == library.days
    assert bank_holiday_table.load() == library


def test_the_calendar_uses_the_file_when_its_version_is_installed():
    assert calendar._TABLE is not None
    assert (calendar.FIRST_YEAR, calendar.LAST_YEAR) == bank_holiday_table.library_years()


def test_a_file_of_another_version_or_none_is_not_used(tmp_path, monkeypatch):
    other = json.loads(bank_holiday_table.TABLE_FILE.read_text(encoding="utf-8")) | {"holidays_version": "0.0"}
    (tmp_path / "other.json").write_text(json.dumps(other), encoding="utf-8")
    assert bank_holiday_table.load(tmp_path / "other.json") is None
    assert bank_holiday_table.load(tmp_path / "missing.json") is None
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    assert bank_holiday_table.load(tmp_path / "broken.json") is None


def test_without_the_file_the_library_gives_the_same_working_days(monkeypatch):
    with_file = WorkingCalendar()
    monkeypatch.setattr(calendar, "_TABLE", None)
    without = WorkingCalendar()
    days = [dt.date(1900, 1, 1) + dt.timedelta(days=n) for n in range(0, 73_000, 3)]
    days += [dt.date(2026, 12, 18) + dt.timedelta(days=n) for n in range(1200)]
    assert [with_file.is_working_day(d) for d in days] == [without.is_working_day(d) for d in days]
    assert not with_file.is_working_day(dt.date(2027, 12, 27))     # Christmas Day on a Saturday: moved to Monday


def test_names_still_come_from_the_library():
    assert WorkingCalendar().holiday_name(dt.date(2027, 12, 27)) == "Christmas Day (observed)"
    assert WorkingCalendar().holiday_name(dt.date(2027, 12, 28)) == "Boxing Day (observed)"
