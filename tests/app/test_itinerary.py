"""AppTest of 行程: an officer lands on their own team's day; stop cards with times, deadlines, navigation links and the
lunch break; an outcome recorded from a stop; coordinators choose any plan, team and day; downloads."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from geodata import datum
from planner.field import load_document
from planner.office import security
from planner.office.security import Actor, SessionToken
from planner.store.database import session_scope
from planner.store.models import CaseRow, VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "data" / "plan_zhangzhou.json"
MONDAY = dt.date(2026, 12, 7)
OFFICER_T1 = Actor(username="li", role="officer", team_ids=("T1",), display_name="李干部")
OFFICER_T2 = Actor(username="wang", role="officer", team_ids=("T2",))


@pytest.fixture()
def app(tmp_path, monkeypatch) -> AppTest:
    # An empty SQLite file: no saved plans, so the page works from the plan in session state.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=30)
    at.session_state["plan_doc"] = load_document(PLAN)
    at.session_state["today"] = MONDAY
    return at


def _saved(engine, monkeypatch, *, issued: bool = True) -> int:
    """The fixture plan saved with its cases (as 路线规划 would) and issued (``issued``; officers go by issued plans
    only, a draft is not theirs); DATABASE_URL points at it."""
    from planner.store.lifecycle import PlanStatus, set_plan_status
    from planner.store.plans import save_plan

    doc = load_document(PLAN)
    with session_scope(engine) as s:
        for no, c in doc.cases.items():
            s.add(CaseRow(case_no=no, received_date=dt.date.fromisoformat(c["received_date"]),
                          deadline=dt.date.fromisoformat(c["deadline"]), title=c["summary"], content=c["summary"],
                          category=c["category"], county=c["county"], town=c["town"], village=c["village"],
                          status="planned"))
        s.flush()
        plan_id = save_plan(s, doc, name="平和 12 月第一周", who="boss")
        if issued:
            set_plan_status(s, plan_id, PlanStatus.ISSUED, who="boss")
        for officer in (OFFICER_T1, OFFICER_T2):  # a save re-reads the account (pages.common.live_actor)
            security.create_user(s, officer.username, "Xiafang-2026-pass", role=officer.role,
                                 team_ids=officer.team_ids, display_name=officer.display_name)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    return plan_id


def _officer_app(actor: Actor, today: dt.date) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=30)
    at.session_state["actor"] = actor
    at.session_state["session_token"] = SessionToken.issue(actor)  # signed in, as the login gate leaves it
    at.session_state["today"] = today
    return at


def _texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def _links(at: AppTest) -> list[tuple[str, str]]:
    return [(b.proto.label, b.proto.url) for b in at.get("link_button")]


def test_without_a_plan_the_page_points_to_planning(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'y.db'}")
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=30)
    at.run()
    assert not at.exception
    assert any("路线规划" in i.value for i in at.info)
    assert not at.download_button


def test_the_day_shows_next_stop_cards_break_links_and_downloads(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert app.selectbox(key="it_team").value == "T1"
    assert app.selectbox(key="it_date").value == MONDAY
    texts = _texts(app)
    raw = json.loads(PLAN.read_text(encoding="utf-8"))
    route = next(r for r in raw["routes"] if r["team"] == "T1" and r["date"] == MONDAY.isoformat())
    arrivals = [t for t in texts if t.startswith("**到达 ")]
    assert [a.split()[1] for a in arrivals] == [s["arrive"] for s in route["stops"]]
    assert any(t.startswith("### 下一站：1. 平和县") for t in texts)
    # The lunch break sits between stop 3 and stop 4, as the plan puts it.
    stop3 = next(i for i, t in enumerate(texts) if t.startswith("### 3. "))
    lunch = next(i for i, t in enumerate(texts) if t.startswith("**午休 "))
    # Words, not emoji a PC may lack a font for (walk I: ✅ as a box) nor icon glyphs with English names.
    assert not any(ch in t for t in texts for ch in "☕✅➡") and not any(":material/" in t for t in texts)
    stop4 = next(i for i, t in enumerate(texts) if t.startswith("### 4. "))
    assert stop3 < lunch < stop4
    # One Amap and one Baidu link per stop, each in its own datum.
    links = _links(app)
    visits = {v["id"]: v for v in raw["visits"]}
    amap = [u for label, u in links if label == "高德导航"]
    baidu = [u for label, u in links if label == "百度导航"]
    assert len(amap) == len(baidu) == len(route["stops"])
    for url, stop in zip(amap, route["stops"], strict=True):
        v = visits[stop["visit"]]
        lon, lat = map(float, parse_qs(urlparse(url).query)["to"][0].split(",")[:2])
        assert (lon, lat) == pytest.approx(datum.wgs84_to_gcj02(v["lon"], v["lat"]), abs=2e-6)
    for url, stop in zip(baidu, route["stops"], strict=True):
        v = visits[stop["visit"]]
        lat, lon = map(float, parse_qs(urlparse(url).query)["destination"][0].split("|")[0][7:].split(","))
        assert (lon, lat) == pytest.approx(datum.wgs84_to_bd09(v["lon"], v["lat"]), abs=2e-6)
    assert any("办理期限 2026-12-19（剩 12 天）" in t for t in texts)
    labels = {b.label for b in app.download_button}
    assert {"离线行程（地图和站点，无网络也能打开）", "行程单 PDF", "日历 ICS", "GPX 航点", "KML", "GeoJSON",
            "本日整包 zip（本组当天）"} <= labels
    assert {"Excel 汇总（全部组和日期）", "整包 zip（全部组和日期）"} <= labels
    assert "整包 zip" not in labels, "the day's zip says it is the team's day, not the plan's"
    assert app.session_state["itinerary_team"] == "T1"
    # An unsaved plan: nothing can be recorded against it, and the page says why.
    assert any("未保存的计划" in c.value for c in app.caption)


def test_choosing_another_team_shows_its_day(app: AppTest) -> None:
    app.run()
    app.selectbox(key="it_team").set_value("T2").run()
    assert not app.exception
    places = [t for t in _texts(app) if t.startswith(("### ", "**"))]
    assert any("南靖县靖城镇湖林村" in t for t in places)
    assert any("南靖县龙山镇涌口村" in t for t in places)
    assert app.session_state["itinerary_team"] == "T2"
    assert any("第二检查组" in h.value for h in app.subheader)


def test_days_follow_the_team_today_first(app: AppTest) -> None:
    app.run()
    assert app.selectbox(key="it_date").options == ["今天 2026-12-07（周一）", "明天 2026-12-08（周二）"]
    app.selectbox(key="it_date").set_value(dt.date(2026, 12, 8)).run()
    # A day ahead opens with its first stop, not 下一站 (re-walk H: 下一站 for a day ten days away).
    texts = _texts(app)
    assert any(t.startswith("### 首站：1. 平和县小溪镇西林村") for t in texts)
    assert not any(t.startswith("### 下一站") for t in texts)
    assert any("1. 平和县小溪镇西林村**（首站，见上）" in t for t in texts)


def test_unmask_is_offered_only_to_allowed_roles_and_needs_a_reason(app: AppTest) -> None:
    # An officer's files carry no petitioner details at all: not even the masked contacts are offered.
    app.session_state["actor"] = Actor(username="li", role="officer", team_ids=("T1",))
    app.run()
    assert not app.exception
    assert not [t for t in app.toggle if t.key in ("it_contacts", "it_unmask")]
    assert not any(b.disabled for b in app.download_button)

    app.session_state["actor"] = Actor(username="zhang", role="leader", team_ids=("T1",))
    app.run()
    (box,) = [e for e in app.expander if e.label == "信访人联系方式"]
    assert not box.proto.expanded
    app.toggle(key="it_contacts").set_value(True).run()
    assert not [t for t in app.toggle if t.key == "it_unmask"]  # masked contacts only: no unmask right
    # Walk E: the toggle's rerun closed the box, hiding the choice that comes next in it.
    assert [e.proto.expanded for e in app.expander if e.label == "信访人联系方式"] == [True]

    app.session_state["actor"] = Actor(username="boss", role="admin", can_unmask=True)
    app.run()
    app.toggle(key="it_unmask").set_value(True).run()
    assert any("理由" in w.value for w in app.warning)
    assert all(b.disabled for b in app.download_button)
    app.text_input(key="it_reason").input("核实").run()  # walk C: too short, and the page must say why
    assert any("至少 4 个字，现在只有 2 个字" in w.value for w in app.warning)
    assert all(b.disabled for b in app.download_button)
    app.text_input(key="it_reason").input("联系信访人核实").run()
    assert not app.warning
    assert not any(b.disabled for b in app.download_button)


def test_saved_plan_is_listed_and_loaded(engine, monkeypatch) -> None:
    plan_id = _saved(engine, monkeypatch)
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=30)
    at.session_state["today"] = MONDAY
    at.run()
    assert not at.exception
    assert at.selectbox(key="it_plan").value == plan_id
    assert "平和 12 月第一周" in at.selectbox(key="it_plan").format_func(plan_id)
    assert at.session_state["plan_id"] == plan_id
    assert len([t for t in _texts(at) if t.startswith("**到达 ")]) == 6


def test_unsaved_plan_in_session_stays_selectable(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=30)
    doc = load_document(PLAN)
    at.session_state["plan_doc"] = doc
    at.run()
    assert at.selectbox(key="it_plan").value is None
    assert at.session_state["plan_doc"] is doc


def test_an_officer_lands_on_their_own_teams_day_without_choosing(engine, monkeypatch) -> None:
    plan_id = _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T2, MONDAY)
    at.run()
    assert not at.exception
    assert (at.session_state["plan_id"], at.session_state["itinerary_team"]) == (plan_id, "T2")
    assert at.session_state["itinerary_date"] == MONDAY
    assert not at.selectbox  # no other team, day or plan to choose: no select of one choice (W13)
    assert not at.info  # today has a route: nothing to explain
    # The Sunday before, the next day with a route opens, and the page says so.
    at = _officer_app(OFFICER_T1, MONDAY - dt.timedelta(days=1))
    at.run()
    assert at.session_state["itinerary_date"] == MONDAY
    assert any("本组今天没有行程" in i.value and "明天 2026-12-07" in i.value for i in at.info)


def test_a_day_still_to_come_shows_no_outcome_form(engine, monkeypatch) -> None:
    """The walk typed a whole outcome on a future route day and was refused only at 保存: no form until the day."""
    _saved(engine, monkeypatch)
    monkeypatch.setattr("planner.followup.outcomes.local_today", lambda: MONDAY - dt.timedelta(days=1))
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception
    assert not [b for b in at.button if "it_form_" in str(b.key)]  # no 保存 anywhere
    assert any(f"{MONDAY.isoformat()} 还没到" in c.value for c in at.caption)
    monkeypatch.setattr("planner.followup.outcomes.local_today", lambda: MONDAY)  # on the day the form is there
    at.run()
    assert [b for b in at.button if "it_form_" in str(b.key)]


def _form_widget(at: AppTest, kind: str, field: str, n: int = 0):
    return [w for w in getattr(at, kind) if str(w.key).startswith("xf_") and str(w.key).endswith("_" + field)][n]


def test_an_outcome_recorded_from_the_next_stop_is_saved_against_its_visit(engine, monkeypatch) -> None:
    plan_id = _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    _form_widget(at, "radio", "result").set_value("visited")  # nothing is picked until the officer picks
    _form_widget(at, "number_input", "households").set_value(12)
    _form_widget(at, "number_input", "leads").set_value(3)
    _form_widget(at, "text_area", "findings").input("已入户核实，保证金已退还")
    submit = next(b for b in at.button if "it_form_" in str(b.key))
    submit.click().run()
    assert not at.exception
    with session_scope(engine) as s:
        row = s.scalars(select(VisitOutcomeRow)).one()
        case_no = s.get(CaseRow, row.case_id).case_no
        stored = (row.visit_date, row.team_id, row.plan_id, row.households_visited, row.leads_collected,
                  row.findings, row.recorded_by)
    assert case_no == "ZZ2026-0101"
    assert stored == (MONDAY, "T1", plan_id, 12, 3, "已入户核实，保证金已退还", "li")
    assert any("已保存信访件 ZZ2026-0101 的走访结果" in s.value for s in at.success)
    texts = _texts(at)
    assert any(t.startswith("### 下一站：2. ") for t in texts)  # the next stop moves on
    assert any("已完成 1 · 待走访 5（共 6 站）" in t for t in texts)
    assert any(t.startswith("### 1. ") and t.endswith("（已完成）") for t in texts)


def test_a_postponed_stop_does_not_read_as_done(engine, monkeypatch) -> None:
    """Walk M: after 改期 the stop was titled "2. …（已完成）"."""
    _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    _form_widget(at, "radio", "result").set_value("postponed")
    _form_widget(at, "text_area", "findings").input("村里办丧事，约定下周再来")
    next(b for b in at.button if "it_form_" in str(b.key)).click().run()
    assert not at.exception
    titles = [t for t in _texts(at) if t.startswith("### 1. ")]
    assert titles and titles[0].endswith("（已改期）") and "已完成" not in titles[0]
    # Review: the day's progress line counted the stop put off as 已完成.
    assert any("已完成 0 · 改期 1 · 待走访 5（共 6 站）" in t for t in _texts(at)), _texts(at)


def test_a_refused_save_keeps_what_was_typed(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    _form_widget(at, "radio", "result").set_value("not_found")
    _form_widget(at, "number_input", "leads").set_value(2)
    next(b for b in at.button if "it_form_" in str(b.key)).click().run()
    assert not at.exception
    assert any("原因" in e.value for e in at.error)
    assert any("未保存" in w.value for w in at.warning)
    assert _form_widget(at, "radio", "result").value == "not_found"
    assert _form_widget(at, "number_input", "leads").value == 2
    with session_scope(engine) as s:
        assert s.scalars(select(VisitOutcomeRow)).first() is None


def test_a_forms_draft_id_is_stable_for_its_user_and_differs_between_users(engine, monkeypatch) -> None:
    # The phone keeps a typed draft under the form's id: on a shared phone another officer of the same team must not
    # get it (static/phone.js also forgets every draft on 退出登录).
    _saved(engine, monkeypatch)
    colleague = Actor(username="zhao", role="officer", team_ids=("T1",), display_name="赵干部")
    keys = []
    for actor in (OFFICER_T1, OFFICER_T1, colleague):
        at = _officer_app(actor, MONDAY)
        at.run()
        assert not at.exception
        keys.append(str(_form_widget(at, "text_area", "findings").key))
    assert keys[0] == keys[1] and keys[0] != keys[2]


def test_a_plan_named_by_its_dates_is_not_told_them_twice_and_its_status_is_shown(engine, monkeypatch) -> None:
    """Browser walk: the box read “#1 2026-12-03 起 2 天（2026-12-03 起 2 天，3 个走访点）”, and a draft looked
    like an issued plan to an officer."""
    from planner.store.models import PlanRow

    plan_id = _saved(engine, monkeypatch, issued=False)
    with session_scope(engine) as s:
        row = s.get(PlanRow, plan_id)
        row.name = f"{row.start_date} 起 {row.days} 天"
        dates = row.name
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=30)
    at.session_state["today"] = MONDAY
    at.run()
    label = at.selectbox(key="it_plan").format_func(plan_id)
    assert label.count(dates) == 1, label
    assert "草稿" in label and "个走访点" in label


def test_a_reload_keeps_the_plan_team_and_day_on_screen(engine, monkeypatch) -> None:
    """The re-walk: an officer who chose 12-08 and reloaded was back on today's day. The choice is in the address."""
    plan_id = _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    at.selectbox(key="it_date").set_value(MONDAY + dt.timedelta(days=1)).run()
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert params == {"plan": str(plan_id), "team": "T1", "day": "2026-12-08"}
    again = _officer_app(OFFICER_T1, MONDAY)  # a new session: what a reload is
    for k, v in params.items():
        again.query_params[k] = v
    again.run()
    assert not again.exception
    assert again.session_state["itinerary_date"] == MONDAY + dt.timedelta(days=1)
    assert again.session_state["plan_id"] == plan_id
    # Another team's day in the address opens the officer's own team, never T2's route.
    other = _officer_app(OFFICER_T1, MONDAY)
    other.query_params.update({"plan": str(plan_id), "team": "T2", "day": "2026-12-07"})
    other.run()
    assert other.session_state["itinerary_team"] == "T1"
    assert other.selectbox(key="it_team").options == ["第一检查组"]


