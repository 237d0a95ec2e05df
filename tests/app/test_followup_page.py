"""AppTest of 回访跟踪: find any case, record or correct its visit; feedback, clarification, rectification, 回访, 文书.

Widget keys carry the case number and the record id (``fu_PH-01_new_households``, ``fu_PH-01_7_households``), so
a form only ever shows and saves the record it belongs to.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import (
    CaseRow,
    ClarificationRow,
    FeedbackRow,
    FollowUpRow,
    PlanCase,
    PlanRow,
    RectificationRow,
    VisitOutcomeRow,
)

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
COORDINATOR = Actor(username="zhou", role="coordinator")


def _case(no: str, status: str, **kw) -> CaseRow:
    fields = {"case_no": no, "received_date": dt.date(2026, 11, 1), "deadline": dt.date(2026, 12, 31),
              "content": f"{no} 反映林业站收取桉树砍伐保证金", "category": "林业", "county": "平和县",
              "county_code": "350628", "town": "山格镇", "village": "土田村", "lon": 117.3, "lat": 24.4,
              "status": status, **kw}
    return CaseRow(**fields)


@pytest.fixture()
def app(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        other = _case("OTHER", "selected")
        planned = _case("PH-01", "planned")
        s.add_all([other, planned])
        s.flush()
        plan = PlanRow(name="第49周", start_date=TODAY, days=5, status="issued")
        s.add(plan)
        s.flush()
        s.add(PlanCase(plan_id=plan.id, case_id=planned.id, visit_id="V1", team_id="T5", visit_date=TODAY, seq=1))
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    at.session_state["actor"] = COORDINATOR
    return at


def _investigated(engine, case_no: str = "PH-01") -> None:
    """The letter was visited and found untrue (a 澄清函 needs an investigation on record)."""
    with session_scope(engine) as s:
        case = s.scalar(select(CaseRow).where(CaseRow.case_no == case_no))
        s.add(VisitOutcomeRow(case_id=case.id, visit_date=TODAY, result="visited", team_id="T5", report_true=False,
                              findings="反映不实", recorded_by="zhou"))


def _table(app: AppTest, *columns: str):
    """The first table showing all ``columns`` (read-only dataframes expose no key to AppTest)."""
    return next(d.value for d in app.dataframe if set(columns) <= set(d.value.columns))


def _rows(engine, model):
    with session_scope(engine) as s:
        return list(s.scalars(select(model)))


def _ok(app: AppTest) -> None:
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]


def test_todays_visit_is_preselected_and_outcome_is_recorded_in_a_few_taps(app: AppTest, engine) -> None:
    app.run()
    _ok(app)
    assert app.selectbox(key="fu_case").value == "PH-01"  # planned for today, first
    app.toggle(key="fu_PH-01_new_resolved").set_value(True)
    app.number_input(key="fu_PH-01_new_households").set_value(12)
    app.number_input(key="fu_PH-01_new_leads").set_value(2)
    app.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.button(key="fu_PH-01_new_save").click().run()
    _ok(app)
    assert any("已保存信访件 PH-01 2026-12-07 的走访结果：入户走访 12 户次" in s.value for s in app.success)
    (row,) = _rows(engine, VisitOutcomeRow)
    assert (row.result, row.problem_resolved, row.households_visited, row.leads_collected, row.team_id,
            row.visit_date, row.plan_id is not None) == ("visited", True, 12, 2, "T5", TODAY, True)
    with session_scope(engine) as s:
        assert s.scalars(select(CaseRow.status).where(CaseRow.case_no == "PH-01")).one() == "resolved"
        task = s.scalars(select(FollowUpRow)).one()
        assert s.scalars(select(PlanRow.status)).one() == "in_progress"
    assert (task.kind, task.due_date, task.preferred_team_id) == ("return_visit", TODAY + dt.timedelta(days=30),
                                                                   "T5")
    proposed = _table(app, "建议检查组")
    assert "PH-01" in list(proposed["编号"])
    assert "T5" not in set(proposed["建议检查组"]), "a team is named, not given by its code"
    # the form now shows the saved record, ready to be corrected
    assert app.selectbox(key="fu_PH-01_outcome_pick").value == row.id
    assert app.number_input(key=f"fu_PH-01_{row.id}_households").value == 12
    assert app.session_state["followup_case"] == "PH-01"


def test_a_saved_outcome_is_corrected_not_added_and_statistics_count_it_once(app: AppTest, engine) -> None:
    """Defect 4: saving again created a second record and 统计 counted both (入户走访 15 instead of 12)."""
    from planner.followup.stats import compute_stats

    app.run()
    app.number_input(key="fu_PH-01_new_households").set_value(15)
    app.number_input(key="fu_PH-01_new_solved").set_value(4)
    app.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.button(key="fu_PH-01_new_save").click().run()
    (row,) = _rows(engine, VisitOutcomeRow)
    app.number_input(key=f"fu_PH-01_{row.id}_households").set_value(12)
    app.number_input(key=f"fu_PH-01_{row.id}_solved").set_value(3)
    app.button(key=f"fu_PH-01_{row.id}_save").click().run()
    _ok(app)
    assert any("已更正" in s.value for s in app.success)
    (row,) = _rows(engine, VisitOutcomeRow)
    assert (row.households_visited, row.problems_solved, row.version) == (12, 3, 2)
    history = _table(app, "内容")
    assert any("入户走访：15 → 12" in text for text in history["内容"])
    with session_scope(engine) as s:
        totals = compute_stats(s, start=dt.date(2026, 1, 1), end=TODAY).totals
    assert (totals["household_visits"], totals["problems_solved"]) == (12, 3)


def test_another_case_never_shows_the_previous_cases_form(app: AppTest, engine) -> None:
    """Defect 4: 本次为回访 and the counts of one case were carried into the next case's form."""
    with session_scope(engine) as s:
        case = s.scalars(select(CaseRow).where(CaseRow.case_no == "OTHER")).one()
        s.add(FollowUpRow(case_id=case.id, kind="return_visit", due_date=TODAY, description="回访"))
    app.run()
    app.selectbox(key="fu_case").set_value("OTHER").run()
    assert app.toggle(key="fu_OTHER_new_return").value is True  # a return visit is due for OTHER
    app.number_input(key="fu_OTHER_new_households").set_value(9)
    app.text_area(key="fu_OTHER_new_findings").input("回访核实已清退")
    app.selectbox(key="fu_case").set_value("PH-01").run()
    _ok(app)
    assert app.toggle(key="fu_PH-01_new_return").value is False
    assert app.number_input(key="fu_PH-01_new_households").value == 0
    assert app.text_area(key="fu_PH-01_new_findings").value == ""
    app.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.button(key="fu_PH-01_new_save").click().run()
    (row,) = _rows(engine, VisitOutcomeRow)
    assert (row.visit_type, row.households_visited, row.findings) == ("investigation", 0, "")


