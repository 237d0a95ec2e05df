"""A letter whose address fits several places placed at the one a person picks among them (walk W25).

白石村 is a village of five towns: the resolver names the five (``Resolution.candidates``) and places the letter
nowhere. 案件地图 offers those candidates (:func:`place_candidates`, read again from the letter's address, or its
content when the address is empty, with the office gazetteer); :func:`choose_place` gives the letter the chosen
place's county, town, village, point and precision as if the address had named it (``云霄县火田镇白石村``), and a place
note saying who chose it among which candidates. The point stays what the resolver made of the chosen place, with its
source and bound (火田镇的大致位置, ``town_seat``, 34.3 km): an estimate is drawn, listed and put on the field sheets as
one. Only a point clicked or typed by hand (校准位置) is ``case_corrected``. The choice itself is the person's
(:func:`held_by_hand`, told by the note): a re-location after a gazetteer import reads the chosen place again, never
the address (:func:`chosen_again`: a village calibrated since gives its own point), a register imported again keeps
it unless the coordinator takes the file's value (:mod:`planner.intake.app_corrections`), and the place counts as
checked (:mod:`planner.store.place_checks`).

:func:`written_addresses`: the addresses as written (identities masked), for the lists of letters the resolver could
not place (查看信访件 found 白石村 only by its case number); :func:`address_beside`: the address as written to name
beside a place shown that is not that address (walk W29: 白石村 in a 南靖县 register placed at 南靖县's seat);
:func:`to_check_text`: the list's 位置 of a letter 待核对, its reason and what its address wrote; and
:func:`register_county_first`: the candidates within the county the register was read as first, marked 登记表的区县,
the others marked 其他区县 (:mod:`planner.places.county_hint`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from planner.domain import PetitionCase
from planner.errors import ConflictError, InputError
from planner.office import audit

#: How a chosen place's note begins: the detail of 案件地图 shows such a note (:func:`is_choice_note`).
CHOICE_WORDS = "从候选地点中选定"
#: A candidate as the resolver writes it: ``云霄县火田镇白石村(350622105221)``.
_CANDIDATE = re.compile(r"^(?P<name>.+?)\((?P<code>\d{6,12})\)$")
#: The part of a chosen place's note that says who chose which place among which (:func:`choose_place`).
_CHOSEN = re.compile(rf"^.*?{CHOICE_WORDS}(?P<name>.+?)（地址所写地名对应[^）]*）")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place an address may mean: its full name and its code (village, town or county)."""

    name: str
    code: str

    @property
    def text(self) -> str:
        """As the resolver lists it: ``云霄县火田镇白石村(350622105221)``."""
        return f"{self.name}({self.code})"


def _candidates(texts: Iterable[str]) -> tuple[Candidate, ...]:
    out = []
    for t in texts:
        m = _CANDIDATE.match(str(t).strip())
        if m:
            out.append(Candidate(m["name"], m["code"]))
    return tuple(dict.fromkeys(out))


def place_candidates(address: str, content: str = "", gazetteer: object = None) -> tuple[Candidate, ...]:
    """The places the letter's address fits, as the resolver lists them (empty when it names one place or none).

    An empty address is read from the content, as the import reads it
    (``地址栏为空，已查反映内容：其中的地名不能确定``).
    """
    from planner.places import resolver

    text = str(address or "").strip()
    if not text:
        text = re.sub(r"\s+", "", str(content or ""))
        if not text:
            return ()
    res = resolver.resolve(text, gazetteer)
    return _candidates(res.candidates) if res.ambiguous else ()


def is_choice_note(note: str | None) -> bool:
    """Whether a place note is that of a place chosen among candidates (:func:`choose_place`)."""
    return CHOICE_WORDS in (note or "")


def held_by_hand(point_source: str | None, note: str | None) -> bool:
    """Whether a person placed this letter: its point set by hand (校准位置, ``case_corrected``) or its place chosen
    among the candidates (the note says so, :func:`is_choice_note`; the point stays the resolver's, often an estimate).
    A re-import keeps such a place, and it no longer waits for a check."""
    return point_source == "case_corrected" or is_choice_note(note)


def _codes(res: object) -> set[str]:
    return {c for c in (getattr(res, k, "") for k in ("village_code", "town_code", "county_code", "unit_code")) if c}


def _place_fields(res: object, note: str) -> dict[str, object]:
    """The case fields of the chosen place as resolved (its point, source and bound as the resolver gives them)."""
    if getattr(res, "message", ""):
        note += f"；{res.message}"
    return {"county": res.county, "county_code": res.county_code, "town": res.town, "town_code": res.town_code,
            "village": res.village, "village_code": res.village_code, "lon": res.lon, "lat": res.lat,
            "precision": res.precision, "precision_km": res.precision_km,
            "point_source": res.coord_source if res.lon is not None else "", "geocode_message": note}


