"""AppTest of 选件: ranked list with reasons, filters, capacity, and the visits it stores for planning."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.domain import Visit
from planner.store.database import session_scope
from planner.store.models import CaseRow, TeamMemberRow, TeamRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 1)


def _case(no: str, received: dt.date, county: str, code: str, town_code: str, village_code: str, category: str,
          content: str) -> CaseRow:
    return CaseRow(case_no=no, received_date=received, deadline=received + dt.timedelta(days=60), content=content,
                   category=category, county=county, county_code=code, town="某镇", town_code=town_code,
                   village="某村", village_code=village_code, lon=117.3, lat=24.4, precision="village")


@pytest.fixture()
def app(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add_all([
            _case("OLD", dt.date(2026, 9, 20), "平和县", "350628", "350628103", "350628103201", "林业",
                  "山格镇林业站收取桉树砍伐保证金，数万林农受影响"),
            _case("NEW", dt.date(2026, 11, 28), "平和县", "350628", "350628103", "350628103201", "低保",
                  "村干部优亲厚友"),
            _case("NJ", dt.date(2026, 11, 10), "南靖县", "350627", "350627100", "350627100201", "征地拆迁",
                  "征地补偿款未发放"),
        ])
        team = TeamRow(id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51)
        team.members = [TeamMemberRow(id="M1", name="林建华", hometown_county_code="350627")]
        s.add(team)
    at = AppTest.from_file(str(ROOT / "pages" / "selection.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    return at


def test_ranked_list_shows_reasons_in_rank_order(app: AppTest) -> None:
    app.run()
    assert not app.exception
    df = app.dataframe[0].value
    assert df["编号"].iloc[0] == "OLD"  # overdue, forestry, tens of thousands affected
    assert set(df["编号"]) == {"OLD", "NEW", "NJ"}
    assert "已超期" in df.loc[df["编号"] == "OLD", "排序理由"].iloc[0]
    assert app.metric[0].value == str(1 * 5 * 4)


def test_county_filter(app: AppTest) -> None:
    app.run()
    app.multiselect(key="sel_county").select("南靖县").run()
    assert list(app.dataframe[0].value["编号"]) == ["NJ"]


def test_build_visits_stores_them_for_planning(app: AppTest) -> None:
    app.run()
    app.number_input(key="sel_top").set_value(3).run()
    app.button(key="sel_build").click().run()
    visits = app.session_state["visits"]
    assert all(isinstance(v, Visit) for v in visits)
    # OLD and NEW are in the same village: one visit with two cases.
    assert sorted(len(v.case_nos) for v in visits) == [1, 2]
    nj = next(v for v in visits if v.case_nos == ("NJ",))
    assert nj.excluded_members == ("M1",)  # 回避: hometown 南靖
    assert sorted(app.session_state["selected_cases"]) == ["NEW", "NJ", "OLD"]
    assert len(app.dataframe) == 2  # candidates and visits


def test_more_than_the_candidates_takes_them_all_and_says_so(app: AppTest) -> None:
    """Walk J: 19 typed with 14 candidates gave the browser's English "Number is outside the allowed range" and an
    older N was kept. Any N is taken; more than there are takes all, in Chinese."""
    app.run()
    shown = len(app.dataframe[0].value)
    app.number_input(key="sel_top").set_value(shown + 5).run()
    assert not app.exception
    assert any(f"候选只有 {shown} 件，已全部选取" in c.value for c in app.caption)
    app.button(key="sel_build").click().run()
    assert len(app.session_state["selected_cases"]) == shown


def test_weights_from_settings_change_the_scores(app: AppTest, engine) -> None:
    from planner.office.settings import AppSettings, save_settings
    from planner.selection.ranking import SelectionWeights

    app.run()
    default_score = app.dataframe[0].value.set_index("编号").loc["OLD", "得分"]
    with session_scope(engine) as s:
        save_settings(s, AppSettings(weights=SelectionWeights(deadline=0.0)))
    app.run()
    score = app.dataframe[0].value.set_index("编号").loc["OLD", "得分"]
    assert score == pytest.approx(default_score - 40.0 * 72 / 60)  # 12 days overdue


def test_visits_table_names_members_teams_groups_and_skills(app: AppTest) -> None:
    """Issue 17: 回避人员 M1, 同日组 I0142@土田村@350628103, 指定组 T1 and skill codes are shown by their names."""
    app.run()
    group = "I0142@土田村@350628103"
    app.session_state["visits"] = [
        Visit("V001", 117.3, 24.4, 60, case_nos=("OLD",), label="某村", skills=("forestry",),
              excluded_members=("M1",), group=group, team_id="T1"),
        Visit("V002", 117.31, 24.41, 60, case_nos=("NEW",), label="某村二", group=group),
    ]
    app.run()
    table = app.dataframe[1].value
    first = table.iloc[0]
    assert (first["回避人员"], first["指定组"], first["所需专长"]) == ("林建华", "第一检查组", "林业")
    assert list(table["同日组"]) == ["土田村同日走访组"] * 2
    shown = " ".join(str(x) for x in table.drop(columns=["走访点", "信访件"]).to_numpy().ravel())
    assert not any(code in shown for code in ("M1", "T1", "I0142", "@", "forestry")), shown


def test_same_day_groups_get_distinct_readable_names() -> None:
    from planner.selection.labels import group_names, readable

    visits = [Visit(f"V{i}", 117.3, 24.4, 60, group=g) for i, g in enumerate(
        ["I0142@土田村@350628103", "I0099@土田村@350628103", "H7@350628103", "东片"])]
    names = group_names(visits)
    assert names["I0142@土田村@350628103"] == "土田村同日走访组"
    assert names["I0099@土田村@350628103"] == "土田村同日走访组（二）"
    assert names["H7@350628103"].endswith("同日走访组") and "350628103" not in names["H7@350628103"]
    assert names["东片"] == "东片"  # a person's own group name stays
    assert readable("拆开同日组「I0099@土田村@350628103」", names) == "拆开同日组「土田村同日走访组（二）」"


def test_a_skill_no_team_going_has_is_warned_before_planning(app: AppTest) -> None:
    """The walk: letters needing 土地/林业 that no team has were offered without a word until 路线规划."""
    app.run()
    app.session_state["visits"] = [
        Visit("V001", 117.3, 24.4, 60, case_nos=("OLD",), label="山格镇某村", skills=("forestry",)),
        Visit("V002", 117.31, 24.41, 60, case_nos=("NEW",), label="某村二"),
    ]
    app.run()
    warned = [w.value for w in app.warning if "专长" in w.value]
    assert warned and "1 个走访点" in warned[0] and "林业" in warned[0] and "山格镇某村" in warned[0]
    assert "不要求" in warned[0]


def test_without_a_team_nothing_is_estimated_or_built(app: AppTest) -> None:
    """Walk C: with every team taken out of 参加的检查组, 预计可走访点数 still read 8 and 生成走访点 still ran."""
    app.run()
    app.multiselect(key="sel_team_ids").set_value([]).run()
    assert not app.exception
    assert app.metric[0].value == "0"
    assert any("请至少选择一个参加的检查组" in w.value for w in app.warning)
    assert app.button(key="sel_build").disabled
    app.multiselect(key="sel_team_ids").set_value(["T1"]).run()
    assert app.metric[0].value == str(1 * 5 * 4) and not app.button(key="sel_build").disabled


def test_n_follows_the_estimate_until_a_number_is_typed(engine, app: AppTest) -> None:
    """Walk C: with 5 days N was 20; days set to 2 made the estimate 8 but N stayed 20 (and the page warned)."""
    with session_scope(engine) as s:
        s.add_all([_case(f"X{i:02d}", dt.date(2026, 11, 1) + dt.timedelta(days=i), "平和县", "350628", "350628103",
                         "350628103201", "低保", f"第{i}封 村干部优亲厚友") for i in range(20)])
    app.run()
    cap5 = int(app.metric[0].value)
    assert app.number_input(key="sel_top").value == min(23, cap5, 40)
    app.number_input(key="sel_days").set_value(2).run()
    cap2 = int(app.metric[0].value)
    assert cap2 < cap5 and app.number_input(key="sel_top").value == cap2
    assert not any("预计约可走访" in w.value for w in app.warning)
    app.number_input(key="sel_top").set_value(5).run()  # the user's own number stays
    app.number_input(key="sel_days").set_value(3).run()
    assert app.number_input(key="sel_top").value == 5