def test_not_found_without_reason_shows_error_and_stores_nothing(app: AppTest, engine) -> None:
    app.run()
    app.radio(key="fu_PH-01_new_result").set_value("not_found").run()
    app.button(key="fu_PH-01_new_save").click().run()
    assert app.error and "原因" in app.error[0].value
    assert _rows(engine, VisitOutcomeRow) == []


def test_feedback_to_petitioner_leaves_government_missing_and_can_be_corrected(app: AppTest, engine) -> None:
    app.run()
    app.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.button(key="fu_PH-01_new_save").click().run()  # visited: the case now expects both sides of feedback
    app.text_area(key="fu_PH-01_fb_new_content").input("告知调查结果")
    app.selectbox(key="fu_PH-01_fb_new_channel").set_value("电话")
    app.button(key="fu_PH-01_fb_new_save").click().run()
    _ok(app)
    (fb,) = _rows(engine, FeedbackRow)
    assert (fb.side, fb.channel, fb.content, fb.feedback_date) == ("petitioner", "电话", "告知调查结果", TODAY)
    missing = _table(app, "缺")
    assert list(missing["编号"]) == ["PH-01"] and list(missing["缺"]) == ["党委政府"]
    assert app.selectbox(key="fu_PH-01_fb_pick").value == "new"  # a new entry next (walk B L1); correct by picking
    app.selectbox(key="fu_PH-01_fb_pick").set_value(fb.id).run()
    app.text_area(key=f"fu_PH-01_fb_{fb.id}_content").input("当面告知调查结果")
    app.button(key=f"fu_PH-01_fb_{fb.id}_save").click().run()
    _ok(app)
    (fb,) = _rows(engine, FeedbackRow)
    assert (fb.content, fb.version) == ("当面告知调查结果", 2)


def test_an_issued_letter_stays_reachable_from_its_case_and_the_documents_list(app: AppTest, engine) -> None:
    """Defect 5: after 生成并登记澄清函 the case left the list and its letter could no longer be downloaded."""
    _investigated(engine)
    app.run()
    app.text_input(key="fu_PH-01_cl_cadre").input("李某某")
    app.text_area(key="fu_PH-01_cl_matter").input("私分扶贫资金")
    app.text_area(key="fu_PH-01_cl_finding").input("资金使用符合政策规定")
    app.text_input(key="fu_PH-01_cl_addressee").input("中共华安县华丰镇委员会")
    app.button(key="fu_PH-01_cl_issue").click().run()
    _ok(app)
    (cl,) = _rows(engine, ClarificationRow)
    assert cl.cadre == "李某某" and cl.document[:2] == b"PK"  # a .docx is a zip
    assert app.selectbox(key="fu_case").value == "PH-01"  # still open although 已澄清 is no longer "open"
    labels = [b.label for b in app.get("download_button")]
    assert f"下载 {cl.document_name}" in labels and labels.count(f"下载 {cl.document_name}") == 2  # case + 文书
    assert list(_table(app, "被澄清干部")["编号"]) == ["PH-01"]
    # later, from another case, with the default list: the letter is still listed and the case findable
    app.selectbox(key="fu_case").set_value("OTHER").run()
    assert list(_table(app, "被澄清干部")["编号"]) == ["PH-01"]
    app.segmented_control(key="fu_scope").set_value("all").run()
    assert "PH-01" in app.selectbox(key="fu_case").options[0] + "".join(app.selectbox(key="fu_case").options)


