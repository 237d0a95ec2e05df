"""Register rows: reading values as offices write them (dates, numbers, names) and validating one row."""

from __future__ import annotations

import calendar
import contextlib
import dataclasses
import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from planner.domain import HANDLING_DAYS, Petitioner
from planner.intake.categorize import infer_category
from planner.intake.category_words import read_category
from planner.intake.columns import _ANONYMOUS, _STATUS_WORDS, FIELD_BY_KEY, RowIssue
from planner.intake.dates import NoSuchDateError, _date_words, parse_date
from planner.intake.deadlines import deadline_from_span, deadline_without_year, without_limit_word
from planner.intake.identity import id_number_valid
from planner.intake.reader import UNCOMPUTED_FORMULA
from planner.intake.register_export import WITHHELD
from planner.intake.swapped_cells import name_phone_swapped, swapped_note
from planner.intake.urgency import DEFAULT_SEVERITY, severity_of
from planner.intake.year_sources import YearSources
from planner.office.privacy import (
    IDENTITY_WITHHELD,
    half_width,
    mask_free_text,
    mask_id_number,
    mask_name,
    mask_phone,
    personal_header,
)


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """One data row after validation: clean values, the petitioner (personal) and issues."""

    row: int
    values: Mapping[str, object]  # field key -> clean value (no personal fields)
    petitioner: Petitioner
    raw: Mapping[str, object]  # header -> cell value as read (personal columns included; never log)
    issues: tuple[RowIssue, ...] = ()
    ref: str = ""  # the clerk's running number (序号) of the row, when the register has one
    # petitioner fields whose cell said 已隐去 (an exported register read back): no value, the stored one is kept
    withheld: tuple[str, ...] = ()
    urgency: str = ""  # the register's urgency column, its levels read as a whole (planner.intake.register_levels)

    @property
    def ok(self) -> bool:
        """True when the row has no error (warnings allowed)."""
        return not any(i.level == "error" for i in self.issues)


#: What a note on a value read one way says after it.
_CORRECT_IT = "（如不对请在登记表中改正）"
#: A 办理期限 without a year as the line summing up such rows says it (each row's note names its day).
_YEARLESS_DEADLINE = f"办理期限只写了月、日，没有年份；按收件日期当天或之后最近的这一天导入{_CORRECT_IT}"
_YEARLESS_RE = re.compile(r"^\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?\s*$")
_TITLE_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass(frozen=True, slots=True)
class YearHint:
    """The one year a register's title names and its dated letters all fall in, with their first and last day."""

    year: int
    first: dt.date
    last: dt.date
    month: int | None = None  # the one month the title names (2026年11月), when every dated letter is of it

    def date_for(self, text_: str) -> dt.date | None:
        """The day a year-less ``10月11日`` means, when it falls between the register's first and last letter or in
        the month the title names (the last letter of a 2026年11月 register, dated 11/30 after the others)."""
        m = _YEARLESS_RE.match(_date_words(text_))
        if not m:
            return None
        try:
            day = dt.date(self.year, int(m.group(1)), int(m.group(2)))
        except ValueError:
            return None
        return day if self.first <= day <= self.last or day.month == self.month else None

    def reason(self, day: dt.date) -> str:
        """Why a year-less day is read in this year, for the warning."""
        if self.first <= day <= self.last:
            return "且这一天在本表第一封和最后一封信之间"
        return f"且这一天在表头写明的 {self.year} 年 {self.month} 月内"


def register_year(title_rows: Sequence[Sequence[object]], dates: Iterable[object]) -> YearHint | None:
    """The year of a register's letters, when the register gives it unambiguously; else None.

    Unambiguous means: the rows above the header (title, 填表日期) name exactly one year, every dated letter in the
    date column is of that year, and (checked per letter by :meth:`YearHint.date_for`) a year-less day falls
    between the first and the last dated letter. A register spanning a new year, or a title naming two years,
    gives no year: its year-less dates stay refused, since a guessed year would misdate a case for good.

    Parameters
    ----------
    title_rows
        The sheet's rows above the header.
    dates
        The date column's cells.

    Returns
    -------
    YearHint | None
        The year and the span of the dated letters, or None.
    """
    year = title_year(title_rows)
    if year is None:
        return None
    days = []
    for value in dates:
        try:
            day = parse_date(value)
        except (ValueError, OverflowError):
            continue
        if day is not None:
            days.append(day)
    if not days or {d.year for d in days} != {year}:
        return None
    month = title_month(title_rows)
    return YearHint(year, min(days), max(days), month if {d.month for d in days} == {month} else None)


