"""The county a register is about, from its own name, and letters whose address does not say it (walks W23, W25).

A county office's register rarely writes its county in the address cells: 云霄县纪委监委2026年第四季度信访举报件登记表
writes 火田镇高田村, 和平乡宜谷径村, or only 下河 or 白石村, and a city office's workbook of one sheet per county
(「云霄」「诏安」) does the same on each sheet. Where the address names no county, the resolver alone finds a name
that several counties hold (下河: 云霄县下河乡 or 诏安县's two 下河村; 白石村 at five villages) not at all, or one
that only another county holds in another county. :func:`county_hint` reads the county a register names — its sheet
name, the title above its header, or its file name, the first of these that names a Zhangzhou county, and only when
that one names exactly one — and :func:`apply_hints` reads such addresses within that county:

* an address that names a county (or a place outside the city) is read as written; so is one the resolver places in
  the register's county without doubt;
* otherwise the address is read within the register's county, and the note says so and where the county came from
  (地址未写县区，按登记表的文件名「云霄县…登记表」读作云霄县); an empty address is read from the content within the
  county, and a letter nothing places further is placed at county level with the same words and a request to check;
* an address whose place exists only in another county (旧镇镇 in a 云霄 register: 漳浦县旧镇镇) is placed where the
  name is, and the note says the register is another county's and asks a check: nothing is guessed silently.

The note carries the hint, so that a later re-location of open cases (a gazetteer import) reads the address in the
same county again (:func:`hint_from_note`).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geodata

#: Where a register names its county, in the words of the note.
SOURCES = ("工作表名", "标题", "文件名")


@dataclass(frozen=True, slots=True)
class CountyHint:
    """The county a register names, and where it names it (``source`` one of :data:`SOURCES`, ``text`` as written)."""

    county: str  # 云霄县
    county_code: str
    source: str
    text: str

    @property
    def where(self) -> str:
        """登记表的文件名「云霄县纪委….xlsx」."""
        return f"登记表的{self.source}「{self.text}」"

    def read_note(self) -> str:
        """The note of an address read within this county."""
        return f"地址未写县区，按{self.where}读作{self.county}"


@functools.lru_cache(maxsize=1)
def _county_names() -> tuple[tuple[str, str, str], ...]:
    """(written name, county name, code), longest first: 云霄县, 云霄, 龙海市, 长泰县 …"""
    out: dict[str, tuple[str, str]] = {}
    for c in geodata.counties():
        for name in (c.name, *c.old_names, c.name[:-1] if len(c.name) == 3 else ""):
            if len(name) >= 2:
                out[name] = (c.name, c.code)
    for a in geodata.aliases():
        if a.level == "county" and len(a.alias) >= 2 and "市区" not in a.alias:
            county = geodata.county_by_code(a.code)
            out[a.alias] = (county.name, county.code)
    return tuple(sorted(((n, c, k) for n, (c, k) in out.items()), key=lambda t: -len(t[0])))


#: A short county name (云霄) that is really the start of a village's or town's name (东山村, 平和乡): not the county.
_PLACE_AFTER = re.compile(r"[村镇乡街社场]")


def counties_named(text: str) -> set[str]:
    """The codes of the Zhangzhou counties ``text`` names (云霄县, 云霄, 龙海市 …)."""
    text = re.sub(r"\s+", "", text or "")
    found: set[str] = set()
    taken = [False] * len(text)
    for name, _county, code in _county_names():
        for m in re.finditer(re.escape(name), text):
            if any(taken[m.start():m.end()]):
                continue
            short = not name.endswith(("县", "区", "市"))
            if short and _PLACE_AFTER.match(text, m.end()):
                continue
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            found.add(code)
    return found


def county_hint(filename: str, sheet: str = "", title: str = "") -> CountyHint | None:
    """The county a register names: its sheet's name, else the title above its header, else its file name — the first
    that names any Zhangzhou county, and only if it names exactly one (汇总 of two counties: none)."""
    stem = re.sub(r"「[^」]*」$", "", filename or "")
    stem = re.sub(r"\.(xlsx|xlsm|xls|csv|txt)$", "", stem.rsplit("/", 1)[-1], flags=re.IGNORECASE)
    for source, text in zip(SOURCES, (sheet, title, stem), strict=True):
        named = counties_named(text)
        if not named:
            continue
        if len(named) > 1:
            return None
        code = next(iter(named))
        shown = re.sub(r"\s+", " ", text).strip().replace("「", "").replace("」", "")
        return CountyHint(geodata.county_by_code(code).name, code, source,
                          shown if len(shown) <= 40 else shown[:39] + "…")
    return None


_NOTE = re.compile(r"登记表的(" + "|".join(SOURCES) + r")「([^」]*)」(?:读作|计为|是)([\u4e00-\u9fff]{2,3}[县区])")


def hint_from_note(message: str) -> CountyHint | None:
    """The hint a case's place note carries (:meth:`CountyHint.read_note` and the other notes below), or None."""
    m = _NOTE.search(message or "")
    if not m:
        return None
    code = next((k for n, c, k in _county_names() if c == m.group(3)), "")
    return CountyHint(m.group(3), code, m.group(1), m.group(2)) if code else None