def test_rectification_added_corrected_then_completed(app: AppTest, engine) -> None:
    app.run()
    app.text_area(key="fu_PH-01_rx_item").input("清退保证金")
    app.text_input(key="fu_PH-01_rx_owner").input("平和县林业局")
    app.date_input(key="fu_PH-01_rx_due").set_value(TODAY - dt.timedelta(days=3))
    app.button(key="fu_PH-01_rx_add").click().run()
    _ok(app)
    assert list(_table(app, "逾期天数")["逾期天数"]) == [3]
    (rx,) = _rows(engine, RectificationRow)
    app.text_input(key=f"fu_PH-01_rx_{rx.id}_owner").input("平和县林业局山格站")
    app.button(key=f"fu_PH-01_rx_{rx.id}_save").click().run()
    _ok(app)
    app.button(key=f"fu_PH-01_rx_{rx.id}_done").click().run()
    _ok(app)
    (rx,) = _rows(engine, RectificationRow)
    assert rx.done and rx.done_date == TODAY and rx.owner == "平和县林业局山格站"
    assert _table(app, "事项", "状态")["状态"].tolist() == ["已完成"]


def test_officer_of_another_team_sees_no_case(app: AppTest) -> None:
    app.session_state["actor"] = Actor(username="chen", role="officer", team_ids=("T9",))
    app.run()
    assert not app.exception
    assert not [s for s in app.selectbox if s.key == "fu_case"]  # nothing to pick
    assert any("没有" in i.value for i in app.info)


def test_officer_of_the_planned_team_records_for_own_case_only(app: AppTest, engine) -> None:
    app.session_state["actor"] = Actor(username="lin", role="officer", team_ids=("T5",))
    app.run()
    (only,) = app.selectbox(key="fu_case").options
    assert only == "[今日] PH-01 · 平和县山格镇土田村 · PH-01 反映林业站收取桉树砍伐保证金"
    assert app.selectbox(key="fu_PH-01_new_team").options == ["第五检查组"]  # named, not T5
    app.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.button(key="fu_PH-01_new_save").click().run()
    (row,) = _rows(engine, VisitOutcomeRow)
    assert row.recorded_by == "lin"


def test_caption_shows_deadline_and_government_feedback_names_recipient(app: AppTest, engine) -> None:
    app.run()
    assert any("期限 2026-12-31（剩 24 天）" in c.value for c in app.caption)
    assert not [t for t in app.text_input if t.key == "fu_PH-01_fb_new_recipient"]  # petitioner: no name field
    app.radio(key="fu_PH-01_fb_new_side").set_value("government").run()
    app.text_input(key="fu_PH-01_fb_new_recipient").input("山格镇党委")
    app.text_area(key="fu_PH-01_fb_new_content").input("请镇党委化解山地纠纷")
    app.button(key="fu_PH-01_fb_new_save").click().run()
    (fb,) = _rows(engine, FeedbackRow)
    assert (fb.side, fb.recipient) == ("government", "山格镇党委")


def test_tabs_stay_where_the_user_is_and_typed_text_survives_other_saves(app: AppTest, engine) -> None:
    """Defect 7: tabs jumped back to 走访结果 after saves; text typed in 调查认定的事实 was lost."""
    app.run()
    tabs = app.get("tab_container")[0]
    assert tabs.proto.id  # the tabs keep their state (a keyed widget), so a rerun does not reset them
    app.session_state["fu_tab"] = "澄清"
    app.run()
    app.text_area(key="fu_PH-01_cl_finding").input("资金使用符合政策规定")
    app.text_area(key="fu_PH-01_fb_new_content").input("告知调查结果")
    app.button(key="fu_PH-01_fb_new_save").click().run()  # another tab's save, and its rerun
    _ok(app)
    app.number_input(key="fu_PH-01_new_households").set_value(3).run()  # a widget change elsewhere
    assert app.session_state["fu_tab"] == "澄清"
    assert app.text_area(key="fu_PH-01_cl_finding").value == "资金使用符合政策规定"


