"""Hostile values for the fuzzers (issue 11, items 5–8): odd digits, numbers beyond every
column, far dates, long, control, right-to-left and zero-width text, NUL.

`HOSTILE` is the fixed list every field may get; `value_for(baseline, options)` is the hypothesis
strategy of one field: its valid value, one of its valid choices, a hostile value, or the valid
value with a hostile character put in."""

import datetime

from hypothesis import strategies as st

ODD_DIGITS = ["²", "³¹", "٣", "١٢٣", "۴", "１２", "߁", "𝟗", "1e3", "0x10", " 1", "1.5", "1,5", "+1"]
NUMBERS = [
    str(2**31 - 1),
    str(2**31),
    str(2**32),
    str(2**63 - 1),
    str(2**63),
    str(2**64),
    str(10**30),
    "-1",
    "-0",
    str(-(2**31) - 1),
    str(-(2**63) - 1),
    "0",
    "NaN",
    "inf",
    "1.000.000.000.000.000.000",
    "9" * 400,
]
DATES = [
    "0001-01-01",
    "9999-12-31",
    "31/12/9999",
    "01/01/0001",
    "00/00/0000",
    "29/02/2021",
    "31/04/2021",
    "31/12/99999",
    "1/1/10000",
    "-1/-1/-1",
    "2021-06-01T00:00:00",
]
INVISIBLE = ["\x00", "\u202e", "\u200b", "\u200d", "\ufeff", "\u2066", "\x1b", "\x7f", "\u00ad"]
TEXTS = [
    "",
    " ",
    "x" * 10_000,
    "Nguyễn" * 2_000,
    "Nguyễn\x00Văn",
    "\x00",
    "\u202eNguyễn Văn An",
    "Nguyễn\u200bVăn\u200bAn",
    "Nguyễn Văn\r\nAn\ttab",
    "\x1b[31mđỏ\x1b[0m",
    "Nguye\u0303\u0302n Va\u0306n",  # decomposed Vietnamese (NFD)
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '=HYPERLINK("http://x")',
    "{{ 7|add:7 }}",
    "%00",
    "../../etc/passwd",
    "😀" * 50,
    "line-1",
    "course-1",
    "line-²",
]
HOSTILE = ODD_DIGITS + NUMBERS + DATES + TEXTS

# Text of any kind but surrogates (which UTF-8 cannot carry in a request).
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
far_dates = st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)).flatmap(
    lambda d: st.sampled_from(
        [f"{d.day:02d}/{d.month:02d}/{d.year:04d}", d.isoformat(), f"{d.day}/{d.month}/{d.year}"]
    )
)
big_numbers = st.one_of(
    st.integers(-(2**70), 2**70), st.integers(-10, 10**6), st.integers(2**31 - 2, 2**31 + 2)
).map(str)


def _insert(value, char, at):
    at = at % (len(value) + 1)
    return value[:at] + char + value[at:]


def hostile_values(baseline=""):
    """A hostile value; when the field has a valid value, also that value with a hostile
    character (or an odd digit) put in somewhere."""
    choices = [st.sampled_from(HOSTILE), big_numbers, far_dates, any_text]
    if baseline:
        choices.append(
            st.builds(
                _insert,
                st.just(baseline),
                st.sampled_from(INVISIBLE + ["²", "٣", "\x00", "\u202e"]),
                st.integers(0, 64),
            )
        )
    return st.one_of(*choices)


def value_for(baseline="", options=()):
    """One field's value: its valid value first (hypothesis shrinks towards it), one of its
    valid choices, or a hostile value."""
    strategies = [st.just(baseline)]
    if options:
        strategies.append(st.sampled_from(list(options)))
    strategies.append(hostile_values(baseline))
    return st.one_of(*strategies)
