"""路线规划's lock box (锁定): it shows the locks of the plan on the page, whichever way that plan came there.

Walk W32: after 开始规划 the box still showed V006 and V044 locked (the widget kept its own value) while the new
plan had no lock, and the version saved had none. The box now starts from the plan it sits under each time a
different plan comes on the page (planned, re-planned, opened, uploaded), and its caption says that a lock in
force is saved with the plan and kept by 开始规划 too (:mod:`planner.routing.locks`).
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from pages.common_stops import stop_label
from planner.routing.locks import plan_locks

#: The box's widget key, and the key of the plan (its ``id``) the box's value belongs to.
LOCK_BOX, LOCK_BOX_PLAN = "pl_locked", "pl_locked_plan"


def lock_box(doc, named: Mapping[str, str], how: str) -> list[str]:
    """The lock box under plan ``doc`` (inside the page's re-plan form): its stops named as on 行程 (``named``),
    ``how`` the words for the way 重新规划其余走访点 plans; returns the stops chosen to lock."""
    if st.session_state.get(LOCK_BOX_PLAN) != id(doc):  # another plan came on the page: its own locks, not the last
        st.session_state.pop(LOCK_BOX, None)
        st.session_state[LOCK_BOX_PLAN] = id(doc)
    st.caption(
        f"锁定在点击“重新规划其余走访点”后生效（{how}）；生效的锁定随方案保存，重新打开计划时仍在；"
        "上方“开始规划”重新规划全部走访点时，锁定的点仍保持组和日期。"
    )
    return st.multiselect(
        "锁定（已走访或已约定：重新规划时保持组、日期，开始时间在原定时间前后半小时内，锁定点之间的先后顺序不变）",
        sorted(doc.plan.planned_visit_ids()),
        default=list(plan_locks(doc)),
        key=LOCK_BOX,
        placeholder="选择要锁定的走访点",
        help="已记录结果的走访点总是锁定，组、日期、顺序和时间都不变；当天最后一个已走访点之前的其他"
        "点，锁定的保持原样，未锁定的重新安排。已走访的组从最后一个已走访点接着走。",
        format_func=lambda v: stop_label(v, named),
    )