def test_a_stale_correction_is_refused_with_a_chinese_message_and_the_form_keeps_the_input(app: AppTest,
                                                                                          engine) -> None:
    app.run()
    app.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.button(key="fu_PH-01_new_save").click().run()
    (row,) = _rows(engine, VisitOutcomeRow)
    with session_scope(engine) as s:  # someone else corrects the record meanwhile
        s.get(VisitOutcomeRow, row.id).households_visited = 7
    app.number_input(key=f"fu_PH-01_{row.id}_households").set_value(12)
    app.button(key=f"fu_PH-01_{row.id}_save").click().run()
    assert app.error and "已被他人修改" in app.error[0].value
    assert app.number_input(key=f"fu_PH-01_{row.id}_households").value == 12  # nothing typed is lost
    (row,) = _rows(engine, VisitOutcomeRow)
    assert row.households_visited == 7  # and the other person's save stands


@pytest.fixture()
def many(engine, monkeypatch) -> AppTest:
    """640 cases, 14 of them open (one planned for next week)."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        for i in range(640):
            status = "registered" if i % 46 == 0 and i < 46 * 13 else "closed"
            s.add(_case(f"ZZ-{i:04d}", status, village=f"村{i}", content=f"第{i}件 反映土地纠纷"))
        s.add(_case("ZZ-NEXT", "planned", town="霞寨镇", content="反映霞寨镇采石场扬尘"))
        s.flush()
        nxt = s.scalars(select(CaseRow).where(CaseRow.case_no == "ZZ-NEXT")).one()
        plan = PlanRow(name="第50周", start_date=TODAY + dt.timedelta(days=7), days=5, status="issued")
        s.add(plan)
        s.flush()
        s.add(PlanCase(plan_id=plan.id, case_id=nxt.id, visit_id="V1", team_id="T1",
                       visit_date=TODAY + dt.timedelta(days=8), seq=1))
        assert s.scalar(select(func.count()).select_from(CaseRow).where(CaseRow.status != "closed")) == 14
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=60)
    at.session_state["today"] = TODAY
    at.session_state["actor"] = COORDINATOR
    return at


def test_every_open_case_is_findable_and_the_list_says_how_many_match(many: AppTest) -> None:
    """Defect 6: with 640 cases, 14 open ones could not be found — the list stopped at 300 and said nothing."""
    many.run()
    _ok(many)
    assert len(many.selectbox(key="fu_case").options) == 14
    assert any("共 14 件符合" in c.value for c in many.caption)
    many.text_input(key="fu_query").input("霞寨 扬尘").run()
    (only,) = many.selectbox(key="fu_case").options
    assert "ZZ-NEXT" in only and any("共 1 件符合" in c.value for c in many.caption)
    many.text_input(key="fu_query").input("ZZ-0599").run()
    assert any("没有符合的信访件" in c.value for c in many.caption)  # closed: not in 未办结
    many.segmented_control(key="fu_scope").set_value("all").run()
    assert "ZZ-0599" in many.selectbox(key="fu_case").options[-1]
    many.text_input(key="fu_query").input("").run()
    assert any("共 641 件符合，显示第 1–50 件（第 1/13 页）" in c.value for c in many.caption)
    many.number_input(key="fu_page").set_value(13).run()
    assert any("显示第 601–641 件" in c.value for c in many.caption)


def _issue_letter(app: AppTest, engine) -> ClarificationRow:
    app.run()
    app.text_input(key="fu_PH-01_cl_cadre").input("李某某")
    app.text_input(key="fu_PH-01_cl_title").input("华丰镇党委书记")
    app.text_area(key="fu_PH-01_cl_matter").input("私分扶贫资金")
    app.text_area(key="fu_PH-01_cl_finding").input("资金使用符合政策规定")
    app.text_input(key="fu_PH-01_cl_addressee").input("中共华安县华丰镇委员会")
    app.button(key="fu_PH-01_cl_issue").click().run()
    _ok(app)
    (cl,) = _rows(engine, ClarificationRow)
    return cl


def test_an_issued_clarification_is_corrected_on_the_page_with_its_history(app: AppTest, engine) -> None:
    """Issue 14: a 澄清函's register entry was correctable only in the library."""
    _investigated(engine)
    cl = _issue_letter(app, engine)
    e = f"fu_PH-01_cl_{cl.id}_"
    assert app.text_input(key=e + "cadre").value == "华丰镇党委书记李某某"  # the form loads the chosen letter
    assert app.date_input(key=e + "date").value == TODAY
    app.text_input(key=e + "scope").input("华丰镇党政班子会议")
    app.button(key=e + "save").click().run()
    _ok(app)
    assert any("已更正信访件 PH-01 的澄清函登记（澄清范围）" in s.value for s in app.success)
    (row,) = _rows(engine, ClarificationRow)
    # only the scope changed; the cadre, the date and the issued document stay as they were
    assert (row.scope, row.cadre, row.issued_date, row.version) == ("华丰镇党政班子会议", cl.cadre, TODAY, 2)
    assert row.document == cl.document
    changes = _table(app, "人员", "内容")
    assert any("澄清范围：（空） → 华丰镇党政班子会议" in text for text in changes["内容"])
    assert set(changes["人员"]) == {"zhou"}
    history = _table(app, "事项", "说明")
    line = history[history["事项"] == "更正澄清函登记"]
    assert list(line["说明"]) == ["澄清范围：（空） → 华丰镇党政班子会议"] and list(line["人员"]) == ["zhou"]
    assert not any("clarification" in str(v) for v in history.to_numpy().ravel())  # no codes shown