def chosen_again(row: object, gazetteer: object = None) -> dict[str, object] | None:
    """The place fields of a letter whose place was chosen among candidates (a ``CaseRow``), the chosen place read
    again with ``gazetteer``, as at a re-location: a village calibrated or imported since gives its own point. None
    when the letter's place was not chosen, or the chosen place no longer reads as that one place (it stays)."""
    from planner.places import resolver

    if getattr(row, "point_source", "") == "case_corrected":
        return None
    m = _CHOSEN.match(str(getattr(row, "geocode_message", "") or ""))
    if m is None:
        return None
    res = resolver.resolve(m["name"], gazetteer)
    code = getattr(row, "village_code", "") or getattr(row, "town_code", "") or getattr(row, "county_code", "")
    if res.ambiguous or res.lon is None or code not in _codes(res):
        return None
    return _place_fields(res, m.group(0))


def choose_place(session: Session, actor: object, case_no: str, candidate: str, *, gazetteer: object = None,
                 expected_version: int | None = None, who_label: str = "") -> dict:
    """Place case ``case_no`` at ``candidate``, one of the places its address fits (:func:`place_candidates`).

    Parameters
    ----------
    session
        Open session; the caller commits.
    actor
        Who chooses (must be allowed to plan).
    case_no
        The letter.
    candidate
        The chosen place as the resolver lists it (``云霄县火田镇白石村(350622105221)``) or its code.
    gazetteer
        The office gazetteer: its points for the place win over the built-in ones, as at an import.
    expected_version
        The version of the letter the choice was offered at: a letter changed since is refused (walk W20).
    who_label
        How the place note names the chooser; when empty, as pages name the account (林协调（lin）).

    Returns
    -------
    dict
        ``{"place", "lon", "lat", "precision_km", "point_source", "candidates"}``.

    Raises
    ------
    InputError
        When ``candidate`` is not one of the places the letter's address fits (now).
    ConflictError
        When the letter changed since ``expected_version``.
    PermissionDenied
        When the actor may not plan.
    """
    from planner.office.security import require
    from planner.places import resolver
    from planner.store.cases import get_case_row
    from planner.store.models import CaseHistory

    require(actor, "plan")
    row = get_case_row(session, case_no)
    if expected_version is not None and row.version != expected_version:
        where = "".join(p for p in (row.county, row.town, row.village) if p) or "未定位"
        raise ConflictError(f"信访件 {case_no} 已由他人修改（地点现为 {where}；版本 {row.version}，你看到的是版本 "
                            f"{expected_version}）。你的选择没有保存：请刷新后再选")
    offered = place_candidates(row.address_text or "", row.content or "", gazetteer)
    wanted = str(candidate or "").strip()
    chosen = next((c for c in offered if wanted in (c.text, c.code, c.name)), None)
    if chosen is None:
        listed = "、".join(c.name for c in offered) or "无"
        raise InputError(f"“{wanted}”不是信访件 {case_no} 的地址所对应的候选地点（现有候选：{listed}）")
    res = resolver.resolve(chosen.name, gazetteer)
    if res.ambiguous or chosen.code not in _codes(res) or res.lon is None:
        raise InputError(f"候选地点“{chosen.name}”无法按地名定位，请在地图上点击或输入坐标校准")
    who = getattr(actor, "username", None) or str(actor)
    shown = str(getattr(actor, "display_name", "") or "")
    who_label = who_label or (f"{shown}（{who}）" if shown and shown != who else who)  # as pages name accounts
    others = [c.name for c in offered]
    # The address itself is not quoted: the note is shown where identities in the letter's words must not be.
    # The point is the resolver's, with its source and bound: a town seat standing for the village stays an estimate
    # (drawn ≈, its times only a guide on the field sheets), not a point a person set (walk W25, FB2).
    fresh = _place_fields(res, f"{who_label}{CHOICE_WORDS}{chosen.name}（地址所写地名对应{len(offered)}处："
                               f"{'、'.join(others)}）")
    changed = {k: {"old": getattr(row, k), "new": v} for k, v in fresh.items()
               if k != "geocode_message" and getattr(row, k) != v}
    session.add(CaseHistory(case_id=row.id, who=who, action="relocate",
                            detail={"from": [row.lon, row.lat, row.point_source],
                                    "to": [res.lon, res.lat, fresh["point_source"]], "chosen": chosen.text,
                                    "note": f"{CHOICE_WORDS}{chosen.name}（候选：{'、'.join(others)}）",
                                    "changed": changed}))
    for k, v in fresh.items():
        setattr(row, k, v)
    audit.record(session, actor, "place_correct", case_nos=[case_no], reason=f"案件地图：{CHOICE_WORDS}{chosen.name}",
                 detail={"chosen": chosen.text, "candidates": [c.text for c in offered],
                         "lon": round(float(res.lon), 6), "lat": round(float(res.lat), 6),
                         "precision_km": res.precision_km, "cases_moved": 1})
    session.flush()
    return {"place": chosen.name, "lon": res.lon, "lat": res.lat, "precision_km": res.precision_km,
            "point_source": fresh["point_source"], "candidates": others}


