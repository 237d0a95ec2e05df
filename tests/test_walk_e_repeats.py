"""Walk E: a petitioner's repeat letters (重复件) on the officer's day sheet — every later letter of a chain points to
the chain's first letter, the one the officer handles and records."""

from __future__ import annotations

import io

import openpyxl

from planner.field import build_itinerary
from planner.field.day import day_view
from planner.intake.register import import_register
from planner.store.cases import field_case_details, load_cases
from planner.store.database import session_scope
from planner.store.teams import ensure_default_teams
from tests.export.test_confidential import plan_letters


def _register(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    # One 问题类别 for the chain, as the walk's register had it: read from the words alone, 山林权属纠纷 is 土地纠纷 and
    # 山林被砍伐 林业, and the one stop of the chain would need a team with both skills.
    ws.append(["编号", "收件日期", "信访人", "联系电话", "身份证号", "问题发生地", "反映内容", "备注", "问题类别"])
    for row in rows:
        ws.append([*row, "林业"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_ID = "350628195206103411"
#: 张阿福's four letters of walk E (the third one without an ID number, as the register had it).
ZHANG = (
    ("ZZXF-2026-0046", "2026-08-03", "张阿福", "13850655678", _ID, "平和县南胜镇法华村",
     "我家与邻村的山林权属纠纷多年没有解决，镇里调解偏向对方，因为对方是村书记的亲戚。", ""),
    ("ZZXF-2026-0047", "2026-09-04", "张阿福", "13850655678", _ID, "平和县南胜镇法华村",
     "再次反映法华村山林纠纷，原村书记已经被处分了，但是山还是被占着，我要求重新勘界。", "重复件"),
    ("ZZXF-2026-0049", "2026-11-04", "张阿福", "13850655678", _ID, "平和县南胜镇法华村",
     "第四次写信，南胜镇法华村我家的山林被人强行砍伐，镇里不管，要求处理。", "重复件"),
)


def _stop_cards(engine, rows, nos):
    import_register(engine, _register(rows), filename="重复件.xlsx", who="test")
    with session_scope(engine) as s:
        cases = [c for c in load_cases(s) if c.case_no in nos]
        teams = ensure_default_teams(s)
        details = field_case_details(s, [c.case_no for c in cases])
    doc = plan_letters(cases, teams, details)
    route = next(r for r in doc.plan.routes if any(nos[0] in doc.visits[st.visit_id].case_nos for st in r.stops))
    it = build_itinerary(doc, route.team_id, route.date)
    return it, [s for s in day_view(it).stops if any(c.case_no == nos[0] for c in s.cases)]


def test_every_repeat_at_a_stop_points_to_the_first_letter_of_its_chain(engine):
    """Walk E: 0049's card said 随 ZZXF-2026-0047 一并办理, while 0047 itself said 随 0046."""
    nos = [r[0] for r in ZHANG]
    it, (stop,) = _stop_cards(engine, ZHANG, nos)
    cards = {c.case_no: c for c in stop.cases}
    assert set(cards) == set(nos)
    first, second, fourth = nos
    assert cards[first].repeat_of == ""
    assert cards[second].repeat_of == first and cards[fourth].repeat_of == first
    assert f"随 {first} 一并办理" in cards[fourth].settled_text()
    assert second not in cards[fourth].settled_text()
    # Recording the first letter handles the whole chain at the stop.
    (done,) = [s for s in day_view(it, recorded={first}).stops if s.seq == stop.seq]
    assert done.done


def test_a_repeat_handled_with_the_first_letter_does_not_list_the_later_ones_as_its_own(engine):
    """Walk E: 0047's card said 同一信访人此后又来信：0049（随本件一并办结） and 随 0046 一并办理 of itself."""
    nos = [r[0] for r in ZHANG]
    _it, (stop,) = _stop_cards(engine, ZHANG, nos)
    cards = {c.case_no: c for c in stop.cases}
    first, second, fourth = nos
    assert second in cards[first].repeats and fourth in cards[first].repeats
    assert cards[second].repeats == "" and cards[fourth].repeats == ""
