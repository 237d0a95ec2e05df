"""Shared page helpers: the session-state key enum, the cached engine, guards and error display.

Every page imports from here; the helpers are stable (add, never rename).

``Key``
    One enum member per ``st.session_state`` key. Session state is a small cursor (who, which plan, which
    filters), not a database. Other areas may add members (additive edits only).
``init_state()``
    Set the default of every key that is not yet set (``app.py`` calls it on each run).
``engine() -> sqlalchemy.Engine``
    The migrated engine for the configured database (``DATABASE_URL`` or the SQLite file in
    ``XIAFANG_DATA_DIR``), cached per URL with ``st.cache_resource``.
``current_actor()``, ``actor_name()``
    The logged-in ``planner.office.security.Actor`` (or the demo actor when no login page exists); its user name
    for ``who=`` arguments.
``page_actor(page)``
    The signed-in actor after ``planner.office.authorisation.authorise`` for the page's row of the permission
    matrix; otherwise the refusal is shown and the page stops. Every page starts with it.
``guard(condition, message, link_page=None, *, label=None)``
    If ``condition`` is false: show ``message`` (what must exist first), a ``st.page_link`` to the page that
    makes it, and stop the script. Example: ``guard(cases, "请先导入信访件登记表。", PAGE_IMPORT)``.
``show_error(exc)``, ``stop_with_error(exc)``, ``error_hint(exc)``
    Show a ``planner.errors.XiafangError`` as ``st.error`` with what to fix (hint by error class); re-raises
    anything else (bugs must not be disguised as user mistakes). ``stop_with_error`` also stops the script.
``page_link(page, label=None, icon=None)``
    ``st.page_link`` that degrades to text when the page file is missing or not routed (AppTest).
``clear_after(stage)``
    Changing an earlier stage clears later results: ``clear_after("select")`` drops the plan and
    itinerary keys but keeps the selection. Stages in order: ``STAGES``.
``visible_cases(session, actor, **filters)``, ``cases_version(session)``
    The cases an actor may see (cached until the table changes); a cheap fingerprint of the cases table.
``today()``
    Today's date (tests may pin it with ``st.session_state[Key.TODAY]``).
``start_page(actor)``, ``phone_layout()``, ``chinese_ui()``
    The page a role lands on after signing in (``START_PAGES``); the phone style and behaviour of every page.
``PAGE_*`` constants, ``PAGES``, ``PAGE_TITLES``, ``no_cases``
    Paths of the page files (for ``st.page_link`` and ``guard``); the routing table ``app.py`` uses
    (section, path, title, icon); the guard message for "no visible case".

Importing this module also makes sure a deep link (e.g. ``/case_map``) on a freshly started server runs
through ``app.py`` (see ``_leave_legacy_pages_mode``).
"""

from __future__ import annotations

import datetime as dt
import threading
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn

import streamlit as st
from sqlalchemy import Engine

from geodata.errors import GeodataError
from planner.errors import (
    USER_ERRORS,
    CaseHeldError,
    ConflictError,
    InfeasibleError,
    InputError,
    NotFoundError,
    PermissionDenied,
    RecordHeldError,
)
from planner.office.clock import local_today

ROOT = Path(__file__).resolve().parents[1]


