"""Xiafang (下访) Streamlit entry point: page config, navigation, session state, demo data, login gate."""

from __future__ import annotations

import logging
import os

import streamlit as st

from pages.common import ROOT, Key, pages_for

st.set_page_config(page_title="下访", page_icon=str(ROOT / "static" / "favicon.png"), layout="wide")
# .streamlit/config.toml starts with the sidebar navigation off, so that a first start never lists the pages
# folder's file names before the line below runs; the app's own navigation (st.navigation) needs it on.
st.set_option("client.showSidebarNavigation", True)

# The account as the navigation is drawn for (the login gate re-reads it from the database further down).
nav_actor = st.session_state.get(Key.ACTOR)
sections: dict[str, list] = {}
for section, path, title, icon in pages_for(nav_actor):
    sections.setdefault(section, []).append(st.Page(path, title=title, icon=icon, default=path.endswith("home.py")))

# Navigation is registered first, before anything slow (imports, the database, the demo register): until it is,
# Streamlit lists the pages folder's file names (app, case map, common, login …) in the sidebar, which a first
# start on a new server showed for a second. It is registered before the login gate too (so a deep link never falls
# back to that listing) but stays hidden until someone is signed in.
signed_in = nav_actor is not None
# expanded: every page is listed (by default Streamlit hides all past the tenth behind an English "View 3 more",
# which hid 设置, 检查组 and 用户管理 from the office).
nav = st.navigation(sections, position="sidebar" if signed_in else "hidden", expanded=True)

from pages.common import (  # noqa: E402
    chinese_ui,
    engine,
    init_state,
    no_address_lookup,
    note_refused_page,
    phone_layout,
    remember_refused_page,
    show_error,
    show_refused_downloads,
    warm_analysis,
)
from pages.login import require_login  # noqa: E402
from planner.errors import USER_ERRORS  # noqa: E402
from planner.intake.demo_seed import load_demo_if_empty  # noqa: E402
from planner.office import logs as logging_setup  # noqa: E402
from planner.office.security import DEMO_ENV  # noqa: E402

no_address_lookup()  # Streamlit's public-address lookup asks checkip.amazonaws.com: nothing leaves the machine
init_state()
phone_layout()
chinese_ui()


@st.cache_resource(show_spinner=False)
def _masked_logs() -> None:
    """Mask phone and ID numbers in every log line of the server process (once per process)."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging_setup.install()
    logging_setup.install_tree("streamlit")


@st.cache_resource(show_spinner="正在载入演示数据……")
def _load_demo_once(url: str) -> None:
    """Fill an empty database with the demo register, once per database and process."""
    load_demo_if_empty(engine())


_masked_logs()
# XIAFANG_DEMO=0 (an office's own installation) never loads the demo register.
if os.environ.get(DEMO_ENV, "").strip() != "0":
    try:
        _load_demo_once(str(engine().url))
    except USER_ERRORS as exc:
        show_error(exc)
warm_analysis()  # 关联分析's dictionaries and meaning model load in the background while the office signs in
refused = show_refused_downloads()  # a download refused at click (account stopped, rights changed) says why, once
# require_login shows the login form and stops the script until someone is signed in.
st.session_state[Key.ACTOR] = require_login(engine())
if not signed_in or pages_for(st.session_state[Key.ACTOR]) != pages_for(nav_actor):
    # Show the navigation now; or draw it again for the account's new role (walk W4: a leader made 干部 still had
    # 选件 in the menu and, on the first click, the 选件 page under a banner saying 首页 was opened).
    st.session_state[Key.REFUSED_DOWNLOADS] = refused  # said in the run that stays on screen
    if signed_in:
        remember_refused_page(st.session_state[Key.ACTOR], nav.url_path)  # the page clicked, if no longer open
    st.rerun()
note_refused_page(st.session_state[Key.ACTOR])  # a link to a page this role may not open says so, once
nav.run()
