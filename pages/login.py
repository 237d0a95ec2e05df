"""Login gate: ``require_login()`` shows the sign-in form and stops every page until someone is signed in."""

from __future__ import annotations

import os
from typing import NoReturn

import streamlit as st
from sqlalchemy import Engine
from streamlit.errors import StreamlitAPIException

from pages.common import Key, sign_in, start_page
from planner.errors import USER_ERRORS
from planner.office import browser_sessions, security
from planner.office.own_password import change_own_password, must_change
from planner.office.privacy import md_text
from planner.office.security import Actor, SessionToken
from planner.store.database import session_scope

#: One-shot flag: the last run signed out, so the sign-in form also clears the browser's cookie.
_CLEAR_COOKIE = "_clear_browser_cookie"
#: One-shot message for the sign-in form (the password was just changed).
_NOTICE = "_login_notice"
#: The cookie this connection came with, once its sign-in has ended: later runs neither resume it nor say so again.
_SPENT_COOKIE = "_spent_browser_cookie"


def _engine() -> Engine:
    from pages.common import engine as app_engine

    return app_engine()


def sign_out(eng: Engine | None = None) -> None:
    """Forget the signed-in user, this browser's remembered sign-in and every per-user cursor in session state."""
    raw = st.session_state.get(Key.BROWSER_TOKEN)
    if raw:
        with session_scope(eng or _engine()) as s:
            browser_sessions.end_browser_session(s, raw)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[_CLEAR_COOKIE] = True
    st.session_state[_SPENT_COOKIE] = _cookie()  # this connection's cookie is never resumed (nor told of) again


def _cookie() -> str:
    """The browser's sign-in cookie as sent when this session connected ("" when none or outside a browser)."""
    try:
        return str(st.context.cookies.get(browser_sessions.BROWSER_COOKIE) or "")
    except Exception:
        return ""


def _set_cookie(value: str) -> None:
    """Write (or with "" delete) the sign-in cookie: a session cookie for this app only, never sent cross-site.

    The value is our own URL-safe random token, so it needs no quoting inside the script.
    """
    if value and not browser_sessions._TOKEN_RE.fullmatch(value):
        return
    tail = "" if value else "; max-age=0"
    cookie = f"{browser_sessions.BROWSER_COOKIE}={value}; path=/; SameSite=Strict{tail}"
    st.html(f"<script>document.cookie = '{cookie}';</script>", unsafe_allow_javascript=True)


def _keep_cookie() -> None:
    """Write the sign-in cookie when this connection came without it (just signed in): a reload will send it."""
    raw = st.session_state.get(Key.BROWSER_TOKEN)
    if raw and _cookie() != raw:
        _set_cookie(raw)


def _sidebar(actor: Actor, *, demo: bool, eng: Engine | None = None) -> None:
    with st.sidebar:
        label = actor.display_name or actor.username
        st.caption(f"当前用户：{md_text(label)}（{actor.role_label}）" + ("· 演示模式" if demo else ""))
        _keep_cookie()
        if not demo:
            _change_password(actor, eng)
        if not demo and st.button("退出登录", key="logout", icon=":material/logout:"):
            sign_out()
            st.rerun()


def _change_password(actor: Actor, eng: Engine | None, *, forced: bool = False) -> None:
    """修改密码 for the signed-in account (walk H: only an administrator could set one, so they knew every
    password); afterwards every browser of the account signs in again with the new one. An expander, not a popover:
    on a 390-px phone the popover's panel did not open from the sidebar drawer (walk I). ``forced``: the page
    itself, when the password was set by an administrator and must be changed first."""
    where = st.container(key="xf_forced_password") if forced else st.expander("修改密码", icon=":material/key:")
    with where, st.form("own_password"):
        current = st.text_input("当前密码", type="password", key="own_pw_current", autocomplete="current-password")
        new = st.text_input("新密码", type="password", key="own_pw_new", autocomplete="new-password",
                            help="至少 10 位，含大写字母、小写字母、数字、其他符号中的三类，不含用户名，不用常见密码。")
        again = st.text_input("再次输入新密码", type="password", key="own_pw_again", autocomplete="new-password")
        if not st.form_submit_button("修改密码"):
            return
        try:
            with session_scope(eng or _engine()) as s:
                change_own_password(s, actor, current, new, again)
        except USER_ERRORS as exc:
            st.error(md_text(exc), icon=":material/lock:")
            return
    sign_out(eng)
    st.session_state[_NOTICE] = "密码已修改，所有已登录的浏览器都已退出，请用新密码登录。"
    st.rerun()


def _forced_change(actor: Actor, eng: Engine) -> NoReturn:
    _keep_cookie()  # a reload keeps the sign-in and comes back here (walk L: it signed the user out)
    with st.sidebar:
        if st.button("退出登录", key="logout_forced", icon=":material/logout:"):
            sign_out()
            st.rerun()
    st.title("请先设置新密码")
    st.info("这个账户的密码是管理员设置的（新建账户的初始密码或重置的密码），管理员也知道它。"
            "请设置一个只有您自己知道的新密码，之后用新密码重新登录。新密码至少 10 位，含大写字母、小写字母、数字、"
            "其他符号中的三类，不含用户名，不用常见密码。", icon=":material/key:")
    _change_password(actor, eng, forced=True)
    st.stop()


