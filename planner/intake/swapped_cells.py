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
