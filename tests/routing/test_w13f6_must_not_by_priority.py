"""Walk W13: with 3 days and 12 必访 stops for one team, 开始规划 said 「可行，但 2 个必访点未排入」 and each 必访 stop
left out (九峰镇, far in 平和县's west) was 「按优先级 5 和路程被舍弃」. A plan that leaves out 必访 stops does not meet
them and says what the leader can do; a 必访 stop is never said to go by its priority: every 必访 stop weighs the
same, so the search leaves out by travel, and the reason gives the stop's one-way drive from the base."""

from __future__ import annotations

import datetime as dt
import re

from planner.domain import Team, Visit
from planner.routing.advice import MUST_UNMET_ADVICE, plan_summary, status_text
from planner.routing.problem import PlanOptions
from planner.routing.report import plan_document
from planner.routing.travel import OfflineTravelModel, Point

MONDAY = dt.date(2026, 12, 7)
TEAM = Team("T1", "第一检查组", 117.647, 24.513, base_name="漳州市纪委监委")
# The walker's letters (all 必访): the places of 云霄、漳浦、平和、诏安 and near the base, 60–90 minutes each.
PLACES = [("云霄县陈岱镇", 117.40133, 23.79465, 60), ("漳浦县石榴镇象牙村", 117.52, 24.18, 90),
          ("平和县崎岭乡", 117.11, 24.225, 60), ("云霄县下河乡下河村", 117.27333, 24.01556, 90),
          ("芗城区天宝镇珠里社区", 117.589, 24.58, 60), ("平和县九峰镇城东村", 116.965, 24.26, 60),
          ("平和县九峰镇", 116.965, 24.26, 60), ("龙文区朝阳街道", 117.738, 24.482, 60),
          ("云霄县火田镇火田村", 117.29, 24.01, 60), ("诏安县官陂镇", 116.975, 24.045, 60),
          ("云霄县火田镇", 117.29, 24.01, 60), ("云霄县陈岱镇", 117.40133, 23.79465, 60)]
MUST = tuple(Visit(f"V{i:03d}", lon, lat, minutes, label=label, must=True, case_nos=(f"ZZ{i}",))
             for i, (label, lon, lat, minutes) in enumerate(PLACES, 1))


def _one_way(v: Visit) -> int:
    m = OfflineTravelModel().matrix([Point("base", TEAM.base_lon, TEAM.base_lat), Point(v.visit_id, v.lon, v.lat)])
    return int(m.travel_s[0, 1])


def test_must_stops_left_out_are_not_said_feasible_nor_dropped_by_priority() -> None:
    doc = plan_document(list(MUST), [TEAM], start_date=MONDAY, days=3, time_limit_s=3.0,
                        options=PlanOptions(policy="compact"))
    out = doc.plan.unassigned
    assert out, "12 必访 stops of 60–90 minutes, up to 1.5 h away, should not fit three days of one team"
    placed = doc.plan.planned_visit_ids()
    assert placed and not placed & {u.visit_id for u in out}
    said = status_text(doc.plan, doc.visits)
    assert "可行" not in said and "最优" not in said, said
    assert said == f"不满足必访要求（{len(out)} 个必访点未排入）", said
    summary = plan_summary(doc.plan, doc.visits)
    assert summary.startswith(said + "：") and MUST_UNMET_ADVICE in summary, summary
    assert "增加工作日" in MUST_UNMET_ADVICE and "延长班次" in MUST_UNMET_ADVICE
    for u in out:
        assert u.reason_code == "infeasible_must", u
        assert u.reason.startswith("必访点无法排入："), u.reason
        assert "按优先级" not in u.reason, u.reason
        if "运力不够" in u.reason:
            assert "必访点之间不分优先级，排不下时按路程取舍" in u.reason, u.reason
            said_min = int(re.search(r"离驻地单程车程约 (\d+) 分钟", u.reason).group(1))
            assert abs(said_min - _one_way(doc.visits[u.visit_id]) / 60) <= 1, u.reason
        assert "建议：" in u.reason and u.suggestions, u  # something to do: a day more


def test_an_optional_stop_left_out_still_goes_by_its_priority() -> None:
    extra = Visit("V099", 116.975, 24.045, 60, label="诏安县官陂镇新坎村", priority=2, case_nos=("ZZ99",))
    doc = plan_document([*MUST[:4], extra], [TEAM], start_date=MONDAY, days=1, time_limit_s=2.0,
                        options=PlanOptions(policy="compact"))
    left = {u.visit_id: u for u in doc.plan.unassigned}
    assert "V099" in left, doc.plan
    assert "按优先级 2 和路程被舍弃" in left["V099"].reason or "运力不够" not in left["V099"].reason, left["V099"]
    assert left["V099"].reason_code != "infeasible_must"
    musts_out = [u for u in left.values() if u.visit_id != "V099"]
    assert all("按优先级" not in u.reason for u in musts_out), musts_out
    expect = f"不满足必访要求（{len(musts_out)} 个必访点未排入）" if musts_out else "可行"
    assert status_text(doc.plan, doc.visits) in (expect, "最优"), status_text(doc.plan, doc.visits)