def test_a_clarification_corrected_meanwhile_refuses_the_stale_save_in_chinese(app: AppTest, engine) -> None:
    _investigated(engine)
    cl = _issue_letter(app, engine)
    e = f"fu_PH-01_cl_{cl.id}_"
    app.text_input(key=e + "cadre").input("华丰镇党委副书记李某某")
    with session_scope(engine) as s:  # another coordinator corrects the date meanwhile
        s.get(ClarificationRow, cl.id).issued_date = TODAY - dt.timedelta(days=1)
    app.button(key=e + "save").click().run()
    assert app.error and "已被他人修改" in app.error[0].value
    assert app.text_input(key=e + "cadre").value == "华丰镇党委副书记李某某"  # the typed value is kept
    (row,) = _rows(engine, ClarificationRow)
    assert (row.cadre, row.issued_date) == ("华丰镇党委书记李某某", TODAY - dt.timedelta(days=1))


def test_saving_an_unchanged_clarification_writes_nothing(app: AppTest, engine) -> None:
    _investigated(engine)
    cl = _issue_letter(app, engine)
    app.button(key=f"fu_PH-01_cl_{cl.id}_save").click().run()
    _ok(app)
    assert any("没有改动" in i.value for i in app.info)
    (row,) = _rows(engine, ClarificationRow)
    assert row.version == 1


def test_a_visit_planned_for_later_defaults_to_today_and_a_future_date_is_refused(app: AppTest, engine) -> None:
    """Walk defect (task J 2): 走访日期 defaulted to the planned day after today; the outcome saved silently."""
    app.session_state["today"] = TODAY - dt.timedelta(days=5)  # 2026-12-02; PH-01 is planned for 2026-12-07
    app.run()
    app.selectbox(key="fu_case").set_value("PH-01").run()
    _ok(app)
    assert app.date_input(key="fu_PH-01_new_date").value == dt.date(2026, 12, 2)
    app.date_input(key="fu_PH-01_new_date").set_value(TODAY)
    app.number_input(key="fu_PH-01_new_households").set_value(9)
    app.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.button(key="fu_PH-01_new_save").click().run()
    assert not app.exception, app.exception
    assert app.error and "走访日期 2026-12-07 晚于今天（2026-12-02）" in app.error[0].value
    assert _rows(engine, VisitOutcomeRow) == []
    assert app.number_input(key="fu_PH-01_new_households").value == 9  # the form keeps what was typed
    app.date_input(key="fu_PH-01_new_date").set_value(dt.date(2026, 12, 2)).run()
    app.button(key="fu_PH-01_new_save").click().run()
    _ok(app)
    assert any("已保存信访件 PH-01 2026-12-02 的走访结果：入户走访 9 户次" in s.value for s in app.success)


def test_a_case_clarified_after_a_search_stays_on_the_page_with_its_letter(app: AppTest, engine) -> None:
    """Walk defect (task J 3): searched, clarified — then "没有符合的信访件" though it said 可随时在本页下载."""
    _investigated(engine)
    app.session_state["today"] = TODAY + dt.timedelta(days=1)  # not today's visit: listed only while 未办结
    app.run()
    app.text_input(key="fu_query").input("PH-01").run()
    (only,) = app.selectbox(key="fu_case").options
    assert "PH-01" in only
    cl = _issue_letter(app, engine)
    assert not any("没有符合的信访件" in i.value for i in app.info)
    assert app.selectbox(key="fu_case").value == "PH-01"
    assert any("正在办理的 PH-01" in c.value for c in app.caption), [c.value for c in app.caption]
    labels = [b.label for b in app.get("download_button")]
    assert f"下载 {cl.document_name}" in labels
    # another search shows only its own matches
    app.text_input(key="fu_query").input("OTHER").run()
    _ok(app)
    assert app.selectbox(key="fu_case").value == "OTHER"
    assert not any("PH-01" in o for o in app.selectbox(key="fu_case").options)


