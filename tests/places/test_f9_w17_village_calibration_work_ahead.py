"""Walk W17 (6): zz4 calibrated 澳角村 for the whole village; the village's open letters moved, but a letter 已化解 with
a 回访 due stayed at the old town-seat estimate — two points for one village on the officers' map, and the 回访 routed
to the old one. A settled letter with a 回访 / follow-up or a 整改 item still to do now moves with its village; one with
nothing left to do keeps its point (it is history)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.intake import register as intake
from planner.office.security import Actor
from planner.store.models import CaseRow, FollowUpRow, RectificationRow
from planner.store.places import correct_point, has_work_ahead

TODAY = dt.date(2026, 11, 26)
HEADER = "编号,收件日期,办理期限,来源,问题类别,信访人,反映内容,被反映人,地址,办理状态\n"
VILLAGE = "350628101210"  # 平和县山格镇土田村
LETTERS = ("OPEN", "REVISIT", "FIXING", "DONE", "REVISITED")


def _register() -> bytes:
    row = ",2026-11-02,2026-12-31,来信,惠农补贴,匿名,村干部克扣补贴款。,林某,平和县山格镇土田村,待办\n"
    return "".join([HEADER] + [no + row for no in LETTERS]).encode("utf-8")


def test_settled_letters_with_work_ahead_move_with_their_village(session):
    intake.import_register(session, _register(), filename="r.csv", today=TODAY)
    session.commit()
    rows = {r.case_no: r for r in session.scalars(select(CaseRow))}
    old = (rows["OPEN"].lon, rows["OPEN"].lat)
    for no in ("REVISIT", "FIXING", "DONE", "REVISITED"):
        rows[no].status = "resolved"
    session.add(FollowUpRow(case_id=rows["REVISIT"].id, kind="return_visit", due_date=dt.date(2027, 1, 6)))
    session.add(RectificationRow(case_id=rows["FIXING"].id, item="补发补贴", due_date=dt.date(2027, 1, 6)))
    session.add(FollowUpRow(case_id=rows["REVISITED"].id, kind="return_visit", due_date=dt.date(2026, 11, 20),
                            done=True, done_date=dt.date(2026, 11, 20)))
    session.commit()

    done = correct_point(session, Actor("zz4", "leader"), lon=117.41, lat=24.38, village_code=VILLAGE)
    session.commit()
    assert done["cases_moved"] == 3
    rows = {r.case_no: r for r in session.scalars(select(CaseRow))}
    for no in ("OPEN", "REVISIT", "FIXING"):
        assert (round(rows[no].lon, 3), round(rows[no].lat, 3)) == (117.41, 24.38), no
        assert rows[no].point_source == "corrected", no
    for no in ("DONE", "REVISITED"):  # nothing ahead: where it was handled stays on record
        assert (rows[no].lon, rows[no].lat) == old, no
    # 案件地图 offers 校准位置 on the first two as on an open letter.
    assert has_work_ahead(session, "REVISIT") and has_work_ahead(session, "FIXING")
    assert not has_work_ahead(session, "DONE") and not has_work_ahead(session, "REVISITED")
