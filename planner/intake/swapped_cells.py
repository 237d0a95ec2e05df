"""A register row whose 来信人 and 联系电话 cells were filled the wrong way round (walk W12: row 0503 had a mobile
number under 来信人 and 林某 under 联系电话, and the preview said only 联系电话格式不对)."""

from __future__ import annotations

import re
import unicodedata

_NUMBER_RE = re.compile(r"(?:\+?86)?(?:1[3-9]\d{9}|0\d{9,11}|\d{7,8})|\d{17}[\dX]|\d{15}")
_NAME_RE = re.compile(r"[\u4e00-\u9fa5·]{2,6}")


def name_phone_swapped(name: str, phone: str) -> bool:
    """True when ``name`` (the 来信人 cell) is a phone or ID number and ``phone`` (联系电话) reads as a person's name.

    Neither value is returned or said: the caller names the columns only.
    """
    number = re.sub(r"[\s\-()（）]", "", unicodedata.normalize("NFKC", name or "")).upper()
    person = re.sub(r"\s+", "", unicodedata.normalize("NFKC", phone or ""))
    return bool(number and person and _NUMBER_RE.fullmatch(number) and _NAME_RE.fullmatch(person))


def swapped_note(name_column: str, phone_column: str, case_no: str = "") -> tuple[str, str]:
    """The row note for a swapped 来信人/联系电话 pair, and its kind (the note without the row's own number, for the
    line summing up many rows): ``来信人与联系电话似乎填反了（本行编号 ZZ-0503；来信人一栏是号码，…）…``.

    ``case_no`` is the register's own number of the row ("" when it has none: the number is made later); the clerk
    finds the letter by it as by the row (walk W13: the note gave the sheet row only, where the other notes that send
    him back to his register give both). The values of the two cells are never said.
    """
    what = f"{name_column}一栏是号码，{phone_column}一栏像姓名；内容不显示"
    tail = "，已照原样保存，请核对后在登记表中改正"
    kind = f"{name_column}与{phone_column}似乎填反了（{what}）{tail}"
    if not case_no:
        return kind, ""
    return f"{name_column}与{phone_column}似乎填反了（本行编号 {case_no}；{what}）{tail}", kind