def _leave_legacy_pages_mode() -> None:
    """Make sure ``app.py`` (and its ``st.navigation``) runs, even on the first request after a restart.

    Because the page files live in ``pages/``, Streamlit starts each server process in its legacy
    "pages directory" mode and, until ``st.navigation`` has been called once, runs a deep link such as
    ``/case_map`` directly — without ``app.py``'s login gate and demo data. Every page imports this module,
    so switching the flag off here and rerunning sends that first request through ``app.py``.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:  # pragma: no cover - streamlit internals moved
        return
    if PagesManager.uses_pages_directory and get_script_run_ctx(suppress_warning=True) is not None:
        PagesManager.uses_pages_directory = False
        st.rerun()


_leave_legacy_pages_mode()

PAGE_HOME = "pages/home.py"
PAGE_IMPORT = "pages/import_register.py"
PAGE_CASE_MAP = "pages/case_map.py"
PAGE_CLUSTERS = "pages/clusters.py"
PAGE_SELECTION = "pages/selection.py"
PAGE_PLANNING = "pages/planning.py"
PAGE_ITINERARY = "pages/itinerary.py"
PAGE_FOLLOWUP = "pages/followup.py"
PAGE_STATISTICS = "pages/figures.py"
PAGE_SETTINGS = "pages/settings.py"
PAGE_USERS = "pages/users.py"
PAGE_PLACES = "pages/places.py"
PAGE_TEAMS = "pages/teams.py"


class Key(StrEnum):
    """Every ``st.session_state`` key used by the app (values are the literal keys)."""

    ACTOR = "actor"  # planner.office.security.Actor of the logged-in user
    TODAY = "today"  # optional datetime.date override (tests, demos)
    IMPORT_RESULT = "import_result"  # result of the last register import
    FILTERS = "filters"  # case-map filters: dict
    SELECTED_CASE = "selected_case"  # case_no clicked on the case map
    MAP_LAST_CLICK = "map_last_click"  # last clicked tooltip already handled (st_folium repeats it on reruns)
    CLUSTER_RESULT = "cluster_result"  # result of planner.analysis for the current cases
    SELECTED_CLUSTER = "selected_cluster"  # cluster_id open on the clusters page
    SELECTED_CASES = "selected_cases"  # case_nos chosen for a trip (选件)
    VISITS = "visits"  # list[planner.domain.Visit] built from the selection
    PLAN_ID = "plan_id"  # id of the saved plan being viewed/edited
    PLAN_DOC = "plan_doc"  # planner.routing.planio.PlanDocument of the current plan
    ITINERARY_TEAM = "itinerary_team"  # team_id shown on the itinerary page
    ITINERARY_DATE = "itinerary_date"  # date shown on the itinerary page
    SESSION_TOKEN = "session_token"  # planner.office.security.SessionToken of the login (expiry)
    BROWSER_TOKEN = "browser_token"  # the random token of the sign-in's cookie (survives a reload)
    FOLLOWUP_CASE = "followup_case"  # case_no open on 回访跟踪 (other pages may set it to jump there)
    STATS = "stats"  # planner.followup.stats.Stats shown on 统计
    FLASH = "flash"  # one-shot success message shown after a write and st.rerun()
    TRIP = "trip"  # planner.routing.advice.PlanRequest chosen on 选件 (teams, working days, start date)
    ITINERARY_SAVED = "itinerary_saved"  # one-shot {"draft", "text"} after an outcome is saved from a stop on 行程
    REFUSED_DOWNLOADS = "refused_downloads"  # why downloads were refused at click (live_download), shown next run


#: Defaults, as factories so that no mutable default is shared between sessions.
_DEFAULTS: dict[Key, Any] = {
    Key.ACTOR: lambda: None,
    Key.IMPORT_RESULT: lambda: None,
    Key.FILTERS: dict,
    Key.SELECTED_CASE: lambda: None,
    Key.MAP_LAST_CLICK: lambda: None,
    Key.CLUSTER_RESULT: lambda: None,
    Key.SELECTED_CLUSTER: lambda: None,
    Key.SELECTED_CASES: list,
    Key.VISITS: list,
    Key.PLAN_ID: lambda: None,
    Key.PLAN_DOC: lambda: None,
    Key.ITINERARY_TEAM: lambda: None,
    Key.ITINERARY_DATE: lambda: None,
    Key.SESSION_TOKEN: lambda: None,
    Key.BROWSER_TOKEN: lambda: None,
    Key.FOLLOWUP_CASE: lambda: None,
    Key.STATS: lambda: None,
    Key.FLASH: lambda: None,
    Key.TRIP: lambda: None,
    Key.ITINERARY_SAVED: lambda: None,
    Key.REFUSED_DOWNLOADS: list,
}

#: Work order; each stage owns the keys it produces. ``clear_after(stage)`` resets the keys of later stages.
STAGES: tuple[tuple[str, tuple[Key, ...]], ...] = (
    ("import", (Key.IMPORT_RESULT,)),
    ("cluster", (Key.CLUSTER_RESULT, Key.SELECTED_CLUSTER)),
    ("select", (Key.SELECTED_CASES, Key.VISITS, Key.TRIP)),
    ("plan", (Key.PLAN_ID, Key.PLAN_DOC)),
    ("itinerary", (Key.ITINERARY_TEAM, Key.ITINERARY_DATE)),
)
_STAGE_NAMES = tuple(name for name, _ in STAGES)


def init_state() -> None:
    """Give every unset key its default (never overwrites what a page or a test put there)."""
    for key, factory in _DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = factory()


def clear_after(stage: str) -> list[Key]:
    """Reset the keys of every stage after ``stage`` to their defaults.

    Parameters
    ----------
    stage
        One of ``"import"``, ``"cluster"``, ``"select"``, ``"plan"``, ``"itinerary"``.

    Returns
    -------
    list[Key]
        The keys that were reset.

    Raises
    ------
    InputError
        If ``stage`` is unknown.
    """
    if stage not in _STAGE_NAMES:
        raise InputError(f"不认识的工作阶段 {stage!r}；应为 {'、'.join(_STAGE_NAMES)} 之一")
    later = _STAGE_NAMES.index(stage) + 1
    cleared: list[Key] = []
    for _name, keys in STAGES[later:]:
        for key in keys:
            st.session_state[key] = _DEFAULTS.get(key, lambda: None)()
            cleared.append(key)
    return cleared


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    from planner.store.database import get_engine

    return get_engine(url)


def engine() -> Engine:
    """The migrated engine of the configured database, shared by all sessions (cached per URL)."""
    from planner.store.database import database_url

    try:
        return _engine_for(database_url())
    except USER_ERRORS as exc:  # the database cannot be reached: one line in Chinese, not a traceback
        stop_with_error(exc)


def sign_in(actor: Any, eng: Engine | None = None) -> None:
    """Sign ``actor`` in for this browser session and remember it in the browser (a reload keeps it).

    The cookie itself is written by the login gate's sidebar (``pages/login.py``) from ``Key.BROWSER_TOKEN``.
    """
    from planner.office import security
    from planner.office.browser_sessions import open_browser_session
    from planner.store.database import session_scope

    token = security.SessionToken.issue(actor)
    st.session_state[Key.ACTOR] = actor
    st.session_state[Key.SESSION_TOKEN] = token
    if actor == security.DEMO_ACTOR:
        return
    with session_scope(eng or engine()) as s:
        st.session_state[Key.BROWSER_TOKEN] = open_browser_session(s, token)


def live_download(build: Any, actor: Any, token: Any, eng: Engine) -> Any:
    """``data=`` for ``st.download_button``: a callable that, when clicked, first re-checks the session.

    Streamlit runs the callable in another thread when the button is pressed (nothing is prepared before). It
    calls :func:`planner.office.security.authorise_live` with the ``actor`` and session ``token`` of the run that
    drew the button (idle limit, account still active, rights unchanged), then ``build()``. A refusal raises, so the
    browser gets no file; it is also kept for the page (:func:`show_refused_downloads`) and the page is run again at
    once, so the user reads why and sees the page as the account's rights now allow (walk W4: Streamlit's own note
    under the button went after five seconds, and the page kept showing the other team's itinerary).

    Call it while the page runs (not inside the click): it remembers which browser session to tell, and that
    browser's sign-in, which a password reset or signing out elsewhere ends (walk W6: files still came after a reset).
    """
    refused = _refusal_note()
    browser = _browser_token()

    def run() -> Any:
        from planner.office.browser_sessions import authorise_session
        from planner.store.database import session_scope

        try:
            with session_scope(eng) as session:
                authorise_session(session, actor, token, browser)
        except PermissionDenied as exc:
            refused(str(exc))
            raise
        return build()

    return run


def _browser_token() -> str | None:
    """This browser's sign-in (:attr:`Key.BROWSER_TOKEN`); None outside a Streamlit run (library tests)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        return st.session_state.get(Key.BROWSER_TOKEN) if get_script_run_ctx(suppress_warning=True) else None
    except Exception:  # pragma: no cover - outside a Streamlit run
        return None


