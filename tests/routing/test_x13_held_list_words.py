"""planner.routing.held_list (walk W36): a refused save or a 其他计划中 warning is short however many stops — the
count, the plan, that nothing was saved and what to do; up to 3 stops still named in it."""

from __future__ import annotations

from types import SimpleNamespace as Ns

from planner.routing.held_list import conflict_groups, conflict_text, held_groups, held_text, table_rows

ISSUED = (7, "第50周", "第四检查组", "已下发")
DRAFT = (9, "", "第五检查组", "草稿")


def _doc(n: int):
    visits = {f"V{i}": Ns(case_nos=(f"C{i}",)) for i in range(1, n + 1)}
    return Ns(
        plan=Ns(
            routes=[
                Ns(team_id="T", date="2026-12-08", visit_ids=list(visits)),
                Ns(team_id="", date=None, visit_ids=["V0"]),
            ]
        ),
        visits={**visits, "V0": Ns(case_nos=("C0",))},
    )


def test_a_few_stops_of_many_held_ask_for_a_replan_and_name_the_openable_plan() -> None:
    doc = _doc(40)
    held = {"C1": ISSUED, "C2": ISSUED, "C3": DRAFT, "C4": ISSUED, "C0": ISSUED}  # C0: not routed, not counted
    groups = conflict_groups(held, doc, {"V1": "诏安县秀篆镇青龙山村"})
    assert [(h[0], [s[0] for s in g]) for h, g in groups] == [(7, ["V1", "V2", "V4"]), (9, ["V3"])]
    said = conflict_text(groups, 40, openable={7})
    assert said.startswith(
        "保存失败：本方案 40 个走访点中，4 个的信访件已由其他计划安排（计划 #7「第50周」（第四检查组，"
        "已下发） 3 个，计划 #9（第五检查组，草稿） 1 个）。"
    ), said
    assert "C1" not in said and "请重新规划" in said and "打开计划 #7；" not in said and "打开计划 #7。" in said
    assert table_rows(groups[0][1])[0] == {
        "编号": "V1",
        "走访点": "诏安县秀篆镇青龙山村",
        "检查组": "第四检查组",
        "信访件": "C1",
    }


def test_one_plan_of_two_teams_is_one_plan_in_the_notice() -> None:
    """Walk W36 re-walk: plan #5 routes 20 stops for 第四检查组, 18 for 第五检查组 — it read as two plans (#5、#5)."""
    doc = _doc(38)
    held = {f"C{i}": (5, "12-07 起 5 天", "第四检查组" if i <= 20 else "第五检查组", "草稿") for i in range(1, 39)}
    said = conflict_text(conflict_groups(held, doc, {}), 38, openable={5})
    assert said.startswith(
        "保存失败：38 个走访点的信访件已由计划 #5「12-07 起 5 天」（第四检查组、第五检查组，草稿）安排。"
    ), said
    assert said.endswith("要调整这些走访点，请在上方“已保存的计划”中打开计划 #5；要另排信访件，请到选件页重新选件。"), (
        said
    )


def test_every_stop_held_by_a_plan_the_account_may_not_open_sends_it_to_selection() -> None:
    doc = _doc(2)
    said = conflict_text(conflict_groups({"C1": ISSUED, "C2": ISSUED}, doc, {}), 2)
    assert said == (
        "保存失败：2 个走访点的信访件已由计划 #7「第50周」（第四检查组，已下发）安排：V1（C1）、V2（C2）。"
        "一件信访件只能排在一个计划的线路上，本次没有保存任何改动。要另排信访件，请到选件页重新选件。"
    )


def test_the_warning_counts_many_stops_per_plan_and_names_a_few() -> None:
    where = {f"C{i}": ISSUED for i in range(1, 40)}
    held = {f"V{i}": f"信访件 C{i} 已在计划 #7「第50周」（第四检查组，已下发）中" for i in range(1, 40)}
    cases = {f"V{i}": (f"C{i}",) for i in range(1, 40)}
    groups = held_groups(held, where, cases, {})
    assert held_text(held, groups, {}) == (
        "39 个走访点的信访件已在计划 #7「第50周」（第四检查组，已下发）中，不排入本计划。下面列出这些走访点。"
    )
    few = {k: held[k] for k in ("V1", "V2")}
    assert held_text(few, held_groups(few, where, cases, {"V1": "四都镇溪东村"}), {"V1": "四都镇溪东村"}) == (
        "2 个走访点的信访件已在其他计划中，不排入本计划：V1 四都镇溪东村（信访件 C1 已在计划 #7「第50周」（第四检查组，"
        "已下发）中）；V2（信访件 C2 已在计划 #7「第50周」（第四检查组，已下发）中）"
    )
