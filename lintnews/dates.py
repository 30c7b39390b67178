"""Dates as front matter writes them: ISO 8601 (and Hexo's slashes), RFC 2822 as feeds give them,
and dates with an English month name; parsed once here for the rules and the survey alike."""
from __future__ import annotations

import datetime as dt

from .lazy_re import lazy_compile

ISO = lazy_compile(
    r"(\d{4})(?:-(\d{2})-(\d{2})|/(\d{1,2})/(\d{1,2}))"
    r"(?:[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?")
_RFC2822 = lazy_compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s")
# An English month name before or after the day, as JavaScript's Date and Ruby's Time read it
# (Astro's blog template writes "Jul 08 2022"): "Jul 08 2022", "July 8, 2022", "8 July 2022",
# each with a time or not
_NAMED_MONTH = lazy_compile(
    r"(?:([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?|(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?)"
    r"\s+(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_MONTHS = {name: number for number, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), 1)}
_MONTHS.update({name[:3]: number for name, number in _MONTHS.items()}, sept=9)


def _rfc2822(text: str) -> dt.datetime:
    """``email.utils.parsedate_to_datetime(text)``, without importing ``email.utils``: it brings in
    sockets, random numbers and MIME charsets, 7 ms of a one-file run's 140. Its parser is
    ``email._parseaddr``'s, which imports only ``time`` and ``calendar``; the datetime is built
    as ``parsedate_to_datetime`` builds it (tests/test_dates.py compares the two)."""
    try:
        from email._parseaddr import _parsedate_tz
    except ImportError:  # a Python whose email package is laid out otherwise
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(text)
    parsed = _parsedate_tz(text)
    if parsed is None:
        raise ValueError(f"Invalid date value or format {text!r}")
    *fields, zone = parsed
    if zone is None:
        return dt.datetime(*fields[:6])
    return dt.datetime(*fields[:6], tzinfo=dt.timezone(dt.timedelta(seconds=zone)))


def _named_month(text: str) -> dt.datetime | None:
    """A date written with an English month name (``_NAMED_MONTH``), in UTC; None for any other text."""
    match = _NAMED_MONTH.fullmatch(text)
    if match is None:
        return None
    name_first, day_first, day_after, name_after, year, hour, minute, second = match.groups()
    month = _MONTHS.get((name_first or name_after).lower())
    if month is None:
        return None
    return dt.datetime(int(year), month, int(day_first or day_after), int(hour or 0), int(minute or 0),
                       int(second or 0), tzinfo=dt.timezone.utc)


def parse_date(value) -> dt.datetime | None:
    """A timezone-aware datetime (UTC when none is given), or None when ``value`` is no date."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = ISO.fullmatch(text)
    try:
        if match:
            year, month, day, slash_month, slash_day, hour, minute, second, fraction, zone = match.groups()
            month, day = month or slash_month, day or slash_day
            micro = int((fraction or "0")[:6].ljust(6, "0"))
            return dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                               int(second or 0), micro, tzinfo=_zone(zone))
        if _RFC2822.match(text + " "):
            try:
                parsed = _rfc2822(text)
            except (ValueError, TypeError, OverflowError):  # "8 Jul 2022": no time, a month name's date
                return _named_month(text)
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)
        return _named_month(text)
    except (ValueError, TypeError, OverflowError):
        return None


def date_form(value) -> str | None:
    """How a valid date written as text departs from ISO 8601: "RFC 2822" (``Tue, 02 Aug 2022
    05:42:34 GMT``, as a feed gives it) or "month name" (``Jul 08 2022``); "" for an ISO 8601
    date or a YAML timestamp; None for no valid date."""
    if parse_date(value) is None:
        return None
    if not isinstance(value, str) or ISO.fullmatch(value.strip()):
        return ""
    text = value.strip()
    if _RFC2822.match(text + " ") and _named_month(text) is None:
        return "RFC 2822"
    return "month name"


def _zone(zone: str | None) -> dt.tzinfo:
    if not zone or zone in ("Z", "z", "UTC", "GMT"):
        return dt.timezone.utc
    digits = zone[1:].replace(":", "")
    minutes = int(digits[:2]) * 60 + int(digits[2:4] or 0)
    if minutes >= 24 * 60:
        raise ValueError(f"offset {zone} out of range")
    return dt.timezone(dt.timedelta(minutes=minutes if zone[0] == "+" else -minutes))