def live_actor(action: str, doing: str = "保存", objs: tuple[object, ...] = ()) -> Any:
    """In a widget callback that writes (``on_click=``, ``on_change=``): the account as it is now, allowed ``action``
    (a key of ``planner.office.authorisation.ACTIONS``) on ``objs`` (``TeamRef``, ``CaseRef`` … of what is written);
    None when it is not, the reason then said at the top of the page, once (:func:`show_refused_downloads`: 未保存：…).
    A change of the account that leaves that right intact (a new display name, a team added) does not refuse it.

    Streamlit runs a callback before the script, so before ``app.py``'s login gate re-reads the account: the page's
    ``actor`` is the one of the previous run (walk W6: an officer moved to another team, deactivated or whose password
    was reset still saved a visit's outcome, as that officer). The session and the account are checked against the
    database here, as a download is at click (:func:`planner.office.browser_sessions.authorise_session`); write with
    the account returned.
    """
    from planner.office.browser_sessions import authorise_session
    from planner.store.database import session_scope

    try:
        with session_scope(engine()) as session:
            return authorise_session(session, current_actor(), st.session_state.get(Key.SESSION_TOKEN),
                                     _browser_token(), action=action, doing=doing, objs=objs)
    except PermissionDenied as exc:
        box = st.session_state.get(Key.REFUSED_DOWNLOADS)
        if not isinstance(box, list):
            box = st.session_state[Key.REFUSED_DOWNLOADS] = []
        box.append(f"未{doing}：{exc}")
        return None