def test_an_uploaded_plan_naming_another_teams_case_is_refused(engine, monkeypatch) -> None:
    """Walk H: a leader of T1 put T2's case on a T1 stop of a hand-made plan.json and 行程 showed its details, filled
    in from the database, on the screen and in every download. The upload is refused, as a visits.csv naming such a
    case is on 路线规划."""
    import streamlit as st

    _saved(engine, monkeypatch)  # T2's ZZ2026-0202 is planned for T2
    raw = json.loads(PLAN.read_text(encoding="utf-8"))
    raw["routes"] = [r for r in raw["routes"] if r["team"] == "T1"]
    for v in raw["visits"]:
        if v["id"] == "V01":
            v["case_nos"] = ["ZZ2026-0101", "ZZ2026-0202"]
    raw["cases"].pop("ZZ2026-0202")  # so the page would fill it in from the database
    data = json.dumps(raw, ensure_ascii=False).encode("utf-8")

    class _Upload:
        name, file_id = "plan.json", "crafted"

        def getvalue(self) -> bytes:
            return data

    real = st.file_uploader
    monkeypatch.setattr(st, "file_uploader", lambda label, *a, **k: _Upload() if "plan.json" in label
                        else real(label, *a, **k))
    at = _officer_app(Actor(username="lin", role="leader", team_ids=("T1",)), MONDAY)
    at.run()
    assert not at.exception
    refused = " ".join(e.value for e in at.error)
    # Held by T2's issued plan: refused, naming the plan that holds it (3a7fe29), not as a rights refusal.
    assert "ZZ2026-0202" in refused and "不能规划路线" in refused and "已排入T2的计划 #1" in refused, refused
    shown = " ".join(m.value for m in (*at.markdown, *at.caption, *at.text))
    assert "扶贫项目资金" not in shown and not at.download_button
