"""Xiafang (下访) Streamlit entry point: page config, session state, login gate, demo data, navigation."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from types import SimpleNamespace

import streamlit as st

from pages.common import PAGES, ROOT, Key, engine, init_state, show_error
from planner.errors import XiafangError

st.set_page_config(page_title="下访", page_icon=str(ROOT / "static" / "favicon.png"), layout="wide")
init_state()


def _demo_actor() -> object:
    """The actor used when no login page exists yet (single-user local mode)."""
    try:
        from planner.security import Actor

        return Actor(username="demo", role="admin", team_ids=(), can_unmask=False)
    except (ImportError, TypeError):
        return SimpleNamespace(username="demo", role="admin", team_ids=(), can_unmask=False)


@st.cache_resource(show_spinner="正在载入演示数据……")
def _load_demo_once(url: str) -> None:
    """Fill an empty database with the demo register, once per database and process."""
    if importlib.util.find_spec("planner.demo") is None:
        return
    load = getattr(importlib.import_module("planner.demo"), "load_demo_if_empty", None)
    if load is not None:
        load(engine())


try:
    _load_demo_once(str(engine().url))
except XiafangError as exc:
    show_error(exc)

sections: dict[str, list] = {}
for section, path, title, icon in PAGES:
    if (ROOT / path).exists():
        sections.setdefault(section, []).append(st.Page(path, title=title, icon=icon, default=path.endswith("home.py")))

if not sections:
    st.title("下访")
    st.info("页面尚未安装。")
    st.stop()

if (ROOT / "pages" / "login.py").exists():
    from pages.login import require_login

    # Navigation is registered before the login gate (so a deep link never falls back to Streamlit's
    # pages-folder listing) but stays hidden until someone is signed in.
    signed_in = st.session_state.get(Key.ACTOR) is not None
    nav = st.navigation(sections, position="sidebar" if signed_in else "hidden")
    # require_login shows the login form and stops the script until someone is logged in.
    actor = require_login(engine()) if inspect.signature(require_login).parameters else require_login()
    st.session_state[Key.ACTOR] = actor
    if not signed_in:
        st.rerun()  # show the navigation now
else:
    if st.session_state.get(Key.ACTOR) is None:
        st.session_state[Key.ACTOR] = _demo_actor()
    nav = st.navigation(sections)

nav.run()