def _refusal_note() -> Any:
    """A function for the click's thread: keep a refusal's text for this browser session and rerun the session.

    The click runs outside the script, without ``st.session_state``: the list it appends to is this session's own
    (:attr:`Key.REFUSED_DOWNLOADS`, fetched now), and the rerun is asked of this session's Streamlit ``AppSession``
    the way Streamlit's own run-on-save does (same page, widget values kept).
    """
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx(suppress_warning=True)
        box = st.session_state.get(Key.REFUSED_DOWNLOADS) if ctx is not None else None
        if ctx is not None and not isinstance(box, list):
            box = st.session_state[Key.REFUSED_DOWNLOADS] = []
        session_id = ctx.session_id if ctx is not None else None
    except Exception:  # pragma: no cover - outside a Streamlit run (library tests)
        box, session_id = None, None

    def note(text: str) -> None:
        if box is None or session_id is None:
            return
        if text not in box:
            box.append(text)
        _rerun_session(session_id)

    return note


def _rerun_session(session_id: str) -> None:
    """Ask the browser session ``session_id`` to run its page again (from any thread; nothing when it is gone)."""
    try:
        from streamlit import runtime

        if not runtime.exists():
            return
        app_session = runtime.get_instance().get_app_session(session_id)
        if app_session is None:
            return
        # AppSession's methods belong to the server's event loop; the last run's client state keeps the page.
        app_session._event_loop.call_soon_threadsafe(
            lambda: app_session.request_rerun(app_session._client_state)
        )
    except Exception:  # a Streamlit without these internals: the note waits for the user's next click
        import logging

        logging.getLogger(__name__).warning("下载被拒后未能刷新页面（会话 %s）", session_id, exc_info=False)


#: Refusals kept with their own first words (:func:`live_actor`); the others are downloads (未下载：).
_OWN_LEADS = ("未保存：",)


def show_refused_downloads() -> list[str]:
    """Show, once, why a download of this session was refused at click (``app.py`` calls it each run, before the
    login gate: an account stopped meanwhile lands on the login form, which then says why there was no file).

    Returns the texts shown (a run that is started again before it ends puts them back to be shown then).
    """
    box = st.session_state.get(Key.REFUSED_DOWNLOADS)
    if not box:
        return []
    texts = list(dict.fromkeys(box))
    box.clear()
    for text in texts:
        said = text if text.startswith(_OWN_LEADS) else f"未下载：{text}"  # a write refused says it (live_actor)
        st.error(said, icon=":material/block:")
        st.toast(said, icon=":material/block:", duration="long")
    return texts


def current_actor() -> Any:
    """The actor stored under :attr:`Key.ACTOR` (set by ``app.py``'s login gate)."""
    return st.session_state.get(Key.ACTOR)


def page_actor(page: str) -> Any:
    """The signed-in actor, authorised for ``page``'s row of the permission matrix; else show why and stop.

    Every page calls this first (``actor = page_actor(PAGE_PLANNING)``): the action a page needs is the one in
    ``planner.office.authorisation.MATRIX``, and nobody signed in (no actor) is refused.
    """
    from planner.office.authorisation import authorise, entry

    actor = current_actor()
    try:
        row = entry("page", page)
        if row.action is not None:
            authorise(actor, row.action)
    except PermissionDenied as exc:
        stop_with_error(exc)
    return actor