def kept_note(message: str) -> str:
    """The part of a place note that carries a hint ("" when none), to keep when the note is rewritten."""
    return next((part for part in (message or "").split("；") if _NOTE.search(part)), "")


_RANK = {"village": 3, "town": 2, "county": 1, "none": 0}


def apply_hints(geocode: Any, addresses: Sequence[str], contents: Sequence[str], resolved: list,
                hints: Sequence[CountyHint | None], gazetteer: object, outside: Any) -> list:
    """Read within the register's county the addresses that do not name one (see the module's notes).

    ``resolved`` are the resolver's answers without the hint (the content already read for an empty address);
    ``outside(res)`` tells an answer outside the city. Returns the answers, one per address.
    """
    out = list(resolved)
    tried: list[tuple[int, str]] = []
    for i, hint in enumerate(hints):
        res, address = resolved[i], re.sub(r"\s+", "", addresses[i] or "")
        if hint is None or res is None or outside(res) or counties_named(address):
            continue
        if res.county_code == hint.county_code and not res.ambiguous and res.precision in ("town", "village"):
            continue  # placed in the register's own county without doubt: nothing to add
        text = address or re.sub(r"\s+", "", contents[i] or "")
        if not address and (named := counties_named(text)) and hint.county_code not in named:
            out[i] = _elsewhere(res, hint, "反映内容写的是" + "、".join(
                geodata.county_by_code(c).name for c in sorted(named)))  # 我是漳浦县人…: not read as 云霄's
            continue
        if not address and res.county_code and res.county_code != hint.county_code and res.town_code:
            out[i] = _elsewhere(res, hint)  # the content names a place of another county
            continue
        tried.append((i, f"{hint.county}{text}"))
    if not tried:
        return out
    found = geocode.resolve_many([t for _i, t in tried], gazetteer)
    for (i, _text), within in zip(tried, found, strict=True):
        hint, res, written = hints[i], resolved[i], bool((addresses[i] or "").strip())
        elsewhere = (res.county_code and res.county_code != hint.county_code and not res.ambiguous
                     and res.precision in ("town", "village"))
        if within.county_code != hint.county_code:  # 云霄县旧镇镇: no such place in the county
            if elsewhere:
                out[i] = _elsewhere(res, hint)
                continue
            within = geocode.resolve(hint.county)
        elif elsewhere and _RANK[within.precision] < 2:
            out[i] = _elsewhere(res, hint)  # the county has no such town or village; another county has
            continue
        if within.precision == "county":
            if written:
                note = f"地址未写出能确定的乡镇、村，按{hint.where}计为{hint.county}，点位为县区驻地，请核对"
            else:
                said = res.message or "地址栏为空，反映内容也未写出能确定的乡镇、村"
                note = f"{said}；按{hint.where}计为{hint.county}，点位为县区驻地，请核对"
        else:
            note = hint.read_note() + ("" if written else "，地点取自反映内容，请核对")
        if within.message and within.precision != "county":
            note += f"；{within.message}"
        out[i] = dataclasses.replace(within, address=addresses[i] or "", message=note)
    return out


def _elsewhere(res: Any, hint: CountyHint, said: str = "") -> Any:
    said = said or f"{'地址' if res.address.strip() else '反映内容'}所写的{res.town}{res.village}在{res.county}"
    note = f"{hint.where}是{hint.county}的，{said}，请核对"
    return dataclasses.replace(res, message=f"{res.message}；{note}" if res.message else note)