def _ended(reason: str) -> None:
    """Say on the login page why the sign-in ended: the time limit it reached, or that it was ended elsewhere."""
    timed_out = reason in (browser_sessions.IDLE, browser_sessions.EXPIRED)
    st.warning(browser_sessions.ended_text(reason), icon=":material/timer_off:" if timed_out else ":material/lock:")


def _current(eng: Engine) -> Actor | None:
    """The still-valid signed-in actor, refreshed from the database; None when absent or expired."""
    actor = st.session_state.get(Key.ACTOR)
    token = st.session_state.get(Key.SESSION_TOKEN)
    if actor is None and (raw := _cookie()) and not st.session_state.get(_CLEAR_COOKIE) \
            and raw != st.session_state.get(_SPENT_COOKIE):
        # A reload (or a phone that dropped the tab): the browser's cookie resumes the sign-in within its limits.
        with session_scope(eng) as s:
            resumed = browser_sessions.resume_or_reason(s, raw)
        if isinstance(resumed, str):  # ended: the login page says why (walk W27: a reload said nothing)
            st.session_state[_SPENT_COOKIE] = raw
            _ended(resumed)
            return None
        actor, token = resumed
        st.session_state[Key.ACTOR] = actor
        st.session_state[Key.SESSION_TOKEN] = token
        st.session_state[Key.BROWSER_TOKEN] = raw
    if not isinstance(actor, Actor) or not isinstance(token, SessionToken) or token.username != actor.username:
        return None
    if ended := browser_sessions.token_ended(token):
        sign_out(eng)
        _ended(ended)
        return None
    raw = st.session_state.get(Key.BROWSER_TOKEN)
    if raw:
        with session_scope(eng) as s:
            ended = browser_sessions.touch_or_reason(s, raw)
        if ended:  # idle or past 8 hours; or signed out in another tab, password changed, account deactivated
            sign_out(eng)
            _ended(ended)
            return None
    if actor == security.DEMO_ACTOR:
        with session_scope(eng) as s:
            fresh = actor if security.demo_sign_in_allowed(s) else None
    else:
        # Re-read the account each run: a role change or deactivation takes effect at once.
        with session_scope(eng) as s:
            fresh = security.get_actor(s, actor.username)
    if fresh is None:
        sign_out()
        return None
    st.session_state[Key.ACTOR] = fresh
    st.session_state[Key.SESSION_TOKEN] = token.touched()
    return fresh


def require_login(engine: Engine | None = None) -> Actor:
    """Return the signed-in actor, or render the login form and ``st.stop()``.

    Parameters
    ----------
    engine
        Database engine (default: the app's cached engine).

    Returns
    -------
    Actor
        Only ever returns with a signed-in, active, unexpired user (or the demo coordinator when
        :func:`planner.office.security.demo_sign_in_allowed`).
    """
    if engine is None:
        engine = _engine()
    actor = _current(engine)
    if actor is not None:
        demo = actor == security.DEMO_ACTOR
        if not demo:
            with session_scope(engine) as s:
                forced = must_change(s, actor.username)
            if forced:  # an administrator's 初始密码 or reset: nothing else until the account has its own
                _forced_change(actor, engine)
        _sidebar(actor, demo=demo, eng=engine)
        return actor

    with session_scope(engine) as s:
        if os.environ.get(security.ADMIN_PASSWORD_ENV):
            try:
                security.bootstrap_admin(s)
            except USER_ERRORS as exc:
                # The installer reads this: name the account the password is for and what to do next.
                st.error(f"首个管理员账户 {security.BOOTSTRAP_USERNAME} 未能创建："
                         f"环境变量 {security.ADMIN_PASSWORD_ENV} 不符合密码规则（{exc}）。"
                         "请改正后重新启动，或运行 python -m planner users bootstrap。")
        if security.demo_sign_in_allowed(s):
            sign_in(security.DEMO_ACTOR, engine)
            _sidebar(security.DEMO_ACTOR, demo=True)
            return security.DEMO_ACTOR
        has_users = bool(security.list_users(s))

    if st.session_state.pop(_CLEAR_COOKIE, False) or _cookie():
        _set_cookie("")  # signed out, or the cookie names a sign-in that has ended
    # A tab whose sign-in ended this run (the demo door closed, signed out elsewhere) registered the page list before
    # the gate knew: static/phone.css hides it while this container is on the page (walk B: the old demo tab listed
    # every page beside the form).
    with st.container(key="xf_login_gate"):
        st.title("下访 · 登录")
    if not has_users:
        st.info(
            "尚无任何账户。请在服务器上运行 `python -m planner users bootstrap` 创建首个管理员（密码只显示一次），"
            f"或设置环境变量 `{security.ADMIN_PASSWORD_ENV}` 后重启。"
        )
    if notice := st.session_state.pop(_NOTICE, None):
        st.success(notice, icon=":material/key:")
    with st.form("login_form"):
        username = st.text_input("用户名", key="login_username", autocomplete="username")
        password = st.text_input("密码", type="password", key="login_password", autocomplete="current-password")
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        try:
            with session_scope(engine) as s:
                actor = security.authenticate(s, username, password)
        except USER_ERRORS as exc:
            st.error(str(exc), icon=":material/lock:")
        else:
            sign_in(actor, engine)
            # Each account starts on its own page (an officer on today's route), never on the page the previous
            # user of this browser left open.
            try:
                st.switch_page(start_page(actor))
            except StreamlitAPIException:  # the gate run on its own, outside st.navigation (AppTest)
                st.rerun()
    st.stop()
    raise AssertionError("unreachable")  # st.stop raises