def test_a_return_visit_switched_on_later_is_dated_today_not_on_the_first_visits_day(app: AppTest, engine) -> None:
    # Found on a walk: an officer recording a 回访 a month later left the date on the first visit's day, and saving
    # it collided with the first visit's own record.
    app.run()
    app.selectbox(key="fu_case").set_value("PH-01").run()
    app.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.button(key="fu_PH-01_new_save").click().run()  # the first visit, on the planned day
    _ok(app)
    later = TODAY + dt.timedelta(days=30)
    again = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    again.session_state["today"] = later
    again.session_state["actor"] = COORDINATOR
    again.run()
    again.selectbox(key="fu_case").set_value("PH-01").run()
    again.selectbox(key="fu_PH-01_outcome_pick").set_value("new").run()
    assert again.date_input(key="fu_PH-01_new_date").value == TODAY  # an ordinary record proposes the planned day
    again.toggle(key="fu_PH-01_new_return").set_value(True).run()
    assert again.date_input(key="fu_PH-01_new_date").value == later
    again.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    again.button(key="fu_PH-01_new_save").click().run()
    _ok(again)
    rows = sorted(_rows(engine, VisitOutcomeRow), key=lambda r: r.visit_date)
    assert [(r.visit_date, r.visit_type) for r in rows] == [(TODAY, "investigation"), (later, "return")]


def test_after_the_first_feedback_the_form_is_new_and_turned_to_the_other_side(app: AppTest, engine) -> None:
    """Walk B L1: after 保存反馈 the form showed "更正：信访人 …" (保存更正), so the feedback to the 党委政府 typed next
    overwrote the petitioner's. Now the form is a new entry, already on the side still missing."""
    app.run()
    app.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.button(key="fu_PH-01_new_save").click().run()
    app.text_area(key="fu_PH-01_fb_new_content").input("告知调查结果")
    app.button(key="fu_PH-01_fb_new_save").click().run()
    _ok(app)
    assert any("已记录对信访人的反馈" in s.value and "下面可记录对党委政府的反馈" in s.value for s in app.success)
    assert app.selectbox(key="fu_PH-01_fb_pick").value == "new"
    assert app.radio(key="fu_PH-01_fb_new_side").value == "government"
    assert app.text_area(key="fu_PH-01_fb_new_content").value == ""
    assert app.button(key="fu_PH-01_fb_new_save").label == "保存反馈"
    app.text_input(key="fu_PH-01_fb_new_recipient").input("山格镇党委")
    app.text_area(key="fu_PH-01_fb_new_content").input("通报核查结果")
    app.button(key="fu_PH-01_fb_new_save").click().run()
    _ok(app)
    rows = sorted((f.side, f.content) for f in _rows(engine, FeedbackRow))
    assert rows == [("government", "通报核查结果"), ("petitioner", "告知调查结果")]
    assert any("双反馈已齐" in s.value for s in app.success)


@pytest.mark.parametrize(("scope", "query", "expected"), [
    ("all", "PH-99", "没有符合的信访件：换个关键词。"),
    ("open", "PH-99", "没有符合的信访件：换个关键词，或把范围改为“全部”。"),
])
def test_no_match_says_only_the_advice_that_applies(app: AppTest, scope: str, query: str, expected: str) -> None:
    """Walk B L2: "换个关键词，或把范围改为“全部”" was shown with 全部 already chosen."""
    app.run()
    app.session_state["fu_scope"] = scope
    app.text_input(key="fu_query").input(query).run()
    assert not app.exception
    assert [i.value for i in app.info] == [expected]


def test_a_leader_told_no_match_under_all_is_not_sent_to_all(app: AppTest) -> None:
    app.session_state["actor"] = Actor(username="lead2", role="leader", team_ids=("T9",))
    app.session_state["fu_scope"] = "all"
    app.run()
    app.text_input(key="fu_query").input("PH-01").run()  # another team's letter
    assert not app.exception
    infos = [i.value for i in app.info]
    assert infos and "全部" not in infos[-1] and "有权查看" in infos[-1], infos


def test_history_lines_name_people_not_accounts(app: AppTest, engine) -> None:
    """Walk E: 修改记录 and 办理记录 read ganbu3 and zuzhang3 where the office knows 林干部 and 陈组长."""
    from planner.office import security

    with session_scope(engine) as s:
        security.create_user(s, "zhou", "Xiafang-2026-pass", role="coordinator", display_name="周协调")
    app.run()
    app.number_input(key="fu_PH-01_new_households").set_value(15)
    app.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.button(key="fu_PH-01_new_save").click().run()
    (row,) = _rows(engine, VisitOutcomeRow)
    app.number_input(key=f"fu_PH-01_{row.id}_households").set_value(12)
    app.button(key=f"fu_PH-01_{row.id}_save").click().run()
    _ok(app)
    for table in (_table(app, "内容"), _table(app, "事项", "说明")):
        assert set(table["人员"]) == {"周协调（zhou）"}, set(table["人员"])


