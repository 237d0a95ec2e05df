"""A petitioner who asked for confidentiality (备注: 保密, or the letter's own words) is flagged on every field sheet
the officers carry — the phone day, PDF, Excel, calendar and offline map — and only on that case."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from planner.field import build_itinerary, render
from planner.field.day import day_view
from planner.field.model import CONFIDENTIAL_WARNING, enrich_cases
from planner.intake.register import import_register
from planner.office.privacy import confidentiality_request
from planner.routing.report import plan_document
from planner.routing.travel import OfflineTravelModel
from planner.selection.ranking import build_visits, rank_cases
from planner.store.cases import field_case_details, load_cases
from planner.store.database import session_scope
from planner.store.teams import ensure_default_teams
from tests.export.test_privacy import _texts

START = dt.date(2026, 12, 7)


@pytest.mark.parametrize(("extra", "content", "flagged"), [
    ({"备注": "保密"}, "", True),
    ({"备注": "重复件；举报人要求保密"}, "", True),
    ({"是否保密": "是"}, "", True),
    ({"是否保密": "否"}, "", False),
    ({"备注": "不需保密"}, "", False),
    ({"备注": "涉及保密单位的工程"}, "", False),
    ({"备注": "重复件"}, "", False),
    ({}, "村书记克扣补贴，请组织上为我保密。", True),
    ({}, "不要透露举报人的身份，怕被报复", True),
    ({}, "村里把保密工作经费拿去吃喝", False),
])
def test_what_counts_as_a_request_for_confidentiality(extra, content, flagged):
    why = confidentiality_request(extra, content)
    assert bool(why) is flagged, why
    if flagged:  # the words never quote the cell or the letter (they may hold a name)
        assert content[:6] not in why or not content


def _register() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "信访人", "联系电话", "问题发生地", "反映内容", "备注"])
    ws.append(["BM-1", "2026-11-02", "林秀英", "13905961234", "平和县小溪镇", "小溪镇某村干部克扣低保金", "保密"])
    ws.append(["BM-2", "2026-11-03", "陈阿水", "13905965678", "平和县山格镇", "山格镇某村收取砍伐保证金", "重复件"])
    ws.append(["BM-3", "2026-11-04", "王建国", "13905960000", "平和县坂仔镇",
               "坂仔镇某村挪用修路款，请为我保密。", ""])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def plan_letters(cases, teams, details, *, limit: float = 1.0):
    """选件 then 路线规划 on these letters, as the pages do: ranked, built into visits, planned over two days."""
    build = build_visits(rank_cases(cases, today=START), today=START, teams=teams)
    return plan_document(build.visits, teams, start_date=START, days=2, time_limit_s=limit,
                         travel=OfflineTravelModel(), cases=details)


def test_field_sheets_warn_for_the_confidential_letters_only(engine):
    import_register(engine, _register(), filename="保密.xlsx", who="test")
    with session_scope(engine) as s:
        cases = load_cases(s)
        teams = ensure_default_teams(s)
        details = field_case_details(s, [c.case_no for c in cases])
    assert {no for no, d in details.items() if d.get("confidential")} == {"BM-1", "BM-3"}
    doc = plan_letters(cases, teams, details, limit=2.0)
    seen = set()
    for route in doc.plan.routes:
        it = build_itinerary(doc, route.team_id, route.date)
        on_day = {c.case_no: c for s in it.stops for c in s.cases}
        seen |= set(on_day)
        flagged = {no for no, c in on_day.items() if c.confidential}
        assert flagged == {"BM-1", "BM-3"} & set(on_day)
        cards = {c.case_no: c for s in day_view(it).stops for c in s.cases}
        assert all((CONFIDENTIAL_WARNING in c.confidential) == (no in flagged) for no, c in cards.items())
        for fmt, name in (("pdf", "day.pdf"), ("xlsx", "day.xlsx"), ("html", "day.html"), ("ics", "day.ics")):
            text = _texts(name, render(fmt, it)).replace("\n", "").replace(" ", "").replace("\r", "")
            assert ("信访人要求保密" in text) == bool(flagged), (fmt, text[:300])
            for secret in ("林秀英", "13905961234", "王建国"):
                assert secret not in text, (fmt, secret)
    assert seen == {"BM-1", "BM-2", "BM-3"}, doc.plan.unassigned


def test_a_plan_saved_before_the_flag_warns_once_reopened(engine):
    """Case details stored in an older plan lack the flag: reopening the plan reads it from the register."""
    import_register(engine, _register(), filename="保密.xlsx", who="test")
    with session_scope(engine) as s:
        cases = load_cases(s)
        teams = ensure_default_teams(s)
        details = {no: {k: v for k, v in d.items() if k != "confidential"}
                   for no, d in field_case_details(s, [c.case_no for c in cases]).items()}
        doc = plan_letters(cases, teams, details)
        assert not any(d.get("confidential") for d in doc.cases.values())
        again = enrich_cases(doc, s)
    assert {no for no, d in again.cases.items() if d.get("confidential")} == {"BM-1", "BM-3"}


def test_masked_contacts_leave_out_the_petitioners_who_asked_for_confidentiality(engine):
    """A leader attaching masked contacts gets none for a 保密 letter; an officer may attach none at all."""
    from planner.errors import PermissionDenied
    from planner.field import export_plan
    from planner.office.security import Actor

    import_register(engine, _register(), filename="保密.xlsx", who="test")
    with session_scope(engine) as s:
        cases = load_cases(s)
        teams = ensure_default_teams(s)
        details = field_case_details(s, [c.case_no for c in cases])
        doc = plan_letters(cases, teams, details)
        leader = Actor("zz", "leader", tuple(t.team_id for t in teams))
        text = _texts("p.xlsx", export_plan(doc, "xlsx", actor=leader, session=s, contacts=True))
        officer = Actor("gb", "officer", (doc.plan.routes[0].team_id,))
        with pytest.raises(PermissionDenied, match="无权在行程单中附信访人联系方式"):
            export_plan(doc, "xlsx", actor=officer, session=s, contacts=True)
    assert "陈*" in text and "139****5678" in text  # BM-2: no confidentiality asked, masked contact attached
    assert "林*" not in text and "139****1234" not in text  # BM-1 (备注 保密)
    assert "王*" not in text and "139****0000" not in text  # BM-3 (the letter asks)
