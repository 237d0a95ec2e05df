"""Re-walk N4 and N5: the sheets right after 下发 equal the sheets after a reload, and a stop's repeat list is always
the current one.

N4: right after 保存/下发 on 路线规划, 行程 (same browser session) showed "成员：—" and no "位置为估计…" note, and so
did the PDF and Excel downloaded then: the page reused the plan document kept in the session without the enrichment
a reopened plan gets (members from the team's accounts, the estimated-point note). Every source is now enriched by
``planner.field.model.enrich_cases`` where the page shows it.

N5: a stop's list "同一信访人此后又来信：…（重复件，随本件一并办结）" still named a letter that has become its own stop
in the same issued plan: the list saved with the plan survived when the current list (``waits_for``) was empty.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from planner.field import export_plan
from planner.field.day import day_view
from planner.field.model import build_itinerary, enrich_cases
from planner.office import security
from planner.store.cases import field_case_details
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow, PlanRow
from planner.store.plans import load_plan, save_plan
from planner.store.teams import save_team
from tests.office import _seed

ROOT = Path(__file__).resolve().parents[2]
NOTE = ("位置为估计：法华村的位置未入库，点为南胜镇驻地，到镇后按村名问路（乡镇无边界数据，按全县区范围计，"
        "实际地点可能在 24.4 km 内），到达时间仅供参考")
MEMBERS = "王志明、林组长"
FIRST, LATER = "ZZ2026-0104", "ZZ2026-0105"  # T1's stops 3 and 4 on 12-07: one petitioner, two letters


def _issued(engine, *, issue: bool = True):
    """A plan made and issued as on 路线规划: T1 has no member list (its people are accounts), stop 3 stands at a
    town seat 24.4 km off, and stop 3's letter had a later letter of the same petitioner waiting for it when the
    plan was made (saved in the plan as its repeat list) — that letter is stop 4 of the same day.

    Returns the plan document as the planning page keeps it in the session, and the plan id."""
    _seed.seed(engine, issued=False)  # the plan issued here is this test's own
    doc = _seed.plan_doc()
    t1 = dataclasses.replace(doc.teams["T1"], members=())
    with session_scope(engine) as s:
        save_team(s, t1)
        security.create_user(s, "ganbu1", _seed.PASSWORD, role="officer", team_ids=["T1"], display_name="王志明")
        security.create_user(s, "zuzhang1", _seed.PASSWORD, role="leader", team_ids=["T1"], display_name="林组长")
        key = s.scalar(select(CaseRow.petitioner_key).where(CaseRow.case_no == FIRST))
        # LATER writes again about FIRST's matter (one writer's letters are one chain only when one matter).
        again = "再次反映：" + s.scalar(select(CaseRow.content).where(CaseRow.case_no == FIRST))
        s.execute(update(CaseRow).where(CaseRow.case_no == LATER).values(petitioner_key=key, content=again))
        s.execute(update(CaseRow).where(CaseRow.case_no == FIRST).values(point_source="town_seat", precision_km=24.4))
        s.flush()
        made = field_case_details(s, [FIRST])[FIRST]  # when the plan was made, LATER was still waiting
        assert made["repeats"] == LATER
        doc = dataclasses.replace(doc, teams={**doc.teams, "T1": t1},
                                  cases={**doc.cases, FIRST: {**doc.cases[FIRST], "repeats": made["repeats"]}})
        # The seed's plan of the same letters is finished first: a letter is on one unfinished plan at a time.
        s.execute(update(PlanRow).values(status="done"))
        pid = save_plan(s, doc, name="下发后立即查看", who="zuzhang1")
    if issue:
        with session_scope(engine) as s:
            set_plan_status(s, pid, PlanStatus.ISSUED, who="zuzhang1")
    return doc, pid


def _pdf(data: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\n", "")


def _xlsx(data: bytes) -> str:
    return " ".join(str(c.value) for ws in load_workbook(io.BytesIO(data)).worksheets
                    for r in ws.iter_rows() for c in r if c.value is not None)


def test_the_document_kept_after_issuing_gives_the_sheets_of_a_fresh_load(engine) -> None:
    kept, pid = _issued(engine)
    with session_scope(engine) as s:
        now = enrich_cases(kept, s)  # what 行程 shows right after 下发
        fresh = enrich_cases(load_plan(s, pid), s)  # what it shows after a reload
    assert now.teams["T1"].members == fresh.teams["T1"].members
    assert now.cases == fresh.cases
    for doc in (now, fresh):
        it = build_itinerary(doc, "T1", _seed.DAY)
        assert it.members_text() == MEMBERS
        assert [c.estimate for c in day_view(it).stops] == ["", "", NOTE, "", "", ""]
    # The page's downloads (no contacts: no session) of the document it shows.
    files = {fmt: [export_plan(doc, fmt, team_id="T1", date=_seed.DAY) for doc in (now, fresh)]
             for fmt in ("pdf", "xlsx")}
    pdf_now, pdf_fresh = (_pdf(d) for d in files["pdf"])
    assert pdf_now == pdf_fresh and MEMBERS in pdf_now and "24.4 km" in pdf_now and "成员 —" not in pdf_now
    xlsx_now, xlsx_fresh = (_xlsx(d) for d in files["xlsx"])
    assert xlsx_now == xlsx_fresh and f"成员：{MEMBERS}" in xlsx_now and NOTE in xlsx_now


def _page(monkeypatch, engine) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=60)
    at.session_state["actor"] = _seed.ACCOUNTS["coordinator"]
    at.session_state["today"] = _seed.DAY
    return at


def _screen(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


def test_the_itinerary_page_right_after_issuing_equals_the_page_after_a_reload(engine, monkeypatch) -> None:
    kept, pid = _issued(engine)
    # Right after 下发 on 路线规划: the plan document and its id are in the session; 行程 is opened from the sidebar.
    now = _page(monkeypatch, engine)
    now.session_state["plan_doc"] = kept
    now.session_state["plan_id"] = pid
    now.run()
    assert not now.exception
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in now.query_params.items()}
    assert params == {"plan": str(pid), "team": "T1", "day": _seed.DAY.isoformat()}
    # A reload: a new session that opens the plan from the address.
    again = _page(monkeypatch, engine)
    again.query_params.update(params)
    again.run()
    assert not again.exception
    screen = _screen(now)
    assert screen == _screen(again)
    assert any(f"成员：{MEMBERS}" in t for t in screen) and not any("成员：—" in t for t in screen)
    assert sum(NOTE in t for t in screen) == 1
    assert not any("重复件" in t for t in screen)
    # The session keeps the plan as saved (路线规划 may re-plan and re-save it): only the view is enriched.
    assert now.session_state["plan_doc"].teams["T1"].members == ()


@pytest.mark.parametrize("issue", [False, True])
def test_the_repeat_list_is_the_current_one(engine, issue: bool) -> None:
    """Before 下发 the later letter waits for the first (已选件) and is listed; once issued as its own stop it no
    longer waits, and the list saved with the plan is cleared on every sheet."""
    kept, pid = _issued(engine, issue=issue)
    with session_scope(engine) as s:
        docs = [enrich_cases(kept, s), enrich_cases(load_plan(s, pid), s)]
        pdf = _pdf(export_plan(load_plan(s, pid), "pdf", team_id="T1", date=_seed.DAY, session=s))
    for doc in docs:
        cards = {c.case_no: c for stop in day_view(build_itinerary(doc, "T1", _seed.DAY)).stops for c in stop.cases}
        if issue:
            assert "repeats" not in doc.cases[FIRST] and not cards[FIRST].repeats
        else:
            assert doc.cases[FIRST]["repeats"] == LATER and LATER in cards[FIRST].repeats
    assert ("同一信访人此后又来信" in pdf) is not issue
