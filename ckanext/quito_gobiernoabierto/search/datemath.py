"""Solr date math for range bounds: ``NOW``, ``NOW-1DAY``, ``NOW/DAY+1MONTH``,
``2016-03-10T00:00:00Z``, ``2016-03-10T00:00:00Z/YEAR``..."""
from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

UNITS = {
    "YEAR": "years", "MONTH": "months", "DAY": "days", "DATE": "days", "HOUR": "hours",
    "MINUTE": "minutes", "SECOND": "seconds", "MILLI": "microseconds", "MILLISECOND": "microseconds",
}
STEP_RE = re.compile(r"([+-])(\d+)([A-Z]+?)S?(?=[+/-]|$)|/([A-Z]+?)S?(?=[+/-]|$)")
ANCHOR_RE = re.compile(r"^(NOW|\d{4}-\d{2}-\d{2}(?:T[\d:.]+)?Z?)")


def _round(value: dt.datetime, unit: str) -> dt.datetime:
    order = ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"]
    unit = "DAY" if unit == "DATE" else unit
    if unit not in order:
        raise ValueError(f"unknown date unit {unit}")
    keep = order.index(unit)
    reset = {"month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0, "microsecond": 0}
    names = ["month", "day", "hour", "minute", "second"]
    return value.replace(**{n: reset[n] for n in names[keep:]}, microsecond=0)


def _anchor(text: str, now: dt.datetime) -> dt.datetime:
    if text == "NOW":
        return now
    stamp = text.rstrip("Z")
    parsed = dt.datetime.fromisoformat(stamp) if "T" in stamp else dt.datetime.fromisoformat(stamp + "T00:00:00")
    return parsed.replace(tzinfo=dt.timezone.utc)


def parse(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """The instant a Solr date expression names (UTC); ValueError if it names none."""
    now = now or dt.datetime.now(dt.timezone.utc)
    expr = text.strip().upper()
    match = ANCHOR_RE.match(expr)
    if not match:
        raise ValueError(f"not a date: {text!r}")
    value = _anchor(match.group(1), now)
    rest = expr[match.end():]
    pos = 0
    for step in STEP_RE.finditer(rest):
        if step.start() != pos:
            raise ValueError(f"bad date math in {text!r}")
        pos = step.end()
        sign, amount, unit, round_unit = step.groups()
        if round_unit:
            value = _round(value, round_unit)
        elif unit in UNITS:
            delta = relativedelta(**{UNITS[unit]: int(amount) * (1000 if "MILLI" in unit else 1)})
            value = value + delta if sign == "+" else value - delta
        else:
            raise ValueError(f"unknown date unit {unit} in {text!r}")
    if pos != len(rest):
        raise ValueError(f"bad date math in {text!r}")
    return value