_TITLE_MONTH_RE = re.compile(r"(?:19|20)\d{2}\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])")
_ANY_MONTH_RE = re.compile(r"(\d{1,2})\s*月")


def title_month(title_rows: Sequence[Sequence[object]]) -> int | None:
    """The one month the rows above a header name as a register's month (``来信登记簿（2026年11月）``), else None;
    a full date (填表日期 2026年12月1日) or a second month (2026年11月至12月) names none."""
    texts = [unicodedata.normalize("NFKC", str(v)) for row in title_rows for v in row if v is not None]
    named = {int(m) for t in texts for m in _TITLE_MONTH_RE.findall(t)}
    every = {int(m) for t in texts for m in _ANY_MONTH_RE.findall(t)}
    return named.pop() if len(named) == 1 and every == named else None
def title_year(title_rows: Sequence[Sequence[object]]) -> int | None:
    """The one year the rows above a register's header name (``2026年第四季度来信登记表``), else None."""
    years = {int(y) for row in title_rows for v in row if v is not None for y in _TITLE_YEAR_RE.findall(str(v))}
    return years.pop() if len(years) == 1 else None


def _no_such_month_day(month: int, day: int) -> str:
    """Why a year-less ``10月32日`` is no day of any year (``10 月没有 32 日``, ``没有 13 月``); "" when it is one."""
    if not 1 <= month <= 12:
        return f"没有 {month} 月"
    if day < 1:
        return "没有 0 日"
    if day > (29 if month == 2 else calendar.monthrange(2001, month)[1]):
        return f"{month} 月没有 {day} 日"
    return ""


def _example_day(month: int, day: int, year: int | None, today: dt.date) -> dt.date:
    """A year-less day written out in full, for the message asking for the year: in the year the register's title
    names, else the latest such day up to today (2 月 29 日: the latest leap year's)."""
    if year is not None:
        with contextlib.suppress(ValueError):
            return dt.date(year, month, day)
    for back in range(9):
        with contextlib.suppress(ValueError):
            if (candidate := dt.date(today.year - back, month, day)) <= today:
                return candidate
    return dt.date(2000, month, day)


#: Prefix of a case number the importer made up for a register without a number column.
GENERATED_PREFIX = "自编-"


def generated_case_no(received: dt.date | None, content: str, petitioner_name: str) -> str:
    """A stable case number for a letter of a register that has none: ``自编-20261008-3f9a2c1b``.

    The received day and a short hash of the letter itself (its content without spaces and punctuation, and the
    petitioner's name): the same letter gets the same number in every import and in every register it appears
    in, and letters of another register get other numbers even where their 序号 are the same.

    Parameters
    ----------
    received
        The letter's received day; None for a table read without dates (``自编-3f9a2c1b``, never imported).
    content
        反映内容 as written.
    petitioner_name
        信访人 as written ("" or 匿名 for anonymous letters).

    Returns
    -------
    str
        The number; it starts with :data:`GENERATED_PREFIX`, so it never equals a number an office writes.
    """
    name = "" if petitioner_name.strip() in _ANONYMOUS else _letter_text(petitioner_name)
    basis = f"xiafang-letter|{received.isoformat() if received else ''}|{_letter_text(content)}|{name}"
    day = f"{received:%Y%m%d}-" if received else ""
    return f"{GENERATED_PREFIX}{day}{hashlib.sha256(basis.encode()).hexdigest()[:8]}"


