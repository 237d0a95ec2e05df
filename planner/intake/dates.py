"""Reading a date as registers write it: date cells, 2026-03-05, 2026/3/5, 2026年3月5日, 二〇二六年十一月三日,
2026年十一月三日, 26.11.3 (the year in two digits, first), 20260305, and Excel date serial numbers (a number cell of
a workbook, or 46313 written into a CSV by a workbook saved as CSV)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata


class NoSuchDateError(ValueError):
    """A date written in a readable form that is no day of the calendar: 2026-09-31, 2026-02-30, 2026-13-01."""

    def __init__(self, year: int, month: int, day: int) -> None:
        super().__init__(f"{year:04d}-{month:02d}-{day:02d}")
        self.year, self.month, self.day = year, month, day

    @property
    def reason(self) -> str:
        """Why the day does not exist, in plain words: ``9 月没有 31 日``, ``2026 年 2 月没有 29 日``."""
        if not 1 <= self.month <= 12:
            return f"没有 {self.month} 月"
        if self.year < dt.MINYEAR:
            return f"没有 {self.year} 年"
        if self.day < 1:
            return "没有 0 日"
        year = f"{self.year} 年 " if self.month == 2 else ""  # only February's length depends on the year
        return f"{year}{self.month} 月没有 {self.day} 日"


def _calendar_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise NoSuchDateError(year, month, day) from None


_DATE_RE = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+\d{1,2}[:：]\d{2}(?::\d{2})?)?\s*$"
)
_COMPACT_DATE_RE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
#: A date with the year in two digits, year first as registers write dates (26.11.3, 26-11-03, 26年11月3日): the
#: year of this century (walk W33). Only a first number that is no month (13..99) and no slash: 11/3/26 is an Excel
#: set to US dates (month first), 11.3.26 could be either — neither is read.
_SHORT_YEAR_RE = re.compile(r"^\s*(1[3-9]|[2-9]\d)\s*[-.年]\s*(\d{1,2})\s*[-.月]\s*(\d{1,2})\s*日?\s*$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
#: A date cell of a workbook formatted as 常规 (General) and saved as CSV is written as its serial number: 46313 for
#: 2026-10-18 (days since 1899-12-30, Excel's 1900 date system). Read so only as five digits from 2000-01-01 (36526)
#: to 2099-12-31 (73050), an optional time of day after the point; 20261018 is a date written without separators.
_SERIAL_TEXT_RE = re.compile(r"^\s*(\d{5})(?:\.\d+)?\s*$")
_SERIAL_SPAN = (36_526, 73_050)
_NUMBER_SPAN = (20_000, 80_000)  # a number cell read as a serial day (1954..2119): parse_date


def serial_text(value: object) -> int | None:
    """The Excel date serial number a text cell holds (``'46313'`` -> 46313), or None for any other value."""
    if not isinstance(value, str) or not (m := _SERIAL_TEXT_RE.match(unicodedata.normalize("NFKC", value))):
        return None
    number = int(m.group(1))
    return number if _SERIAL_SPAN[0] <= number <= _SERIAL_SPAN[1] else None


def serial_number(value: object) -> int | None:
    """The Excel date serial number a date cell holds as a plain number or as text (46313, 46313.5, '46313'), or None
    for any other value: a workbook's date cell formatted as a date is read as a date (no number) by the readers."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if _NUMBER_SPAN[0] <= value <= _NUMBER_SPAN[1] else None
    return serial_text(value)


def serial_day(number: int) -> dt.date:
    """The day an Excel date serial number stands for (1900 date system): 46313 -> 2026-10-18."""
    return _EXCEL_EPOCH + dt.timedelta(days=number)


def parse_date(value: object) -> dt.date | None:
    """Read a date as registers write it (date cells, 2026-03-05, 2026/3/5, 2026年3月5日, 二〇二六年十一月三日,
    2026年十一月三日, 26.11.3, 20260305, Excel serials, also as text: '46313').

    Returns
    -------
    datetime.date | None
        The date, or None for an empty value.

    Raises
    ------
    ValueError
        When the value is not a date; :class:`NoSuchDateError` (a ValueError) when it is written as a date but that
        day does not exist (2026-09-31).
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _NUMBER_SPAN[0] <= value <= _NUMBER_SPAN[1]:  # Excel serial day numbers
            return serial_day(int(value))
        if 19_000_101 <= value <= 21_001_231 and float(value).is_integer():
            value = str(int(value))
        else:
            raise ValueError(value)
    if (number := serial_text(value)) is not None:
        return serial_day(number)
    text_ = _date_words(str(value))
    if m := _SHORT_YEAR_RE.match(text_):
        return _calendar_date(2000 + int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DATE_RE.match(text_) or _COMPACT_DATE_RE.match(text_)
    if not m:
        raise ValueError(value)
    return _calendar_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))


_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "O": 0}
_CN_DATE_RE = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4}|\d{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                         r"(?:\s*([一二三四五六七八九十]{1,3})\s*[日号])?")
#: What may follow the day in a register cell: 号 for 日, the part of the day, a time (上午9时30分, 下午3点, 14:30).
_DAY_SUFFIX_RE = re.compile(r"(?<=\d)\s*[号日]\s*(?:上午|下午|中午|晚上|凌晨|早上|傍晚|晚)?\s*"
                            r"(?:\d{1,2}\s*[时点]\s*(?:\d{1,2}\s*分?|半)?)?\s*$")


def _cn_number(text_: str) -> int:
    """一 .. 三十一 as a number (十一 = 11, 二十 = 20, 三十一 = 31)."""
    if "十" not in text_:
        return _CN_DIGITS[text_]
    tens, _, ones = text_.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _date_words(text_: str) -> str:
    """A date cell as the date patterns read it: NFKC, Chinese numerals (二〇二六年十一月三日) in digits, 号 for 日,
    and the part of the day or a time after the day left out (2026年11月3号上午9时)."""
    text_ = unicodedata.normalize("NFKC", text_)
    if m := _CN_DATE_RE.search(text_):
        year = "".join(c if c.isdigit() else str(_CN_DIGITS[c]) for c in m.group(1))  # 2026年十一月三日 too
        with contextlib.suppress(KeyError):
            day = f"{_cn_number(m.group(3))}日" if m.group(3) else ""
            text_ = text_[:m.start()] + f"{year}年{_cn_number(m.group(2))}月{day}" + text_[m.end():]
    return _DAY_SUFFIX_RE.sub("日", text_)
