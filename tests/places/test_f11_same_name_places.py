"""Walk W18: an address of a village name alone that several towns have said 村名“下寮村”在2处重名，请补充乡镇或县区
and left the clerk to find which towns: the note names each (county and town), as the candidates are."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.intake.register import import_register
from planner.places.resolver import resolve
from planner.store.database import session_scope
from planner.store.models import CaseRow


def test_the_note_names_both_towns_of_xialiao() -> None:
    r = resolve("下寮村")
    assert r.ambiguous and r.lon is None
    assert "漳浦县六鳌镇" in r.message and "诏安县桥东镇" in r.message
    assert r.message.startswith("村名“下寮村”在2处重名：") and r.message.endswith("请补充乡镇或县区")


@pytest.mark.parametrize("name", ["桥头村", "东山村", "新村", "下寮"])
def test_every_candidate_is_named_in_the_note(name: str) -> None:
    r = resolve(name)
    assert len(r.candidates) > 1
    listed = r.message.split("：", 1)[1].split("，")[0].split("、")
    assert len(listed) == len(r.candidates)
    for cand, words in zip(r.candidates, listed, strict=True):
        place = cand.split("(")[0]
        assert place.startswith(words) or place == words  # county + town, and the village when not as written
    if name == "新村":  # 新村 is 新村村 in one town and 新村社区 in another: the village is named too
        assert "华安县华丰镇新村社区" in r.message and "南靖县金山镇新村村" in r.message


def test_an_imported_letter_keeps_the_named_towns(engine) -> None:
    data = ("编号,收信日期,地址,反映内容\n"
            "E-001,2026-11-20,下寮村,反映村干部违规收取宅基地审批好处费\n").encode()
    import_register(engine, data, filename="模糊地址.csv", today=dt.date(2026, 12, 1))
    with session_scope(engine) as s:
        note = s.scalars(select(CaseRow.geocode_message).where(CaseRow.case_no == "E-001")).one()
    assert "漳浦县六鳌镇" in note and "诏安县桥东镇" in note
