"""Dates written as RFC 2822 are read as ``email.utils.parsedate_to_datetime`` reads them, without
importing ``email.utils`` (see ``lintnews.dates._rfc2822``)."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from email.utils import parsedate_to_datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from lintnews.dates import _rfc2822, parse_date

_CRAFTED = [
    "Wed, 29 Jun 2022 02:37:09 GMT", "Tue, 02 Aug 2022 05:42:34 +0800", "2 Aug 2022 05:42 -0130",
    "Tue, 02 Aug 22 05:42:34 EST", "02 Aug 2022 05:42:34", "02 Aug 2022 05:42:34 -0000",
    "Mon, 31 Feb 2022 10:00:00 GMT", "Mon, 1 Jan 0 00:00:00 +0000", "Sun, 06 Nov 1994 08:49:37 UT",
    "8 Jul 2022", "Fri, 13 Dec 2024 25:61:61 +9999", "1 Jan 99999999999 1:1:1 +0000", "",
    "Thu, 01 Jan 1970 00:00:00 XYZ", "1 Jan 2020 12:00:00 +1", "1 Jan 2020 12:00:00.5 +0000",
]


def _outcome(function, text: str):
    try:
        parsed = function(text)
    except Exception as exc:  # the same kind of failure is what matters
        return type(exc)
    return parsed, parsed.tzinfo


def test_crafted_dates_read_as_email_utils_reads_them():
    for text in _CRAFTED:
        assert _outcome(_rfc2822, text) == _outcome(parsedate_to_datetime, text), text


_PIECES = ["Wed, ", "Mon,", "29 ", "1 ", "Jun ", "jun ", "Sept ", "2022 ", "22 ", "02:37", ":09", " GMT",
           " +0800", " -0130", " EST", " PDT", " Z", ".5", " ", "  ", ",", "-", "x", "0", "99"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=9).map("".join) | st.text(max_size=40))
def test_any_text_read_as_email_utils_reads_it(text):
    assert _outcome(_rfc2822, text) == _outcome(parsedate_to_datetime, text)


def test_an_rfc_2822_date_is_a_utc_aware_datetime():
    assert parse_date("Wed, 29 Jun 2022 02:37:09 GMT") == dt.datetime(2022, 6, 29, 2, 37, 9, tzinfo=dt.timezone.utc)
    assert parse_date("Tue, 02 Aug 2022 05:42:34 +0800") == \
        dt.datetime(2022, 8, 2, 5, 42, 34, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert parse_date("02 Aug 2022 05:42:34 -0000").tzinfo == dt.timezone.utc  # no zone given: UTC


def test_reading_an_rfc_2822_date_leaves_email_utils_unimported():
    code = ("import sys; from lintnews.dates import parse_date; "
            "assert parse_date('Wed, 29 Jun 2022 02:37:09 GMT') is not None; "
            "print('email.utils' in sys.modules, 'socket' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]