def actor_name() -> str:
    """User name of the current actor, for ``who=`` arguments ("" when nobody is logged in)."""
    actor = current_actor()
    return str(getattr(actor, "username", actor or ""))


def today() -> dt.date:
    """Today's date, or the date pinned under :attr:`Key.TODAY`."""
    pinned = st.session_state.get(Key.TODAY)
    return pinned if isinstance(pinned, dt.date) else local_today()


def page_link(page: str, label: str | None = None, icon: str | None = None) -> None:
    """``st.page_link`` that degrades to plain text when the page is not routed (missing file, AppTest)."""
    if not (ROOT / page).exists():
        st.caption(f"（{label or page} 尚未提供）")
        return
    try:
        st.page_link(page, label=label, icon=icon)
    except Exception:
        st.markdown(f"→ {label or page}")


def guard(condition: object, message: str, link_page: str | None = None, *, label: str | None = None) -> None:
    """Stop the page with a hint when what it needs does not exist yet.

    Parameters
    ----------
    condition
        Anything truthy means the prerequisite exists and the page goes on.
    message
        What must exist first, in Chinese (e.g. "请先导入信访件登记表。").
    link_page
        Path of the page that makes it (a ``PAGE_*`` constant); a link is shown.
    label
        Link text; defaults to "前往" + the page's title.
    """
    if condition:
        return
    st.info(message)
    if link_page and _may_open(link_page):
        page_link(link_page, label=label or f"前往{PAGE_TITLES.get(link_page, link_page)}")
    st.stop()


def _may_open(page: str) -> bool:
    """Whether the signed-in actor may open ``page`` (a link to a page that would refuse them helps nobody)."""
    from planner.office.authorisation import authorise, entry

    try:
        row = entry("page", page)
        if row.action is not None:
            authorise(current_actor(), row.action)
    except PermissionDenied:
        return False
    except Exception:  # a page outside the matrix: show the link as before
        return True
    return True


_HINTS: tuple[tuple[type[ValueError], str], ...] = (
    (CaseHeldError, ""),  # another team's plan holds the letters: the refusal names it and says what to do (W32)
    (PermissionDenied, "当前账号无此权限，请联系管理员。"),
    (ConflictError, "请刷新页面，看过最新内容后再操作。"),
    (NotFoundError, "未找到所需记录，请检查编号或先完成前一步。"),
    (InfeasibleError, "按当前条件无法排出计划，请放宽时间窗、增加组或天数。"),
    # The refusal names who corrected or issued what and whom to ask: "修改输入后重试" would mislead (task S49b).
    (RecordHeldError, ""),
    (InputError, "请按提示修改输入后重试。"),
    (GeodataError, "请检查地名代码或坐标后重试。"),
)


def error_hint(exc: ValueError) -> str:
    """The "what to do" sentence for an error class."""
    return next((hint for cls, hint in _HINTS if isinstance(exc, cls)), "请检查输入后重试。")


def show_error(exc: BaseException) -> None:
    """Show a user-fixable error as ``st.error`` (message + what to do); re-raise anything else.

    Use as::

        try:
            result = library_call(...)
        except USER_ERRORS as exc:
            show_error(exc)
            st.stop()
    """
    if not isinstance(exc, USER_ERRORS):
        raise exc
    from planner.office.privacy import md_text

    # Messages quote the bad value (a register cell, a file name): shown as text, never as Markdown.
    hint = error_hint(exc)
    st.error(f"{md_text(exc)}\n\n{hint}" if hint else md_text(exc), icon="⚠️")


def show_db_failure(exc: BaseException, what: str) -> None:
    """A write the database refused: busy (another program holds a lock) or unreachable says so in Chinese, and that
    ``what`` (本次导入 …) wrote nothing, the transaction having been rolled back; any other database error asks for
    the administrator. The log gets the error's kind and first line only, never the statement or its values (a
    register row's cells name petitioners). Walk W33: a locked database showed Streamlit's English error page."""
    import logging

    from sqlalchemy.exc import InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from planner.office.logs import mask_personal_text

    first = next(iter(str(getattr(exc, "orig", None) or "").splitlines()), "")[:200]
    logging.getLogger(__name__).warning("%s未完成，未写入：数据库错误 %s（%s）", what, type(exc).__name__,
                                        mask_personal_text(first))
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
        st.error(f"数据库忙或暂时不可用（可能有其他程序正在使用），{what}未写入任何内容，请稍后重试。", icon="⚠️")
    else:
        st.error(f"{what}未能完成：数据库出错，未写入任何内容。详情已记入日志，请联系管理员。", icon="⚠️")