def test_a_letter_kept_on_the_list_is_not_told_as_no_match(app: AppTest, engine) -> None:
    """Review: the list of a letter being worked on (closed since, outside 未办结) read “没有符合的信访件” above it."""
    with session_scope(engine) as s:
        s.scalars(select(CaseRow).where(CaseRow.case_no == "PH-01")).one().status = "closed"
    app.session_state["today"] = TODAY + dt.timedelta(days=1)  # not today's visit: PH-01 is outside 未办结
    app.session_state["followup_case"] = "PH-01"
    app.run()
    app.text_input(key="fu_query").input("PH-01").run()
    _ok(app)
    assert app.selectbox(key="fu_case").options and "PH-01" in app.selectbox(key="fu_case").value
    said = [c.value for c in app.caption] + [i.value for i in app.info]
    assert not any("没有符合的信访件" in t for t in said), said
    assert any("正在办理的 PH-01（已办结）" in t for t in said), said


def test_a_number_typed_full_width_finds_its_letter(app: AppTest) -> None:
    """Review: ＰＨ－０１ typed with a Chinese input method (or with spaces round it) found nothing."""
    app.session_state["today"] = TODAY + dt.timedelta(days=1)  # not today's visit: found by the search alone
    app.run()
    for typed in ("ＰＨ－０１", "\u3000PH-01 "):
        app.text_input(key="fu_query").input(typed).run()
        _ok(app)
        assert app.selectbox(key="fu_case").value == "PH-01"
        assert [o for o in app.selectbox(key="fu_case").options if "OTHER" in o] == []


def test_a_visit_to_a_letter_awaiting_its_return_visit_is_recorded_as_that_return_visit(app: AppTest, engine) -> None:
    """Review: a team that went back to a settled letter ten days before its 回访 fell due recorded an ordinary visit
    (本次为回访 was off), so the 回访 stayed proposed for the letter afterwards."""
    app.run()
    app.toggle(key="fu_PH-01_new_resolved").set_value(True)
    app.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.button(key="fu_PH-01_new_save").click().run()  # settled: a 回访 is due in 30 days
    _ok(app)
    later = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    later.session_state["today"] = TODAY + dt.timedelta(days=20)
    later.session_state["actor"] = COORDINATOR
    later.session_state["followup_case"] = "PH-01"
    later.run()
    later.selectbox(key="fu_case").set_value("PH-01").run()
    later.selectbox(key="fu_PH-01_outcome_pick").set_value("new").run()
    assert later.toggle(key="fu_PH-01_new_return").value is True
    assert any("待回访" in c.value for c in later.caption)
    later.toggle(key="fu_PH-01_new_resolved").set_value(True)
    later.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    later.button(key="fu_PH-01_new_save").click().run()
    _ok(later)
    with session_scope(engine) as s:
        tasks = [(t.done, t.done_date) for t in s.scalars(select(FollowUpRow))]
    assert tasks == [(True, TODAY + dt.timedelta(days=20))]
    assert not [d for d in later.dataframe if "建议检查组" in d.value.columns]


def _later(days: int) -> AppTest:
    """回访跟踪 opened ``days`` after TODAY on PH-01 by the coordinator."""
    later = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    later.session_state["today"] = TODAY + dt.timedelta(days=days)
    later.session_state["actor"] = COORDINATOR
    later.session_state["followup_case"] = "PH-01"
    later.run()
    later.selectbox(key="fu_case").set_value("PH-01").run()
    return later


def test_a_letter_awaiting_its_return_visit_opens_on_a_new_record_not_the_first_visits(app: AppTest,
                                                                                      engine) -> None:
    """Browser walk: for a letter 待回访 the 记录 selector chose “更正：2026-12-07 · 第一检查组 · 已走访” (保存更正,
    本次为回访 off), so the 回访 typed there overwrote the first visit's record."""
    app.run()
    app.toggle(key="fu_PH-01_new_resolved").set_value(True)
    app.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.button(key="fu_PH-01_new_save").click().run()  # the first visit settles it: a 回访 is proposed
    _ok(app)
    later = _later(30)
    _ok(later)
    assert any("待回访" in c.value for c in later.caption)
    assert later.selectbox(key="fu_PH-01_outcome_pick").value == "new"
    assert later.date_input(key="fu_PH-01_new_date").value == TODAY + dt.timedelta(days=30)
    assert later.toggle(key="fu_PH-01_new_return").value is True
    assert later.button(key="fu_PH-01_new_save").label == "保存走访结果"


def _status(engine, case_no: str = "PH-01") -> str:
    with session_scope(engine) as s:
        return s.scalars(select(CaseRow.status).where(CaseRow.case_no == case_no)).one()


