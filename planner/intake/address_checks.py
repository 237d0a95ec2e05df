"""Before an import: the rows whose address the import will place only to be checked, and the rows it cannot place.

The import result counts them (``N 件地址需核对……，M 件未定位``), but only after the letters are in; a coordinator
walking the 导入 page saw 平和县山格镇龙凤岗村 (no such village in 山格镇's village table) only then. The preview
places the same rows the same way (:func:`planner.intake.locating._locate` with the office gazetteer, for the rows
the import would write) and lists them, with the words of the result.

``address_preview(session, preview) -> AddressPreview``
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.intake.app_corrections import PLACE_KEYS, live_corrections
from planner.intake.locating import _locate, _office_gazetteer, register_hint
from planner.intake.outside_city import OUTSIDE_TODO, is_outside, outside_place
from planner.intake.register import RegisterPreview, rows_to_write
from planner.office.privacy import mask_free_text
from planner.places.check_notes import needs_check, placed_from_content
from planner.places.estimates import county_wide_bound, seat_point, written_village

#: Where the letters to check are after the import (案件地图 marks them with :func:`needs_check`, as the import counts).
CASE_MAP_CHECKS = ("在「案件地图」列表的“位置”列标为“待核对”并写明原因（没有坐标的标为“未定位”）；"
                   "在“筛选”的“位置”中选“只看待核对”或“只看未定位”可只列这些信访件，点开一件可看定位说明并校准位置。")

#: The 地址核对 column of the address as written, beside 问题发生地 when a row was placed from its content.
WRITTEN_ADDRESS = "登记表写的地址"

#: What the import result calls each precision (pages/import_register.py, **定位**).
_PLACED = {"village": "按村定位", "town": "按乡镇定位", "county": "只定位到县区"}


@dataclass(frozen=True, slots=True)
class AddressCheck:
    """One row the import will place only to be checked, or not at all."""

    row: int  # the register's row number, as 校验结果 gives it
    case_no: str
    address: str  # 问题发生地 as placed: the address as written, or the place the content names (identities masked)
    village: str  # the village written that the village table does not have there ("" when none)
    outcome: str  # what the import will do: ``按乡镇定位（山格镇），待核对``, ``未定位``
    note: str  # the resolver's note, as 案件地图 will show it
    written: str = ""  # the address as the register writes it, identities masked ("" for an empty cell)


@dataclass(frozen=True, slots=True)
class AddressPreview:
    """The rows of a register the import will place to be checked, or cannot place."""

    checks: tuple[AddressCheck, ...]
    to_check: int  # rows whose place note asks to check (the result's 地址需核对)
    unplaced: int  # rows not placed at all (the result's 未定位), those outside Zhangzhou apart
    unchanged: int = 0  # rows already imported as they are: the import does not place them again
    new: int = 0  # rows the import will add as new letters
    changed: int = 0  # rows of letters already imported whose content differs: the import updates them
    outside: int = 0  # rows about a place outside Zhangzhou: 市外（转外地办理）, not 未定位
    county_read: int = 0  # rows whose address wrote no county nor a place of one county alone, read within it
    county_where: str = ""  # where the register names it: 登记表的文件名「云霄县…登记表」写的是云霄县
    county_elsewhere: int = 0  # rows whose written place only another county holds: placed there, to be checked

    def counts_text(self) -> str:
        """What the import will do with the rows it may import, counted before it (walk S: a register imported
        again previewed as 可导入 66 and only the result said 未变 66):
        ``可导入的 66 行中：新增 0 件，更新 0 件，未变 66 件（与已导入的信访件相同，导入时不改动）。``"""
        total = self.new + self.changed + self.unchanged
        if not total:
            return ""
        text = f"可导入的 {total:,} 行中：新增 {self.new:,} 件，更新 {self.changed:,} 件，未变 {self.unchanged:,} 件"
        county = ""
        if self.county_read or self.county_elsewhere:  # walk W29: 12 rows "read so", 2 of them placed elsewhere
            read = f"{self.county_read:,} 行的地址没写县区、所写地名又不止一处或找不到，按此县区读"
            far = f"{self.county_elsewhere:,} 行所写的地方只有别的县区才有，按所写的地方定位并请核对"
            parts = [p for p, n in ((read, self.county_read), (far, self.county_elsewhere)) if n]
            county = (f"{self.county_where}：地址没写县区而地名只在本县区有的照常定位；"
                      f"{'；'.join(parts)}；每件的定位说明写明。")
        elif self.county_where and self.new + self.changed:  # walk W30: the clerk was never told which county
            county = (f"{self.county_where}：本表的地址都能照所写定位（没写县区的，所写地名只在本县区有），"
                      "没有需要按此县区读的。")
        if self.unchanged == total:
            return text + "：这些行都已导入且内容未变，再次导入不会新增或更新信访件。" + county
        return text + ("（与已导入的信访件相同，导入时不改动）。" if self.unchanged else "。") + county

    def text(self) -> str:
        """``导入后 1 件地址需核对（乡镇与村不符、村名重名、村表中没有的村等），0 件未定位：……`` ("" when none)."""
        if not self.checks:
            return ""
        far = f"，{self.outside:,} 件地址不在漳州市（{OUTSIDE_TODO}，不列入走访候选）" if self.outside else ""
        return (f"导入后 {self.to_check:,} 件地址需核对（乡镇与村不符、村名重名、村表中没有的村等），"
                f"{self.unplaced:,} 件未定位{far}，见下表。导入后{CASE_MAP_CHECKS}")

    def unchanged_text(self) -> str:
        """Why rows already imported are not in the list ("" when there are none)."""
        if not self.unchanged:
            return ""
        return f"另有 {self.unchanged:,} 行与已导入的信访件相同，导入时不重新定位，不在此列。"

    def rows(self) -> list[dict[str, object]]:
        """The list as a table: 行, 编号, 问题发生地, 信中写的村, 导入后, 说明.

        问题发生地 is where the matter is as the import places it. When a row was placed where its content names
        (an address in another city, only a county, or none), the table adds 登记表写的地址 beside it, so the
        written address is never shown as the place of the matter (walk: 厦门市同安区… about 龙海区海澄镇和平村).
        """
        moved = any(c.address != c.written for c in self.checks)
        return [{"行": c.row, "编号": c.case_no, "问题发生地": c.address,
                 **({WRITTEN_ADDRESS: c.written or "（空）"} if moved else {}), "信中写的村": c.village,
                 "导入后": c.outcome, "说明": c.note} for c in self.checks]


def _outcome(loc: dict[str, object], check: bool) -> str:
    """``按乡镇定位（山格镇），待核对``: the precision in the result's words, with the place it keeps; when the point
    is not that place's own seat but the county's, which point and how far off, as the note says it
    (:func:`planner.places.estimates.seat_point`; walk W13: ``按乡镇定位（旧镇镇）`` beside a note saying the point
    was the county seat):
    ``按乡镇定位（旧镇镇），点为漳浦县政府驻地（按全县区范围计，实际地点可能在 48.9 km 以内），待核对``."""
    precision = str(loc.get("precision") or "none")
    if precision not in _PLACED:
        return "未定位"
    place = {"village": loc.get("village"), "town": loc.get("town"), "county": loc.get("county")}[precision]
    text = _PLACED[precision] + (f"（{place}）" if place else "")
    km = loc.get("precision_km")
    if precision != "county" and loc.get("point_source") == "county_seat":
        point = seat_point("county_seat", county=str(loc.get("county") or ""))
        text += f"，点为{point}" + (f"（{county_wide_bound(float(km))}）" if km else "")
    return text + ("，待核对" if check else "")


def held_places(session: Session, case_nos: list[str]) -> dict[str, dict[str, object]]:
    """The place fields of the letters of ``case_nos`` whose place a person set or chose, as stored."""
    from planner.store.models import CaseRow

    out: dict[str, dict[str, object]] = {}
    for start in range(0, len(case_nos), 500):
        for case in session.scalars(select(CaseRow).where(CaseRow.case_no.in_(case_nos[start:start + 500]))):
            if "place" in live_corrections(case):
                out[case.case_no] = {k: getattr(case, k) for k in PLACE_KEYS}
    return out


def address_preview(session: Session, preview: RegisterPreview) -> AddressPreview:
    """Place the rows the import would write, as it will, and keep those to be checked or not placed.

    Parameters
    ----------
    session
        Open session (the office gazetteer and the letters already imported are read; nothing is written).
    preview
        The register as :func:`planner.intake.register.read_register` read it, with the mapping the import will use.

    Returns
    -------
    AddressPreview
        The rows in register order; rejected rows are left out (the import does not place them).
    """
    good, known, _hashes, rows = rows_to_write(session, [r for r in preview.rows if r.ok])
    unchanged = len(good) - len(rows)
    new = sum(1 for r in rows if str(r.values["case_no"]) not in known)
    hint = register_hint(preview)  # 云霄县…登记表 (planner.places.county_hint)
    located = _locate(rows, _office_gazetteer(session), hint) if rows else []
    # A letter a person placed (校准位置, a candidate chosen) keeps its place unless the coordinator takes the file's
    # (:mod:`planner.intake.app_corrections`): counted where it stays (walk W35: W35-157 said 未定位 and stayed put).
    kept = held_places(session, [str(r.values["case_no"]) for r in rows if str(r.values["case_no"]) in known])
    located = [kept.get(str(r.values["case_no"]), loc) for r, loc in zip(rows, located, strict=True)]
    notes = [str(loc.get("geocode_message") or "") for loc in located] if hint is not None else []
    said = [n for n in notes if hint.where in n]  # every note that names the register's county says where from
    elsewhere = sum(1 for n in said if f"{hint.where}是{hint.county}的" in n)
    checks: list[AddressCheck] = []
    to_check = unplaced = outside = 0
    for r, loc in zip(rows, located, strict=True):
        note = str(loc.get("geocode_message") or "")
        far = is_outside(loc.get("county_code"), note)
        check, none = needs_check(note), str(loc.get("precision") or "none") == "none"
        to_check, unplaced, outside = to_check + check, unplaced + (none and not far), outside + far
        if not (check or none):
            continue
        names = tuple(n for n in (r.petitioner.name,) if n)
        written = written_village(note)
        address = mask_free_text(str(r.values.get("address_text") or ""), names)
        placed = "".join(str(loc.get(k) or "") for k in ("county", "town", "village"))
        checks.append(AddressCheck(
            row=r.row, case_no=str(r.values["case_no"]),
            address=placed if placed and not far and placed_from_content(note) else address,
            village=written.name if written is not None else "",
            outcome=outside_place(address) if far else _outcome(loc, check),
            note=mask_free_text(note, names), written=address,
        ))
    return AddressPreview(checks=tuple(checks), to_check=to_check, unplaced=unplaced, unchanged=unchanged,
                          new=new, changed=len(rows) - new, outside=outside, county_read=len(said) - elsewhere,
                          county_where=f"{hint.where}写的是{hint.county}" if hint is not None else "",
                          county_elsewhere=elsewhere)