def written_addresses(session: Session, cases: Sequence[PetitionCase]) -> dict[str, str]:
    """``{case_no: address}`` as the register wrote it, for letters with an address: ID numbers, phones and the
    letter's own petitioner names masked (:func:`planner.office.privacy.field_text`), whitespace run together."""
    from planner.domain import NO_NAME_WORDS
    from planner.office.privacy import field_text
    from planner.store.cases import petitioner_names

    wanted = [c for c in cases if (c.address_text or "").strip()]
    names: dict[str, tuple[str, ...]] = {}
    nos = list(dict.fromkeys(c.case_no for c in wanted))
    for k in range(0, len(nos), 500):
        names.update(petitioner_names(session, nos[k:k + 500]))
    return {c.case_no: re.sub(r"\s+", " ", field_text(c.address_text, [n for n in names.get(c.case_no, ())
                                                                 if n not in NO_NAME_WORDS])).strip()
            for c in wanted}


#: What a written address may begin with that no place name shown repeats (福建省漳州市南靖县… is 南靖县…).
_PROVINCE_CITY = re.compile(r"^(?:福建省?)?(?:漳州市)?")


def address_beside(place: str, address: str, *, settled: bool) -> str:
    """The address as written (``address``, already masked) to show beside ``place``, the place a list shows for the
    letter, or ``""`` when the place shown is the written address itself.

    ``settled`` says the letter is placed at its village as its address names it (nothing to check): its address is
    not repeated. Otherwise (placed at a county or town only, 待核对, read from the content or another way, no point)
    the address is shown unless the place already says it all (``书洋镇`` beside ``南靖县书洋镇``), so a letter is found
    by the words it wrote (walk W29: 白石村 in a 南靖县 register read only 南靖县).
    """
    written = re.sub(r"\s+", "", str(address or ""))
    if not written or settled:
        return ""
    core = _PROVINCE_CITY.sub("", written) or written
    return "" if core in re.sub(r"\s+", "", str(place or "")) else re.sub(r"\s+", " ", str(address)).strip()


#: How long a written address may run in a list's cell before it is cut (``…``).
WRITTEN_MOST = 16


def to_check_text(reason: str, address: str, *, most: int = WRITTEN_MOST) -> str:
    """The list's 位置 of a letter 待核对: the reason in short, then what its address wrote (``address``, already
    masked: :func:`written_addresses`), so the row says what to check without opening the letter —
    ``待核对：村表无此村（登记表写：南靖县书洋镇后江村）``; cut to ``most`` characters (``…``). Plain text: a table
    cell shows it as it is."""
    written = re.sub(r"\s+", " ", str(address or "")).strip()
    core = _PROVINCE_CITY.sub("", written).strip() or written  # 福建省漳州市 is every letter's: the cell's room kept
    if len(core) > most:
        core = core[:most] + "…"
    return f"待核对：{reason}" + (f"（登记表写：{core}）" if core else "")


#: How a candidate within the register's county, and one of another county, are marked (:func:`register_county_first`).
OWN_COUNTY, OTHER_COUNTY = "登记表的区县", "其他区县"


def register_county_first(choices: Sequence[Candidate], note: str | None) -> tuple[tuple[Candidate, ...],
                                                                                   dict[str, str], str]:
    """The candidates of a letter whose register was read as one county (its place note carries the hint:
    :func:`planner.places.county_hint.hint_from_note`) with those within that county first, each marked
    ``云霄县火田镇白石村（登记表的区县）`` or ``平和县安厚镇白石村（其他区县）``:
    ``(candidates, text -> label, words)``, ``words`` saying which county the register was read as (``""`` and the
    candidates as they were without a hint).
    The others stay on offer: the register's county is a guess from its name, not what the address wrote."""
    from planner.places.county_hint import hint_from_note

    hint = hint_from_note(note or "")
    if hint is None or not choices:
        return tuple(choices), {c.text: c.name for c in choices}, ""

    def own(c: Candidate) -> bool:
        return c.code.startswith(hint.county_code) or c.name.startswith(hint.county)

    ordered = tuple(sorted(choices, key=lambda c: not own(c)))  # stable: the resolver's order within each part
    labels = {c.text: f"{c.name}（{OWN_COUNTY if own(c) else OTHER_COUNTY}）" for c in ordered}
    mine = sum(own(c) for c in ordered)
    first = (f"{hint.county}的 {mine} 处排在前面，其他区县的仍可选。" if mine
             else f"候选中没有{hint.county}的地点，均为其他区县。")
    words = f"按{hint.where}，本件登记表的区县为{hint.county}：{first}"
    return ordered, labels, words


__all__ = ["CHOICE_WORDS", "OTHER_COUNTY", "OWN_COUNTY", "WRITTEN_MOST", "Candidate", "address_beside",
           "choose_place", "chosen_again", "held_by_hand", "is_choice_note", "place_candidates",
           "register_county_first", "to_check_text", "written_addresses"]