def test_a_return_visit_to_a_resolved_letter_keeps_it_resolved_unless_the_problem_came_back(app: AppTest,
                                                                                           engine) -> None:
    """Browser walk: the 回访 of a letter 已化解, saved with 问题已解决 left as it was (off), made it 已下访 and overdue
    (首页 未办结/已超期 up) while 统计 still counted it resolved. The 回访 keeps it 已化解 unless the officer says the
    problem came back."""
    app.run()
    app.toggle(key="fu_PH-01_new_resolved").set_value(True)
    app.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.button(key="fu_PH-01_new_save").click().run()  # resolved at the first visit
    later = _later(30)
    later.selectbox(key="fu_PH-01_outcome_pick").set_value("new").run()
    later.radio(key="fu_PH-01_new_result").set_value("visited").run()  # nothing is picked until the user picks (W13)
    assert later.toggle(key="fu_PH-01_new_return").value is True
    kept = later.toggle(key="fu_PH-01_new_resolved")
    assert (kept.value, kept.label) == (True, "问题保持解决")
    assert any("问题反弹、仍未解决" in c.value for c in later.caption)
    later.text_area(key="fu_PH-01_new_findings").input("回访：采砂点已停止，群众满意")
    later.button(key="fu_PH-01_new_save").click().run()
    _ok(later)
    assert any("问题保持解决，信访件仍为“已化解”" in s.value for s in later.success)
    assert _status(engine) == "resolved"
    back = sorted(_rows(engine, VisitOutcomeRow), key=lambda r: r.visit_date)[-1]
    assert (back.visit_type, back.problem_resolved) == ("return", True)
    with session_scope(engine) as s:
        assert [t.done for t in s.scalars(select(FollowUpRow))] == [True]


def test_a_return_visit_that_finds_the_problem_back_reopens_the_letter(app: AppTest, engine) -> None:
    app.run()
    app.toggle(key="fu_PH-01_new_resolved").set_value(True)
    app.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    app.button(key="fu_PH-01_new_save").click().run()
    later = _later(30)
    later.toggle(key="fu_PH-01_new_resolved").set_value(False)  # 问题反弹、仍未解决
    later.text_area(key="fu_PH-01_new_findings").input("回访：采砂点夜间复工")
    later.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    later.button(key="fu_PH-01_new_save").click().run()
    _ok(later)
    assert any("回访发现问题反弹、仍未解决：信访件回到“已下访”" in s.value for s in later.success)
    assert _status(engine) == "visited"


def test_a_return_visit_switched_on_for_a_letter_resolved_by_hand_keeps_it_resolved(app: AppTest, engine) -> None:
    """No 回访 was proposed (已化解 set by hand): 本次为回访 switched on also starts 问题保持解决 on."""
    with session_scope(engine) as s:
        s.scalars(select(CaseRow).where(CaseRow.case_no == "PH-01")).one().status = "resolved"
    later = _later(3)
    later.selectbox(key="fu_PH-01_outcome_pick").set_value("new").run()
    assert later.toggle(key="fu_PH-01_new_return").value is False
    assert later.toggle(key="fu_PH-01_new_resolved").value is False
    later.toggle(key="fu_PH-01_new_return").set_value(True).run()
    assert later.toggle(key="fu_PH-01_new_resolved").value is True
    later.radio(key="fu_PH-01_new_result").set_value("visited")  # nothing is picked until the user picks (walk W13)
    later.button(key="fu_PH-01_new_save").click().run()
    _ok(later)
    assert _status(engine) == "resolved"


def test_the_feedback_fields_are_one_form_so_leaving_a_field_reruns_nothing(app: AppTest, engine) -> None:
    """Browser walk: after the petitioner's feedback the form turned to 党委政府; 接收单位 reran the page when left,
    and 反馈内容 typed quickly after it was lost (“反馈内容不能为空”). The fields are one st.form: only 保存 reruns."""
    app.run()
    app.text_area(key="fu_PH-01_fb_new_content").input("告知调查结果")
    app.button(key="fu_PH-01_fb_new_save").click().run()
    _ok(app)
    assert app.radio(key="fu_PH-01_fb_new_side").value == "government"
    fields = [app.date_input(key="fu_PH-01_fb_new_date"), app.selectbox(key="fu_PH-01_fb_new_channel"),
              app.text_input(key="fu_PH-01_fb_new_recipient"), app.text_area(key="fu_PH-01_fb_new_content"),
              app.checkbox(key="fu_PH-01_fb_new_ack")]
    forms = {f.proto.form_id for f in fields}
    assert len(forms) == 1 and forms != {""}, forms
    save = app.button(key="fu_PH-01_fb_new_save")
    assert save.proto.is_form_submitter and save.proto.form_id in forms
    assert app.radio(key="fu_PH-01_fb_new_side").proto.form_id == ""  # the side shapes the form: outside it
    app.text_input(key="fu_PH-01_fb_new_recipient").input("山格镇党委")
    app.text_area(key="fu_PH-01_fb_new_content").input("通报核查结果")
    save.click().run()
    _ok(app)
    assert sorted((f.side, f.recipient, f.content) for f in _rows(engine, FeedbackRow)) == [
        ("government", "山格镇党委", "通报核查结果"), ("petitioner", "", "告知调查结果")]