def office_settings(session: Any) -> Any:
    """The office's settings (:func:`planner.office.settings.usable_settings`); a stored value that could not be used
    as stored is named in a warning, with who can correct it, and the page goes on with the rest as stored."""
    from planner.office.privacy import md_text
    from planner.office.settings import usable_settings

    settings, notes = usable_settings(session)
    if notes:
        named = "；".join(n.text() for n in notes)
        st.warning(md_text(f"设置中有保存值无法按原值使用，这里按最接近的可用值计算：{named}。请管理员或协调员到“设置”页核对后保存。"),
                   icon=":material/tune:")
    return settings


def stop_with_error(exc: BaseException) -> NoReturn:
    """:func:`show_error` then ``st.stop()``."""
    show_error(exc)
    st.stop()
    raise AssertionError("unreachable")  # st.stop raises; keeps type checkers honest


def no_cases(actor: Any) -> str:
    """Why ``actor`` sees no letter, and what happens next, for their role: who imports is told to import; a team's
    leader or officer that the team has none yet (walk M: an officer was told to import, which only the office may)."""
    from planner.office.authorisation import is_allowed, team_scope

    if is_allowed(actor, "import"):
        return "没有可查看的信访件：请先导入信访件登记表。"
    if is_allowed(actor, "plan"):  # a leader sees every letter no plan holds yet: none means none imported
        return "没有可查看的信访件：请先导入信访件登记表（由协调员或管理员导入）。"
    scope = team_scope(actor)
    if scope is not None and not scope:
        return "本账号还没有分到检查组：干部只能查看本组的信访件，请管理员在“用户管理”中设置所属检查组。"
    if scope is not None:
        return "本组还没有可查看的信访件：协调员导入登记表、组长把信访件排入本组的下访计划后，这里会列出本组的信访件。"
    return "没有可查看的信访件：请协调员先导入信访件登记表。"

#: Page files in work order, with Chinese titles and navigation sections (``app.py`` routes the existing ones).
PAGES: tuple[tuple[str, str, str, str], ...] = (
    # (section, path, title, icon)
    ("工作台", PAGE_HOME, "首页", ":material/home:"),
    ("案件", PAGE_IMPORT, "导入", ":material/upload_file:"),
    ("案件", PAGE_CASE_MAP, "案件地图", ":material/map:"),
    ("案件", PAGE_PLACES, "地名校准", ":material/edit_location_alt:"),
    ("案件", PAGE_CLUSTERS, "关联分析", ":material/hub:"),
    ("下访", PAGE_SELECTION, "选件", ":material/checklist:"),
    ("下访", PAGE_PLANNING, "路线规划", ":material/route:"),
    ("下访", PAGE_ITINERARY, "行程", ":material/event_note:"),
    ("跟踪", PAGE_FOLLOWUP, "回访跟踪", ":material/assignment_turned_in:"),
    ("跟踪", PAGE_STATISTICS, "统计", ":material/bar_chart:"),
    ("系统", PAGE_SETTINGS, "设置", ":material/settings:"),
    ("系统", PAGE_TEAMS, "检查组", ":material/groups:"),
    ("系统", PAGE_USERS, "用户管理", ":material/group:"),
)
PAGE_TITLES: dict[str, str] = {path: title for _s, path, title, _i in PAGES}


def pages_for(actor: Any) -> tuple[tuple[str, str, str, str], ...]:
    """The rows of :data:`PAGES` the navigation offers ``actor``: those its role may open (the permission matrix).

    Before sign-in (no actor) every page is registered, so that a deep link still runs through the login gate; the
    navigation is hidden then. A page left out is still guarded by :func:`page_actor` when reached another way.
    """
    if actor is None:
        return PAGES
    from planner.office.authorisation import entry, is_allowed

    return tuple(p for p in PAGES if (row := entry("page", p[1])).action is None or is_allowed(actor, row.action))

#: Where each role lands after signing in (never the page the browser's previous user left open).
START_PAGES: dict[str, str] = {"officer": PAGE_ITINERARY}


