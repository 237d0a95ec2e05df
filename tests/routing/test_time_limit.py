"""L8: every 开始规划 took the whole 10 s even for 2–13 stops; small plans now search for less, capped by the user."""

from __future__ import annotations

from planner.routing.solve import plan_time_limit


def test_small_plans_stop_early_and_the_users_setting_is_the_cap() -> None:
    assert plan_time_limit(2, 10) == 2.0
    assert plan_time_limit(13, 10) == 4.75  # under the 5 s a page may take
    assert plan_time_limit(26, 10) == 8.0
    assert plan_time_limit(80, 10) == 10.0
    assert plan_time_limit(80, 60) == 21.5
    assert plan_time_limit(13, 3) == 3.0  # never more than the user asked for
    assert plan_time_limit(0, 10) == 1.5
