"""解决问题（个） when the problem is marked solved (walk W37: 问题已解决 ticked, 解决问题 left at 0, stored 0, and
统计's 解决问题 — the sum of the numbers recorded, see :mod:`planner.followup.stats` — undercounted the county).

A visit that solved the problem solved at least one: the 回访跟踪 form puts 1 in 解决问题（个） when 问题已解决 is
ticked on 0 (shown before 保存, the officer can change it), and 行程's form (no rerun on a tick) asks for the number
at 保存. A 回访 that finds the problem still solved (问题保持解决) solved nothing new: the problem was counted at the
visit that solved it, so nothing is put in or asked there.
"""

from __future__ import annotations

SOLVED_DEFAULT = 1


def solved_after_tick(*, resolved: bool, solved: int | None, kept: bool = False) -> int | None:
    """The 解决问题（个） to show once 问题已解决 was switched: 1 in place of 0 when ticked, else None (leave it)."""
    if resolved and not kept and not int(solved or 0):
        return SOLVED_DEFAULT
    return None


def unsolved_count_note(*, resolved: bool, solved: int | None, kept: bool = False, label: str = "问题已解决") -> str:
    """What to say when the problem is marked solved and 解决问题（个） is 0 (empty: nothing to say)."""
    if not resolved or kept or int(solved or 0) > 0:
        return ""
    return (
        f"已勾选“{label}”，但解决问题（个）为 0：统计的“解决问题”不会计入本次。"
        "请填写本次解决的问题个数（至少 1 个）；确未解决问题的，取消勾选。"
    )