def start_page(actor: Any) -> str:
    """The page ``actor`` lands on after signing in: 行程 (today's route) for officers, 首页 for the others."""
    return START_PAGES.get(str(getattr(actor, "role", "")), PAGE_HOME)


def refused_page_text(actor: Any, url: str) -> str:
    """What to say when ``url`` names a page of the app that ``actor``'s role may not open, else ``""``.

    Walk J: an officer's link to /planning landed on another page with only Streamlit's "没有这个页面", as if the page
    did not exist; the page exists, the role may not open it."""
    from urllib.parse import urlparse

    wanted = urlparse(url or "").path.rstrip("/").rsplit("/", 1)[-1]
    if actor is None or not wanted:
        return ""
    names = {Path(path).stem: title for _s, path, title, _i in PAGES}
    if wanted not in names or wanted in {Path(p[1]).stem for p in pages_for(actor)}:
        return ""
    role = getattr(actor, "role_label", "") or str(getattr(actor, "role", ""))
    # st.navigation opens its default page (首页) for an address it does not offer.
    return f"“{names[wanted]}”页面不对{role}开放，已打开“{PAGE_TITLES[PAGE_HOME]}”。需要时请找管理员调整账户角色。"


def remember_refused_page(actor: Any, url_path: str) -> None:
    """Keep for the next run why the page at ``url_path`` (the one just asked for) will not open for ``actor``.

    ``app.py`` calls it when the menu the click came from was drawn for the account's old role: the next run opens
    首页 and :func:`note_refused_page` names the page asked for (the address then still names the page left)."""
    if text := refused_page_text(actor, "/" + url_path):
        st.session_state["_refused_page_pending"] = text


def note_refused_page(actor: Any) -> None:
    """Say once per session and link why a page named in the address was not opened (:func:`refused_page_text`)."""
    url = str(getattr(st.context, "url", "") or "")
    if pending := st.session_state.pop("_refused_page_pending", None):
        st.session_state["_refused_page_noted"] = url
        st.warning(pending, icon=":material/block:")
        return
    text = refused_page_text(actor, url)
    if text and st.session_state.get("_refused_page_noted") != url:
        st.session_state["_refused_page_noted"] = url
        st.warning(text, icon=":material/block:")


@st.cache_resource(show_spinner=False)
def _phone_js() -> str:
    return (ROOT / "static" / "phone.js").read_text(encoding="utf-8")


def phone_layout() -> None:
    """Give every page the phone style (``static/phone.css``: 16-px text, outdoor contrast, nothing wider than the
    screen) and behaviour (``static/phone.js``: the sidebar closes after navigating; outcome forms are kept on the
    phone until their save is confirmed). ``app.py`` calls it once per run."""
    st.html(ROOT / "static" / "phone.css")
    with st.container(key="xf_phone_js"):
        st.html(f"<script>{_phone_js()}</script>", unsafe_allow_javascript=True)


@st.cache_resource(show_spinner=False)
def _zh_js() -> str:
    return (ROOT / "static" / "zh.js").read_text(encoding="utf-8")


def chinese_ui() -> None:
    """Streamlit's own widget texts in Chinese (``static/zh.js``: Drag and drop, Browse files, Choose an option,
    No results …, as text and as placeholder/aria-label/title). ``app.py`` calls it once per run."""
    with st.container(key="xf_zh_js"):
        st.html(f"<script>{_zh_js()}</script>", unsafe_allow_javascript=True)


@st.cache_resource(show_spinner=False, max_entries=4)
def _gazetteer(url: str, version: str) -> Any:
    from planner.store.database import session_scope
    from planner.store.places import load_gazetteer

    with session_scope(_engine_for(url)) as session:
        return load_gazetteer(session)


def office_gazetteer(session: Any) -> Any:
    """The office gazetteer (imported, corrected and register-taught places) for maps' town seats; cached until the
    cases or places change (:func:`cases_version`)."""
    return _gazetteer(str(engine().url), cases_version(session))


def cases_version(session: Any) -> str:
    """Cheap fingerprint of the cases table and the office gazetteer: count and latest change of the cases (status
    changes touch updated_at), count and newest row of the places (a correction on the map adds one, even when it
    moves no case, and the case detail and the map's town seats must follow it)."""
    from sqlalchemy import func, select

    from planner.store.models import CaseRow, PlaceRow

    n, last = session.execute(select(func.count(CaseRow.id), func.max(CaseRow.updated_at))).one()
    places, newest = session.execute(select(func.count(PlaceRow.id), func.max(PlaceRow.id))).one()
    return f"{n}|{last}|{places}|{newest}"


