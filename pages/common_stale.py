"""A form's record moved on since it was loaded: by someone else (say so), or by the user's own save (reload quietly).

Walk W17: after a coordinator's own correction withdrew a 澄清函, 回访跟踪 said "这条记录已被他人修改" on that
letter's correction form. :func:`form_version` remembers, with the version a form loaded, the latest line of the
record's 修改记录; when the version has moved on and every change since is the user's own
(:func:`planner.followup.form_versions.only_own_changes`), the form is reloaded from the record as it is now.
"""

from __future__ import annotations

import streamlit as st

from pages.common import engine
from planner.followup.form_versions import last_change, only_own_changes
from planner.store.database import session_scope


def form_version(prefix: str, version: int, kind: str, record_id: int | str, who: str) -> tuple[int, bool]:
    """(the version the form ``prefix`` works on, whether someone else changed the record since it was loaded).

    Call before any widget of the form is drawn: a record moved on by ``who``'s own saves only drops the form's
    widget values (``prefix``…), so they load from the record again, at its current ``version``."""
    seen = st.session_state.get(prefix + "version")
    if seen is None or seen == version:
        if seen is None:
            with session_scope(engine()) as session:
                st.session_state[prefix + "since"] = last_change(session, kind, record_id)
            st.session_state[prefix + "version"] = version
        return version, False
    with session_scope(engine()) as session:
        own = only_own_changes(session, kind, record_id, int(st.session_state.get(prefix + "since") or 0), who)
        latest = last_change(session, kind, record_id) if own else 0
    if not own:
        return seen, True
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]
    st.session_state[prefix + "version"], st.session_state[prefix + "since"] = version, latest
    return version, False
