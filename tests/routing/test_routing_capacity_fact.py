"""Walk R: after a re-plan a left-out stop read 「4 个组日的运力不够（已用 3 个）」 — not enough capacity with a
team-day unused. The capacity fact now names what holds: the team-days the stop may use are full, and why it may not
use the others (here: the free day is after its deadline)."""

from __future__ import annotations

import datetime as dt

from planner.routing.advice import PlanRequest
from planner.routing.report import plan_document
from tests.routing.conftest import MONDAY, PLAIN, team, visit

SPOTS = [(117.33, 24.37), (117.35, 24.36), (117.36, 24.40), (117.30, 24.42), (117.38, 24.33), (117.31, 24.30),
         (117.40, 24.38), (117.28, 24.36)]


def test_a_stop_due_on_the_first_day_says_that_day_is_full_and_why_the_second_is_not_open_to_it():
    visits = [visit(f"S{k}", lon, lat, 120, latest_date=MONDAY) for k, (lon, lat) in enumerate(SPOTS)]
    request = PlanRequest(MONDAY, 2, ("A",))
    doc = plan_document(visits, [team("A")], start_date=request.start_date, days=request.days, time_limit_s=1.0,
                        travel=PLAIN, all_teams=[team("A")])
    assert len(doc.plan.routes) == 1, "only the Monday is used"
    left = [u for u in doc.plan.unassigned if u.reason_code == "capacity"]
    assert left
    tuesday = (MONDAY + dt.timedelta(days=1)).isoformat()
    for u in left:
        assert "运力不够" not in u.reason, u.reason
        assert "2 个组日中只有 1 个能走访它，都已排满" in u.reason, u.reason
        assert f"{tuesday}：晚于期限 {MONDAY.isoformat()}" in u.reason, u.reason
