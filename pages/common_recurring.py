"""关联分析 › 多发问题: the same complaint told alike at several places, each place's own matter (walks W19, W21).

Read only: the groups stay as the engine and the leaders made them (planner.analysis.recurring)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

import pandas as pd
import streamlit as st

from planner.analysis.recurring import MIN_PLACES, READING, recurring
from planner.office.privacy import mask_free_text, md_text

_CACHE = "cl_recurring"


def _patterns(result: object, within: Collection[str]) -> tuple:
    """:func:`recurring` of this analysis, once per analysis (a rerun of the page does not search again)."""
    got = st.session_state.get(_CACHE)
    key = frozenset(within)
    if got is not None and got[0] is result and got[1] == key:
        return got[2]
    found = recurring(result, within=key)
    st.session_state[_CACHE] = (result, key, found)
    return found


def _row_height(texts: list[tuple[str, int]]) -> int | None:
    """Rows tall enough for the longest of ``texts`` (each with the characters a line of its column holds) to wrap
    in full (walk: the 11 counties of a pattern were cut off), as 同类问题's table does."""
    lines = max((-(-len(t) // per) for t, per in texts), default=1)
    return None if lines <= 1 else max(72, 12 + 22 * min(lines, 6))


def show_recurring(result: object, by_no: Mapping[str, object], summary: Callable[[object], str],
                   issue_text: Callable[[str], str]) -> None:
    """The 多发问题 tab: ``by_no`` the letters this account sees, ``summary`` a letter's masked first words,
    ``issue_text`` a group's words as the page names it."""
    st.caption(READING + f" 这里列出在 {MIN_PLACES} 个以上地点说法相同或换了说法但意思相同的反映（地名、人名不计），"
               "按涉及区县数、件数排列；已判定为同一问题的（如跨县系统性问题）见“同类问题”。")
    found = _patterns(result, set(by_no))
    if not found:
        st.info(f"没有在 {MIN_PLACES} 个以上地点以相同说法或相同意思反映的问题。")
        return
    height = _row_height([(p.label, 20) for p in found] + [("、".join(p.counties), 18) for p in found])
    st.dataframe(
        pd.DataFrame([
            {
                "反映内容（各地说法相同）": mask_free_text(p.label),
                "件数": p.size,
                "地点": len(p.places),
                "区县": len(p.counties),
                "涉及区县": "、".join(p.counties),
                "问题组": len(p.issues),
            }
            for p in found
        ]),
        hide_index=True,
        width="stretch",
        key="cl_recurring_table",
        row_height=height,
        # Every pattern without scrolling inside the table (its own height stops at about 400 px).
        height=min(900, 40 + len(found) * (height or 35)),
        column_config={
            # Together 880 px, the table's width at 1366 px beside the menu, as the other tabs' tables.
            "反映内容（各地说法相同）": st.column_config.TextColumn(width=300),
            "件数": st.column_config.NumberColumn(width=56),
            "地点": st.column_config.NumberColumn(width=56),
            "区县": st.column_config.NumberColumn(width=56),
            "涉及区县": st.column_config.TextColumn(width=280),
            "问题组": st.column_config.NumberColumn(width=64, help="这些信件各自所在的问题组数（各地各自的问题）"),
        },
    )
    for k, p in enumerate(found):
        title = (f"{mask_free_text(p.label)}　{p.size} 件 · {len(p.places)} 个地点 · {len(p.counties)} 个区县"
                 "（各地各自的问题）")
        with st.expander(md_text(title), expanded=False):
            st.markdown("**为什么算作同一种说法：** " + md_text(p.why))
            st.markdown("**区县：** " + md_text("、".join(p.counties)))
            st.markdown("**地点：** " + md_text("、".join(p.places)))
            rows = [
                {
                    "信访件": pl.letter_id,
                    "区县": pl.county,
                    "地点": pl.place,
                    "所在问题组（各自一组）": issue_text(pl.issue_id),
                    "反映内容": summary(by_no[pl.letter_id]) if pl.letter_id in by_no else "",
                }
                for pl in p.letters
            ]
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=f"cl_recurring_{k}")
