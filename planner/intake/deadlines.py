"""办理期限 as registers write it besides a date: a span from the day the letter came in (60日, 30天内, 十五个工作日)
or a date with 前 (2026年12月31日前). Working days follow China's official calendar (PyPI ``chinesecalendar``: the
statutory holidays and the weekend days made workdays); for a year it does not hold yet, weekends only, and the
row says so."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

#: Chinese numerals of a span (十五, 六十, 九十) and what ends a date written as a limit (12月31日前).
_CN = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_SPAN_RE = re.compile(r"^\s*(?:限|须在|需在|应在|收件后|受理后|自收件之日起)?\s*"
                      r"([0-9]{1,3}|[一二两三四五六七八九十百〇零]{1,4})\s*(?:个)?\s*(工作日|自然日|天|日)\s*(?:内|之内|以内|办结|内办结)?\s*$")
_LIMIT_TAIL_RE = re.compile(r"\s*(?:前|之前|以前|止|为止|前办结|之前办结)\s*$")


def _number(text_: str) -> int:
    if text_.isdigit():
        return int(text_)
    if "百" in text_:
        hundreds, _, rest = text_.partition("百")
        return _CN[hundreds or "一"] * 100 + (_number(rest.lstrip("零〇")) if rest.strip("零〇") else 0)
    if "十" in text_:
        tens, _, ones = text_.partition("十")
        return (_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0)
    return _CN[text_]


def without_limit_word(text_: str) -> str:
    """``2026年12月31日前`` -> ``2026年12月31日``: the day itself is the limit."""
    return _LIMIT_TAIL_RE.sub("", text_)


def add_workdays(start: dt.date, days: int) -> tuple[dt.date, bool]:
    """The ``days``-th working day after ``start``, and whether every day passed was in the official calendar
    (False: a year it does not hold, where only weekends were left out)."""
    try:
        import chinese_calendar
    except ImportError:  # the package missing: weekends only, said so
        chinese_calendar = None
    day, left, known = start, days, True
    while left > 0:
        day += dt.timedelta(days=1)
        try:
            if chinese_calendar is None:
                raise NotImplementedError
            work = chinese_calendar.is_workday(day)
        except NotImplementedError:
            known, work = False, day.weekday() < 5
        left -= work
    return day, known


def deadline_from_span(text_: object, received: dt.date | None) -> tuple[dt.date | None, str]:
    """The deadline a span names counted from ``received``, with a note for the row ('' when sure), or
    (None, '') when the cell is no span (60日 / 30天内 / 十五个工作日 / 15个自然日 / a bare 60 of a 时限 column)."""
    if received is None or text_ is None or isinstance(text_, bool | dt.date):
        return None, ""
    if isinstance(text_, int | float) and float(text_).is_integer():
        text_ = f"{int(text_)}日"  # a 办理时限 column of bare numbers (60) counts days; an Excel serial is > 365
    elif isinstance(text_, str) and text_.strip().isdigit() and len(text_.strip()) <= 3:
        text_ = f"{text_.strip()}日"
    m = _SPAN_RE.match(unicodedata.normalize("NFKC", str(text_)))
    if not m:
        return None, ""
    try:
        n = _number(m.group(1))
    except KeyError:
        return None, ""
    if not 0 < n <= 365:
        return None, ""
    if m.group(2) != "工作日":
        return received + dt.timedelta(days=n), ""
    day, known = add_workdays(received, n)
    note = "" if known else (f"按收件日期后 {n} 个工作日计为 {day.isoformat()}；{day.year} 年的法定节假日安排"
                             "不在内置日历中，只扣除了周末，请核对")
    return day, note


#: A 办理期限 written without its year (1/3, 1月3日, 12-20, 1月3号前): read as the first such day on or after the
#: day the letter came in, when that is at most this many days after it; further is no plain deadline (a day
#: before the received date written by mistake, or a year left out on purpose) and the default is used, said so.
YEARLESS_DEADLINE_DAYS = 183
_YEARLESS_RE = re.compile(r"^\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*[日号]?\s*$")


def deadline_without_year(value: object, received: dt.date | None) -> tuple[dt.date | None, str]:
    """A 办理期限 cell without a year (``1/3``) read from the received day: (the day, the note saying how its year
    was inferred) — 1/3 of a letter received 2026-11-20 is 2027-01-03, as a deadline is never before the letter.

    (None, why) when the cell is such a day but no year can be given it (``（2 月没有 30 日）``, or the day comes
    more than :data:`YEARLESS_DEADLINE_DAYS` days after the letter); (None, '') when the cell is not such a day or
    the row has no received day. ``why`` is written after the cell in the row's warning.
    """
    if received is None or not isinstance(value, str):
        return None, ""
    m = _YEARLESS_RE.match(without_limit_word(unicodedata.normalize("NFKC", value)))
    if not m:
        return None, ""
    month, day_ = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None, f"（没有 {month} 月）"
    if day_ == 0:
        return None, "（没有 0 日）"
    if day_ > calendar.monthrange(2024, month)[1]:  # a leap year: 2 月 29 日 is a day of some years
        return None, f"（{month} 月没有 {day_} 日）"
    candidates = []
    for year in (received.year, received.year + 1):
        try:
            candidates.append(dt.date(year, month, day_))
        except ValueError:  # 2 月 29 日 of a year that has none
            continue
    after = [d for d in candidates if d >= received]
    if not after:
        return None, f"（{received.year + 1} 年 2 月没有 29 日）"
    day = after[0]
    if (day - received).days > YEARLESS_DEADLINE_DAYS:
        return None, (f"（没有年份；收件日期 {received.isoformat()} 之后的 {month} 月 {day_} 日是 {day.isoformat()}，"
                      "离收件日期超过半年，无法确定是哪一年，请写明年份）")
    return day, (f"办理期限 {value.strip()!r} 没有年份；办理期限不早于收件日期 {received.isoformat()}，"
                 f"按收件日期之后的 {month} 月 {day_} 日即 {day.isoformat()} 导入（如不对请在登记表中改正）")