def _letter_text(text_: str) -> str:
    """Text as a letter's identity sees it: full-width folded, without spaces and punctuation, lower case."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text_)).lower()


def letter_body(received: dt.date | None, content: str) -> str:
    """The letter itself, whatever number and columns each register gave it: received day and words.

    The words without spaces and punctuation (full width folded). "" when the day or the content is missing.
    Two rows with the same body are the same letter only when their petitioners agree too
    (:func:`same_writer`); see :func:`writer_marks`.
    """
    text_ = _letter_text(content or "")
    if received is None or not text_:
        return ""
    basis = f"xiafang-same-letter|{received.isoformat()}|{text_}"
    return hashlib.sha256(basis.encode()).hexdigest()


def _phone_digits(phone: str) -> str:
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", phone or ""))
    return digits[2:] if len(digits) == 13 and digits.startswith("861") else digits


def writer_marks(body: str, petitioner: Petitioner | None = None, petitioner_key: str = "") -> dict[str, str]:
    """The petitioner of a letter as a few opaque marks, one per thing a register may say about him.

    ``name``, ``phone`` and ``id`` for what the petitioner's cells hold (each hashed together with the letter's
    body, so a mark says nothing outside its letter), and ``key`` for the petitioner key a case stores
    (:meth:`planner.domain.Petitioner.key`: the ID number's hash when there is one, else name and phone). A
    register without a 身份证号 column gives no ``id`` mark; comparing only the marks both rows have
    (:func:`same_writer`) makes its copy of a letter the same letter as the register's that has one.

    Parameters
    ----------
    body
        :func:`letter_body` of the letter.
    petitioner
        Who wrote it, as read from the register or from the ``petitioners`` table; None when not known.
    petitioner_key
        :meth:`~planner.domain.Petitioner.key` as a ``key`` mark: a register row passes its own beside its
        cells; a stored case passes its stored key only when its identity row is missing (then the key is all
        that is known, and it is compared as before: with the key a row computes).

    Returns
    -------
    dict[str, str]
        Kind -> mark; empty for an anonymous letter (nothing known of the writer).
    """
    values: dict[str, str] = {}
    if petitioner is not None:
        name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", petitioner.name or ""))
        if name and name not in _ANONYMOUS:
            values["name"] = name
        if phone := _phone_digits(petitioner.phone):
            values["phone"] = phone
        if id_number := re.sub(r"\s+", "", unicodedata.normalize("NFKC", petitioner.id_number or "")).upper():
            values["id"] = id_number
    if petitioner_key:
        values["key"] = petitioner_key
    return {kind: hashlib.sha256(f"xiafang-letter-writer|{body}|{kind}|{v}".encode()).hexdigest()[:24]
            for kind, v in values.items()}


def same_writer(a: Mapping[str, str], b: Mapping[str, str]) -> bool:
    """True when two letters' :func:`writer_marks` name the same petitioner.

    Only what both rows say is compared: a register without 身份证号 (or without 联系电话) still matches the
    register that has it, by the name and phone both carry; any mark both have and that differs (another
    phone, another ID number) makes another petitioner. Nothing in common (one row gives only a name, the
    other only a phone), or an anonymous letter (no marks): not the same letter — several villagers may send
    the same words on the same day, signed by none.
    """
    shared = a.keys() & b.keys()
    return bool(shared) and all(a[k] == b[k] for k in shared)


def case_number(value: object) -> str:
    """A case number as stored and compared: full-width letters, digits and dashes typed half-width (ZA２０２６－０２
    is ZA2026-02), so that the same number written either way is one case."""
    return unicodedata.normalize("NFKC", _text(value)).strip()


#: A received day for telling whether a 办理期限 cell is a span (60日) when the row's own date is unreadable.
_ANY_DAY = dt.date(2026, 1, 1)
_DAY_FIRST_RE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def _date_hint(written: str) -> str:
    """How to write an unreadable date, with the day it may mean: 03/11/2026 is 2026-11-03 or 2026-03-11."""
    m = _DAY_FIRST_RE.match(unicodedata.normalize("NFKC", written))
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        readings = []
        for month, day in ((b, a), (a, b)):
            with contextlib.suppress(ValueError):
                readings.append(dt.date(year, month, day).isoformat())
        readings = list(dict.fromkeys(readings))
        if len(readings) == 2:
            return (f"（年份写在最后，是 {readings[0]} 还是 {readings[1]} 无法确定；请按 年-月-日 写，"
                    f"如 {readings[0]}）")
        if readings:
            return f"（年份写在最后；如是 {readings[0]}，请写成 {readings[0]}）"
    return "（请按 年-月-日 写，如 2026-11-03）"


#: What a cell says where the register export (or a screen) withheld the petitioner's identity.
WITHHELD_CELLS = frozenset({WITHHELD, IDENTITY_WITHHELD})


def withheld_cell(value: object) -> bool:
    """Whether a cell is the export's placeholder for a withheld identity (已隐去): no value (it keeps what is
    stored, see :mod:`planner.intake.withheld`)."""
    return re.sub(r"\s+", "", _text(value)) in WITHHELD_CELLS


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip() if not isinstance(value, str) else value.strip()


def _split_names(value: str) -> list[str]:
    parts = [q for p in re.split(r"[、,，;；\n]+", value) for q in _split_slash(p.strip())]
    return [p.strip() for p in parts if p.strip() and p.strip() not in _ANONYMOUS]


# A name or unit as registers write them: some Chinese, with ·, digits, Latin letters and a bracketed post.
_NAME_CHARS = re.compile(r"[\w·（）()\s]+")
_CHINESE = re.compile(r"[\u4e00-\u9fa5]")


def _split_slash(item: str) -> list[str]:
    """``王某/李某`` and ``山格镇林业站/林某某`` are two; ``</script>`` or ``A/B 型`` are one item kept as written."""
    pieces = [p.strip() for p in re.split(r"[/／]+", item) if p.strip()]
    if pieces and all(_NAME_CHARS.fullmatch(p) and _CHINESE.search(p) for p in pieces):
        return pieces
    return [item]


# Endings of organisations (a reported item ending so is a unit) and of posts (ending so, it is a person).
_UNIT_ENDINGS = (
    "局", "所", "站", "政府", "公司", "委员会", "村委会", "居委会", "中心", "办", "合作社", "学校", "中学", "小学",
    "幼儿园", "医院", "卫生院", "厂", "场", "队", "院", "部", "社区", "村", "镇", "乡", "街道", "组", "银行", "信用社",
    "协会", "集团", "会", "室", "处", "科", "股", "党委", "党支部", "支部", "管委会", "办事处", "农场", "林场",
)
_POSTS = (
    "书记", "主任", "镇长", "乡长", "站长", "所长", "局长", "会计", "出纳", "支书", "村长", "委员", "组长", "干部",
    "经理", "老板", "校长", "院长", "队长", "科长", "股长", "报账员", "网格员", "护林员", "文书", "主席", "工作人员",
    "负责人", "法人", "董事长", "副镇长", "副乡长",
)


def _without_post(unit: str) -> str:
    """``山格镇党委书记`` -> ``山格镇党委``; a unit without a post (or only a post) as written."""
    for post in sorted(_POSTS, key=len, reverse=True):
        if unit.endswith(post) and unit[: -len(post)].endswith(_UNIT_ENDINGS) and len(unit) - len(post) > 2:
            return unit[: -len(post)]
    return unit


# What a space-parted piece ends with when it names a unit or a place (角美镇 国土所, 马坑乡 和春村, 武安镇 某村): the
# organisation endings but 科 and 会, which end given names too (李文科), so "X 李文科" stays a person.
_SPACED_UNIT_ENDINGS = (*(e for e in _UNIT_ENDINGS if e not in ("科", "会")), "委会", "协会", "商会", "法院", "检察院")


def _spaced_reported(pieces: Sequence[str]) -> tuple[list[str], list[str]] | None:
    """A 被反映单位/人 item the clerk parted with spaces, as (persons, units); None when it is none of these forms.

    - unit, post, then a name — ``土田村党支部书记 赖木生``, ``山格镇林业站 林某``, ``霞寨镇林业站 站长 游某``: the
      person, with all before the name in brackets (``游某（霞寨镇林业站站长）``), and the unit before the post
      (walks C, E);
    - a unit, then a post without a name — ``上蔡村 会计``: the unnamed officer ``会计（上蔡村）`` and the unit;
    - places and units only — ``马坑乡 和春村``, ``角美镇 国土所``, ``武安镇 某村``: one unit, written without the
      spaces (``马坑乡和春村``; an unnamed 某村 stays the unnamed village of 武安镇, as 南靖县某局 is a unit); the
      last piece was once taken for a person's name (``和春村（马坑乡）``, ``某村（武安镇）``).
    """
    if not all(re.fullmatch(r"[\u4e00-\u9fa5·（）()]+", p) for p in pieces):
        return None
    *head, last = pieces
    before = "".join(head)
    name_like = re.fullmatch(r"[\u4e00-\u9fa5·]{2,4}", last) and not last.endswith((*_SPACED_UNIT_ENDINGS, *_POSTS))
    # Every piece before the name a unit, a place or a post: "村主任 林某 会计 陈某" is two people, left as written.
    if name_like and all(p.endswith((*_POSTS, *_UNIT_ENDINGS)) for p in head):
        unit = next((before[: -len(p)] for p in sorted(_POSTS, key=len, reverse=True) if before.endswith(p)), before)
        return [f"{last}（{before}）"], [unit] if unit.endswith(_UNIT_ENDINGS) and len(unit) > 2 else []
    if any(p.endswith(_POSTS) for p in head):
        return None
    if last.endswith(_POSTS):  # "上蔡村 会计", "湖西乡 村干部": the unit's unnamed officer
        return [f"{last}（{before}）"], [before] if before.endswith(_UNIT_ENDINGS) and len(before) > 2 else []
    if last.endswith(_SPACED_UNIT_ENDINGS) and len(last) >= 2:
        return [], ["".join(pieces)]
    return None


def split_reported(value: str) -> tuple[list[str], list[str]]:
    """Split a combined 被反映单位/人 cell into persons and units.

    ``山格镇林业站、林某某（站长）；陈建国`` -> (["林某某（站长）", "陈建国"], ["山格镇林业站"]).
    An item is a person when it ends with a post (村支书, 站长), carries a post in brackets, or is a short name
    (2-4 characters, 某某); it is a unit when it ends like an organisation (站, 局, 村委会, 公司 — also when
    left unnamed: 某村委会, 县某局). Anything else
    longer than four characters is a unit.
    """
    persons: list[str] = []
    units: list[str] = []
    for item in _split_names(value):
        pieces = item.split()
        if len(pieces) > 1 and all(re.fullmatch(r"[\u4e00-\u9fa5·]{2,4}", x)
                                   and not x.endswith((*_UNIT_ENDINGS, *_POSTS)) for x in pieces):
            persons += pieces  # "林建国 陈明": two names
            continue
        if len(pieces) > 1 and (spaced := _spaced_reported(pieces)) is not None:
            persons += spaced[0]
            units += spaced[1]
            continue
        core = re.sub(r"[（(][^）)]*[）)]$", "", item).strip() or item
        bracketed = core != item
        post_then_name = re.search(f"(?:{'|'.join(_POSTS)})[\u4e00-\u9fa5]{{1,3}}$", core)
        if core.endswith(_POSTS) or post_then_name or (bracketed and not core.endswith(_UNIT_ENDINGS)):
            persons.append(item)
        elif core.endswith(_UNIT_ENDINGS):  # 某村委会, 南靖县某局: a unit left unnamed is still a unit
            units.append(item)
        elif "某" in core:
            persons.append(item)
        elif len(core) <= 4 and re.fullmatch(r"[\u4e00-\u9fa5·]+", core):
            persons.append(item)
        else:
            units.append(item)
    return persons, units


def _float(value: object) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text_ = unicodedata.normalize("NFKC", str(value)).strip().rstrip("°").strip()
    return float(text_)


def _masked_raw(raw: Mapping[str, object], personal_headers: set[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for header, value in raw.items():
        personal = header in personal_headers or personal_header(header)  # 信访人住址, 备用电话 … too
        if personal and value not in (None, "") and _text(value) not in _ANONYMOUS and not withheld_cell(value):
            v = _text(value)
            out[header] = mask_phone(v) if re.fullmatch(r"[\d\s\-+()]+", v) and len(re.sub(r"\D", "", v)) < 15 \
                else mask_id_number(v) if re.fullmatch(r"[\dXx]{15,18}", v) else mask_name(v)
        elif isinstance(value, str):  # 反映内容, 备注 ...: an ID number or phone written in the text is masked too
            out[header] = mask_free_text(value)
        else:
            out[header] = _text(value) if isinstance(value, dt.date) else value
    return out


def _json_safe(raw: Mapping[str, object]) -> dict[str, object]:
    out = {}
    for k, v in raw.items():
        if isinstance(v, dt.datetime | dt.date):
            v = _text(v)
        elif isinstance(v, float) and not math.isfinite(v):
            v = None
        elif not isinstance(v, str | int | float | bool | type(None)):
            v = str(v)
        out[str(k)] = v
    return out


def _datum_from_text(text_: str) -> str | None:
    from geodata.datum import datum_from_text

    return datum_from_text(text_)


_PHONE_RE = re.compile(r"^(?:\+?86[-\s]?)?(?:1[3-9]\d{9}|0\d{2,3}[-\s]?\d{7,8}|\d{7,8})$")


def _validate_row(
    row_no: int, cells: Mapping[str, object], mapping: Mapping[str, str], today: dt.date, datum_hint: str | None,
    *, generate_case_no: bool = False, year_hint: YearHint | None = None, example_year: int | None = None,
    year_sources: YearSources | None = None,
) -> ParsedRow:
    issues: list[RowIssue] = []
    values: dict[str, object] = {}
    uncomputed = {h for h, v in cells.items() if v is UNCOMPUTED_FORMULA}
    if uncomputed:
        cells = {h: (None if h in uncomputed else v) for h, v in cells.items()}

    def get(key: str) -> object:
        header = mapping.get(key)
        return cells.get(header) if header else None

    def err(key: str, message: str, level: str = "error", kind: str = "") -> None:
        issues.append(RowIssue(row_no, mapping.get(key, FIELD_BY_KEY[key].label), message, level, kind=kind))

    for header, value in cells.items():
        if isinstance(value, str) and value.startswith(("=", "＝", "+", "@")) and len(value) > 1 and \
                re.match(r"^[=＝+@]\s*[A-Za-z_]+\s*\(|^[=＝]", value):
            # A formula typed as text: it is stored as plain text, never evaluated, and neutralised on export.
            issues.append(RowIssue(row_no, header, "内容以公式符号开头，已按普通文本保存（不会执行）", "warning"))

    case_no = case_number(get("case_no"))
    if generate_case_no:
        pass  # made from the letter once its date and content are read (below)
    elif not case_no:
        err("case_no", "编号为空")
    elif len(case_no) > 100:
        err("case_no", f"编号过长（{len(case_no)} 个字符，最多 100）")
    values["case_no"] = case_no

    received = None
    raw_received = get("received_date")
    dated = "received_date" in mapping  # not in a table read without dates (planner.intake.register.read_register)
    try:
        received = parse_date(raw_received) if dated else None
        if received is None:
            if dated:
                err("received_date", "收件日期为空")
        elif not dt.date(1990, 1, 1) <= received <= today + dt.timedelta(days=1):
            err("received_date", f"收件日期 {received.isoformat()!r} 不合理（应在 1990-01-01 至今天之间）")
            received = None
    except NoSuchDateError as e:
        err("received_date", f"日期不存在：{_text(raw_received)}（{e.reason}）")
    except (ValueError, OverflowError):
        written = _text(raw_received)
        guess = year_hint.date_for(written) if year_hint is not None else None
        if guess is not None and dt.date(1990, 1, 1) <= guess <= today + dt.timedelta(days=1):
            received = guess
            # The summary of many such rows says the year they are read in (walk W13: 日期 … 没有年份 … 按 … 导入).
            why = f"表头上方写明 {guess.year} 年，有年份的来信也都在 {guess.year} 年，{year_hint.reason(guess)}"
            err("received_date", f"日期 {written!r} 没有年份；{why}，按 {guess.isoformat()} 导入{_CORRECT_IT}",
                "warning", kind=f"日期只写了月、日，没有年份；{why}，按 {guess.year} 年的这一天导入{_CORRECT_IT}")
        elif yearless := _YEARLESS_RE.match(_date_words(written)):
            month, day = int(yearless.group(1)), int(yearless.group(2))
            if fault := _no_such_month_day(month, day):  # 10月32日: no year would make it a day
                err("received_date", f"日期不存在：{written}（{fault}）")
            elif sourced := year_sources.date_for(month, day, row_no) if year_sources is not None else None:
                # The year from the other sheets' titles, the file name, the rows beside it or the import date,
                # said (walk W33: 平和县's 11月8日 was refused beside its 2026-11-13).
                received, why, kind = sourced
                err("received_date", f"日期 {written!r} 没有年份；{why}，按 {received.isoformat()} 导入{_CORRECT_IT}",
                    "warning", kind=f"日期只写了月、日，没有年份；{kind}，按该年的这一天导入{_CORRECT_IT}")
            else:
                # 10月11日 could be this year's or last year's letter; a guessed year would misdate a case for good.
                example = _example_day(month, day, example_year, today)
                err("received_date", f"日期 {written!r} 没有年份，无法确定是哪一年（请写成 {example.isoformat()}）")
        else:
            err("received_date", f"无法识别的日期 {written!r}{_date_hint(written)}")
    values["received_date"] = received

    deadline = None
    raw_deadline = get("deadline")
    if received is None and deadline_from_span(raw_deadline, _ANY_DAY)[0] is not None:
        raw_deadline = None  # 60日 counts from a received date this row lacks: its date is what the row says is wrong
    try:
        deadline, span_note = deadline_from_span(raw_deadline, received)  # 60日, 30天内, 十五个工作日
        if span_note:
            err("deadline", span_note, "warning")
        if deadline is None:
            deadline = parse_date(without_limit_word(raw_deadline) if isinstance(raw_deadline, str) else raw_deadline)
    except NoSuchDateError as e:
        err("deadline", f"日期不存在：{_text(raw_deadline)}（{e.reason}），已按收件日期后 {HANDLING_DAYS} 天计",
            "warning")
    except (ValueError, OverflowError):
        deadline, why = deadline_without_year(raw_deadline, received)  # 1/3, 1月3日: on or after the received day
        err("deadline", why if deadline else f"无法识别的日期 {_text(raw_deadline)!r}{why}，已按收件日期后 "
                                             f"{HANDLING_DAYS} 天计", "warning",
            kind=_YEARLESS_DEADLINE if deadline else "")
    if deadline and received and deadline < received:
        err("deadline", f"办理期限 {deadline.isoformat()} 早于收件日期 {received.isoformat()}，已按收件日期后 "
                        f"{HANDLING_DAYS} 天计", "warning")
        deadline = None
    if received and not deadline:
        deadline = received + dt.timedelta(days=HANDLING_DAYS)
    values["deadline"] = deadline

    content = _text(get("content"))
    if not content:
        err("content", "反映内容为空")
    values["content"] = content
    if generate_case_no:
        values["case_no"] = generated_case_no(received, content, "" if withheld_cell(get("petitioner_name"))
                                              else _text(get("petitioner_name"))) \
            if (received or not dated) and content else ""
    for key in ("source", "category", "title"):
        v = _text(get(key))
        values[key] = v[:500] if key == "title" else v[:100]
    values["reported_persons"] = _split_names(_text(get("reported_persons")))
    # A 单位职务 cell names the unit with the post (山格镇党委书记): the unit is what letters share.
    written_units = _split_names(_text(get("reported_units")))
    values["reported_units"] = [_without_post(u) for u in written_units]
    # The post is kept too: the cell stays among the register's columns as written (浦南镇农业服务中心主任).
    kept_whole = {mapping["reported_units"]} if values["reported_units"] != written_units else set()
    if combined := _text(get("reported")):
        persons, units = split_reported(combined)
        values["reported_persons"] = list(dict.fromkeys([*values["reported_persons"], *persons]))
        values["reported_units"] = list(dict.fromkeys([*values["reported_units"], *units]))

    # The category: the register's own (by name or code), else inferred from the text with its reason. The office's
    # own word (三资管理, 财务) read as a category of this product (村务财务) keeps the word as the basis, so the
    # register export and the case say what the register wrote (walk D); a word that cannot be read with confidence
    # (民生) is kept as written (walk W25: 财务 typed and 村务财务 inferred were counted apart).
    reading = read_category(str(values["category"]), str(values["title"]), content, *values["reported_units"])
    values["category"] = reading.category[:100]
    values["category_source"], values["category_reason"], values["category_confidence"] = "", reading.reason[:200], None
    if not values["category"] and content:
        # The reported units and persons (镇卫生院, 村主任张某) say what and whom the letter is about, like its text.
        guess = infer_category(str(values["title"]), content, *values["reported_units"], *values["reported_persons"])
        values["category"] = guess.category
        values["category_source"] = "inferred"
        values["category_reason"] = guess.reason
        values["category_confidence"] = guess.confidence if guess.category else None

    # Every other column of the register is kept on the case as written (备注, 承办人 ...); so is 紧急程度, whose
    # word (特急) the case shows beside the severity it was read as.
    used = set(mapping.values()) - {mapping.get("severity")} - kept_whole
    values["extra_fields"] = {h: t for h, v in cells.items() if h not in used and (t := _text(v))}

    address = _text(get("address"))
    admin = [_text(get(k)) for k in ("county", "town", "village")]
    # Separate 县区/乡镇/村 columns complete the address unless the address already names them.
    prefix = "".join(a for a in admin if a and a not in address)
    values["address_text"] = (prefix + address) if prefix else address

    status_text = _text(get("status"))
    values["status"] = ""
    if status_text:
        values["status"] = _STATUS_WORDS.get(re.sub(r"\s+", "", status_text), "")
        if not values["status"]:
            err("status", f"办理状态 {status_text!r} 无法识别，按“已登记”处理", "warning")

    if "severity" in mapping:  # a register without an urgency column leaves the case's severity as it is
        severity, unclear = severity_of(get("severity"))
        values["severity"] = severity or DEFAULT_SEVERITY
        if unclear:
            err("severity", unclear, "warning")

    people = get("people_affected")
    try:
        values["people_affected"] = max(0, int(_float(people) or 0))
    except (ValueError, OverflowError):
        err("people_affected", f"涉及人数 {_text(people)!r} 不是数字，已按 0 计", "warning")
        values["people_affected"] = 0

    lon_raw, lat_raw = get("lon"), get("lat")
    values["lon"] = values["lat"] = None
    values["datum"] = ""
    if lon_raw not in (None, "") or lat_raw not in (None, ""):
        try:
            lon, lat = _float(lon_raw), _float(lat_raw)
            if lon is None or lat is None:
                raise ValueError
            if not (math.isfinite(lon) and math.isfinite(lat)):
                raise ValueError
            datum_text = _text(get("datum"))
            datum = datum_hint or "wgs84"
            if datum_text:
                found = _datum_from_text(datum_text)
                if found is None:
                    err("datum", f"坐标系 {datum_text!r} 无法识别，按 WGS-84 处理（可填 WGS-84、GCJ-02/高德、百度）",
                        "warning")
                else:
                    datum = found
            values["lon"], values["lat"], values["datum"] = lon, lat, datum
        except (ValueError, TypeError, OverflowError):
            err("lon", f"经纬度不完整或不是数字（经度 {_text(lon_raw)!r}，纬度 {_text(lat_raw)!r}），已忽略坐标",
                "warning")

    # 已隐去 (the register export's placeholder) is no value: never a name, a phone or a writer two letters share.
    withheld = tuple(k for k in ("petitioner_name", "petitioner_phone", "petitioner_id") if withheld_cell(get(k)))
    name = "" if "petitioner_name" in withheld else _text(get("petitioner_name"))
    if name in _ANONYMOUS:
        name = ""
    # Digits typed full-width (１３８５９６１８８９９) are stored as the number they are, so that it is checked,
    # masked and dialled like any other (walk D).
    phone = "" if "petitioner_phone" in withheld else half_width(_text(get("petitioner_phone")))
    if phone in _ANONYMOUS:
        phone = ""
    id_number = "" if "petitioner_id" in withheld else half_width(_text(get("petitioner_id"))).upper()
    if id_number in _ANONYMOUS:
        id_number = ""
    if (phone and id_number and re.fullmatch(r"\d{17}[\dX]|\d{15}", phone.upper())
            and re.fullmatch(r"1[3-9]\d{9}", re.sub(r"[\s\-]", "", id_number))):
        # Walk G: an ID number in 联系电话 and a phone in 身份证号 were saved as they stood (the ID shown as the
        # letter's phone in contact files, no repeat chain by ID). Each is unmistakable: exchanged, and said so.
        phone, id_number = id_number, phone.upper()
        err("petitioner_phone", "联系电话与身份证号两列的内容填反了（号码不显示），已互换后保存，请核对", "warning")
    if name_phone_swapped(name, phone):  # walk W12: a mobile under 来信人 and 林某 under 联系电话 ("格式不对" only)
        cols = [mapping.get(k, FIELD_BY_KEY[k].label) for k in ("petitioner_name", "petitioner_phone")]
        note, kind = swapped_note(*cols, "" if generate_case_no else case_no)  # its row and its 编号 (walk W13)
        issues.append(RowIssue(row_no, "", note, "warning", kind=kind))
    elif phone and not _PHONE_RE.match(re.sub(r"[\s\-()]", "", phone)):
        err("petitioner_phone", "联系电话格式不对（号码不显示），已照原样保存", "warning")
    if id_number:
        if not (id_number_valid(id_number) or re.fullmatch(r"\d{15}", id_number)):
            err("petitioner_id", "身份证号位数或校验位不对（号码不显示），已照原样保存", "warning")
    petitioner = Petitioner(name=name[:100], phone=phone[:50], id_number=id_number[:30])
    if uncomputed:
        issues = _explain_uncomputed(row_no, issues, uncomputed)
    return ParsedRow(row=row_no, values=values, petitioner=petitioner, raw=dict(cells), issues=tuple(issues),
                     withheld=withheld)


_UNCOMPUTED_HINT = (
    "该单元格是公式，文件里没有保存计算结果（请在 Excel 中打开并保存后再导入，或复制后“选择性粘贴为数值”）"
)


def _explain_uncomputed(row_no: int, issues: list[RowIssue], headers: set[str]) -> list[RowIssue]:
    """Say why a formula cell without a stored result reads as empty: on the issue it caused, or as a warning."""
    out = [dataclasses.replace(i, message=f"{i.message}：{_UNCOMPUTED_HINT}") if i.column in headers else i
           for i in issues]
    told = {i.column for i in issues}
    out += [RowIssue(row_no, h, f"按空白导入：{_UNCOMPUTED_HINT}", "warning") for h in sorted(headers - told)]
    return out