@st.cache_data(show_spinner=False, ttl=600, max_entries=32)
def _cached_cases(url: str, actor_key: str, version: str, _actor: Any) -> list:
    """Cases for one actor and one state of the table (cache key: URL, actor, version)."""
    from planner.store.cases import load_cases
    from planner.store.database import session_scope

    with session_scope(_engine_for(url)) as session:
        return load_cases(session, actor=_actor) if _actor is not None else load_cases(session)


def visible_cases(session: Any, actor: Any, **filters: Any) -> list:
    """``planner.store.cases.load_cases`` for ``actor`` (only the cases that actor may see).

    Without filters the list is cached per actor until the cases table changes (count or last update), so
    that 10,000 letters are not re-read on every rerun. Nobody signed in (no actor) sees nothing.
    """
    from planner.store.cases import load_cases

    real = actor if actor is not None and type(actor).__name__ == "Actor" else None
    if real is None:
        return []
    if filters:
        return load_cases(session, actor=real, **filters) if real is not None else load_cases(session, **filters)
    key = "" if real is None else f"{real.username}|{real.role}|{','.join(real.team_ids)}"
    url = session.get_bind().url.render_as_string(hide_password=False)
    return list(_cached_cases(url, key, cases_version(session), real))


def encode_meaning(engine_, texts: list[str]) -> None:
    """Work out the meaning of letters never analysed before (planner.store.vectors: about 0.03 s a letter, once),
    with a progress bar that counts them; nothing when all are stored or the model is not available.

    Each piece is committed as it is done (:func:`planner.store.vectors.encode_missing`): the encoding holds no
    transaction open, and a page left or rerun before the end keeps what was finished."""
    from planner.store import vectors
    from planner.store.database import session_scope

    with session_scope(engine_) as s:
        todo = vectors.missing(s, texts)
    if not todo:
        return
    head = f"正在理解 {todo:,} 件新信件的内容，供关联分析使用（本机计算，每件约 0.03 秒，只需一次）"
    bar = st.progress(0.0, text=f"{head}……")
    vectors.encode_missing(engine_, texts, progress=lambda done, total: bar.progress(
        done / total, text=f"{head}：已完成 {done:,} / {total:,} 件"))
    bar.empty()


_ONE_AT_A_TIME: dict[str, threading.Lock] = {}
_ONE_AT_A_TIME_GUARD = threading.Lock()


def one_at_a_time(key: str) -> threading.Lock:
    """The server's lock for ``key`` (a form's id): hold it around a form callback's save. Streamlit's fast reruns
    start a second tap's run, and its callback, while the first run is still inside its own (walk W11: a double tap
    on 保存 ran two saves of one form side by side and the second was refused as 该记录 已被他人修改)."""
    with _ONE_AT_A_TIME_GUARD:
        return _ONE_AT_A_TIME.setdefault(key, threading.Lock())


@st.cache_resource(show_spinner=False)
def warm_analysis() -> threading.Thread:
    """Load 关联分析's dictionaries and meaning model in the background, once per server process
    (:func:`planner.analysis.warm.warm_up`), so that its first open does not wait for them."""
    from planner.analysis.warm import warm_up

    thread = threading.Thread(target=warm_up, name="xiafang-warm-analysis", daemon=True)
    thread.start()
    return thread


def no_address_lookup() -> None:
    """Nothing leaves the machine unless a user switched an online option on, Streamlit's own lookups included.

    Streamlit asks ``checkip.amazonaws.com`` for the machine's public address when it prints its URLs on a headless
    start (``.streamlit/config.toml`` sets ``browser.serverAddress`` so that it does not) and when a browser connects
    from an origin other than the page's own host (a reverse proxy naming the server otherwise). This makes that
    lookup answer "unknown" without asking anyone; such an origin is then refused unless it is listed in
    ``server.corsAllowedOrigins``, as Streamlit documents for servers without internet. Idempotent.
    """
    from streamlit import net_util

    net_util.get_external_ip = _no_address


def _no_address() -> None:
    return None
