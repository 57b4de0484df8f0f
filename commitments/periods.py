"""Months as NĐ 101/2017 Điều 8 counts them: whole months, rounded (15 days or more make one)."""

import datetime

HALF_MONTH_DAYS = 15


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to `end`, rounded: 15 days or more past the last whole month
    count as one more month. 0 when `end` is not after `start`."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    rest = (end - add_months(start, months)).days
    return months + (1 if rest >= HALF_MONTH_DAYS else 0)
