"""Diaries: when work is booked, as practitioners plan it.

When a duty's window opens (the event it counts from has happened; for a recurring duty, the last
one was done) the work goes into the diary of whoever will do it: a social worker's own diary, or
the shared diary of a pool (chairs, managers). Appointments (visits, meetings, conferences) are
booked on one working day with room for them, as late in the window as leaves
`margin` working days in hand before the due day (a failed visit can still be tried again in
time); other work (notes, letters, reports) takes its hours from the first day with room and is
done whenever there is free time, most urgent first. A day's room is its staff's working hours (planned
leave and sickness both count as known absence) less what is already booked.
"""
from __future__ import annotations

import bisect
from typing import Callable


class Diary:
    """Hours booked by day for one worker or one pool, against the hours its staff work that day."""

    def __init__(self, working_days: list[int], hours_on: Callable[[int], float], up_to: list[int] | None = None):
        self.working_days = working_days
        self.hours_on = hours_on
        # up_to[d]: how many working days fall on or before day d (SimulationDays' table), so a
        # day's place among the working days is looked up, not searched for (None: bisect)
        self.up_to = up_to
        self._span = len(up_to) if up_to is not None else 0   # the days up_to covers
        # Hours booked, and the staff's hours (found when first needed), for every day of the
        # calendar: lists by day number, not dicts, since they are read for every day tried.
        size = working_days[-1] + 1 if working_days else 0
        self.booked: list[float] = [0.0] * size
        self._room: list[float | None] = [None] * size

    def fits(self, day: int, hours: float) -> bool:
        """Room on day for hours (work longer than a whole day needs a whole free day)."""
        full = self.hours_on_day(day)
        return full > 0 and full - self.booked[day] >= min(hours, full) - 1e-9

    def book(self, day: int, hours: float) -> int:
        self.booked[day] += hours
        return day

    def unbook(self, day: int, hours: float) -> None:
        self.booked[day] -= hours

    def latest_with_room(self, opens: int, due: int, hours: float, margin: int = 0) -> int:
        """The day to book: the latest working day in [opens, due - margin working days] with room
        for hours; else the latest in the margin; else the first day after the due day with room
        (the work will be late, and is planned as soon as there is time)."""
        days, up_to, span = self.working_days, self.up_to, self._span
        if 0 < opens <= span and 0 <= due < span:
            first, last = up_to[opens - 1], up_to[due] - 1     # bisect_left and bisect_right - 1
        else:
            first = bisect.bisect_left(days, opens)
            last = bisect.bisect_right(days, due) - 1
        if last < first:                       # due before the next working day: do it then
            return self.book(days[first], hours)
        aim = last - margin
        if aim < first:                        # max(last - margin, first)
            aim = first
        day = days[aim]                        # the aim itself, tried inline (most often it fits)
        full = self._room[day]
        if full is None:
            full = self._room[day] = self.hours_on(day)
        if full > 0:
            taken = self.booked[day]
            if full - taken >= (hours if hours < full else full) - 1e-9:
                self.booked[day] = taken + hours
                return day
        found = self._first_fitting(range(aim - 1, first - 1, -1), hours)
        if found is None:
            found = self._first_fitting(range(aim + 1, last + 1), hours)
        if found is None:
            return self.first_with_room(days[last] + 1, hours)
        return found

    def first_working(self, opens: int) -> int:
        """The first day from opens on which this diary's staff work."""
        days = self.working_days
        start = bisect.bisect_left(days, opens)
        for index in range(start, min(start + 260, len(days))):
            if self.hours_on_day(days[index]) > 0:
                return days[index]
        return days[min(start, len(days) - 1)]

    def hours_on_day(self, day: int) -> float:
        full = self._room[day]
        if full is None:
            full = self._room[day] = self.hours_on(day)
        return full

    def first_with_room(self, opens: int, hours: float) -> int:
        """The first working day from opens with room for hours (or a year on, the last resort)."""
        days = self.working_days
        start = self.up_to[opens - 1] if 0 < opens <= self._span else bisect.bisect_left(days, opens)
        day = self._first_fitting(range(start, min(start + 260, len(days))), hours)
        if day is None:
            return self.book(days[min(start, len(days) - 1)], hours)
        return day

    def _first_fitting(self, indices: range, hours: float) -> int | None:
        """Book hours on the first working day, in the order of indices, that fits them (fits,
        inlined: this runs for every task booked); None if none does."""
        days, booked, room, hours_on = self.working_days, self.booked, self._room, self.hours_on
        for index in indices:
            day = days[index]
            full = room[day]
            if full is None:
                full = room[day] = hours_on(day)
            if full > 0:
                taken = booked[day]
                if full - taken >= (hours if hours < full else full) - 1e-9:   # min(hours, full)
                    booked[day] = taken + hours
                    return day
        return None
