"""检查组: the office's inspection teams (base, hours, lunch break, skills, dates, members and their 回避 hometowns)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

import geodata
from pages.common import (
    PAGE_IMPORT,
    PAGE_TEAMS,
    PAGE_USERS,
    Key,
    engine,
    page_actor,
    page_link,
    show_error,
    today,
)
from planner.domain import Team, TeamMember, hhmm
from planner.errors import USER_ERRORS, InputError
from planner.office import teams as office_teams
from planner.office.authorisation import is_allowed, visible_team_codes
from planner.office.privacy import md_text
from planner.office.security import is_demo
from planner.office.team_changes import team_changes
from planner.store import teams as team_store
from planner.store.database import session_scope
from planner.vocabulary import SKILLS, skill_name

PLAN_WARNINGS = "tm_plan_warnings"  # issued plans using a day or member a save or import took out
LOADED = "tm_loaded"  # team -> (form refreshes, version, team and 启用 as the form was loaded)
st.title("检查组")
actor = page_actor(PAGE_TEAMS)
may_edit = is_allowed(actor, "manage_teams") and not is_demo(actor)

if flash := st.session_state.pop(Key.FLASH, None):
    st.success(flash)


def _plan_warnings(where: str) -> None:
    """The issued plans that still use a day or member the last save (``edit``) or import took out (walk W21: the
    import said nothing of plan #1's 12-09), shown where that was done."""
    if (st.session_state.get(PLAN_WARNINGS) or ("",))[0] == where:
        for warned in st.session_state.pop(PLAN_WARNINGS)[1]:
            st.warning(md_text(warned), icon=":material/event_busy:")


_plan_warnings("edit")

with session_scope(engine()) as s:
    records = team_store.team_records(s, team_ids=tuple(visible_team_codes(actor, s, active_only=False)))

people: dict[str, tuple[TeamMember, ...]] = {}  # per team, who goes out with it (named members and accounts)
COUNTIES = {c.code: c.name for c in geodata.counties()}
BASES = {b.name: b for b in geodata.bases()}
OWN_POINT = "自定义坐标"
SKILL_CODES = [t.code for t in SKILLS]

if is_demo(actor):
    st.info("演示模式：检查组只能查看（成员是虚构的）。在“导入”页创建首个管理员账户、结束演示后，由管理员或协调员录入本单位的成员。")
    page_link(PAGE_IMPORT, label="去“导入”页创建首个管理员账户", icon=":material/admin_panel_settings:")
elif not may_edit:
    st.caption("只能查看本人负责的组；新建或修改检查组请联系管理员或协调员。")
else:
    st.caption("成员的籍贯区县用于回避：不安排成员到本人籍贯所在区县的走访点。新建的组在“用户管理”中分给组长和干部。")


def _home_text(m: TeamMember) -> str:
    return COUNTIES.get(m.hometown_county_code, "") if m.hometown_county_code else ""


def _break_text(t: Team) -> str:
    if not t.has_break:
        return "无"
    return f"{hhmm(t.break_earliest_min)}–{hhmm(t.break_latest_min)} 开始，{t.break_min} 分钟"


def _accounts(people: tuple[TeamMember, ...]) -> list[str]:
    return [m.name for m in people if team_store.is_account(m)]


def _people_text(t: Team, people: tuple[TeamMember, ...]) -> str:
    """``陈明；账号：黄干部、林组长``: the named members, then the accounts on the team not named among them."""
    accounts = _accounts(people)
    return "；".join(x for x in ("、".join(m.name for m in t.members),
                                 "账号：" + "、".join(accounts) if accounts else "") if x) or "尚未录入"


if not records:
    st.info("还没有检查组。" + ("请在下方新建，或导入 teams.csv。" if may_edit else "请管理员或协调员在本页录入。"))
else:
    with session_scope(engine()) as s:
        empty = [t.name for t in team_store.teams_without_people(s, [r.team for r in records if r.active])]
        # A team goes out with its named members and its officer and leader accounts (as 行程 names them).
        people = team_store.team_people(s, [r.team for r in records])
    if empty and may_edit and not is_demo(actor):
        # An office install starts with five pre-made empty teams (bases at the commission and three county
        # commissions) so that 用户管理 and 选件 have teams to name; two walks took them for someone else's data.
        st.info(f"{'、'.join(empty)} 还没有成员，也没有分到该组的干部或组长账号"
                "（新装系统预置的空组，或新建后尚未录入）。"
                "请在下方改名、录入成员，或取消“启用”停用不需要的组；停用的组不参与规划。",
                icon=":material/group_add:")
    # Saved before a team could not name one member twice (walk W12b: 林志远、林志远): said, to be put right.
    twice = []
    for r in records:
        names = ["".join(m.name.split()) for m in r.team.members]
        if again := sorted({n for n in names if n and names.count(n) > 1}):
            twice.append(f"{r.team.name}（{'、'.join(again)}）")
    if twice and may_edit:
        st.warning(md_text(f"{'；'.join(twice)} 的成员填了两次：请在下方选中该组，对重复的一行勾选“移出”后保存。"),
                   icon=":material/group_remove:")
    st.dataframe(
        pd.DataFrame([
            {"组号": r.team.team_id, "组名": r.team.name, "基地": r.team.base_name or f"{r.team.base_lon:.4f}, "
             f"{r.team.base_lat:.4f}", "上下班": f"{hhmm(r.team.shift_start_min)}–{hhmm(r.team.shift_end_min)}",
             "午休": _break_text(r.team), "每日最多走访点": str(r.team.max_visits_per_day or "不限"),
             "专长": "、".join(skill_name(c) for c in sorted(r.team.all_skills())) or "无",
             "成员": _people_text(r.team, people.get(r.team.team_id, ())), "启用": "是" if r.active else "否"}
            for r in records
        ]),
        hide_index=True,
        key="tm_table",
    )  # fmt: skip
    if not may_edit:
        for r in records:
            with st.expander(f"{r.team.name} 的成员"):
                st.dataframe(
                    pd.DataFrame(
                        [{"姓名": m.name, "专长": "、".join(skill_name(c) for c in m.skills) or "无",
                          "籍贯区县（回避）": _home_text(m) or "未填"} for m in r.team.members],
                        columns=["姓名", "专长", "籍贯区县（回避）"],
                    ),
                    hide_index=True,
                    key=f"tm_members_{r.team.team_id}",
                )  # fmt: skip
    st.download_button(
        "下载 teams.csv", data=team_store.office_teams_csv([r.team for r in records]), file_name="teams.csv",
        mime="text/csv", key="tm_download", help="中文列名，成员按姓名列出；可改后在本页导入，也可用于命令行规划。",
    )  # fmt: skip

if not may_edit:
    st.stop()

# --- the editor (admins and coordinators) -------------------------------------------------------------------------

NEW = "__new__"
by_id = {r.team.team_id: r for r in records}
if (pending := st.session_state.pop("tm_choice_next", None)) is not None:
    st.session_state["tm_choice"] = pending
choice = st.selectbox(
    "编辑检查组", [*by_id, NEW], key="tm_choice",
    format_func=lambda t: "＋ 新建检查组" if t == NEW else f"{by_id[t].team.name}（{t}）",
)
record = by_id.get(choice)
city = next(b for b in BASES.values() if b.level == "city")
team = record.team if record else Team("新组", "", city.lon, city.lat, city.name)
# Every widget key carries the team, so the form always shows and saves the chosen team's values. The team as the
# form was loaded (its version) is kept: once the stored team moved on (a teams.csv import, another session's save),
# the form's keys change so that it shows the stored values — a browser keeps a form's old values under the same keys
# even when they are dropped from the session (walk W32: after an import the form still said 08:00, and an untouched
# 保存 wrote it back) — and a 保存 pressed on the old form is refused, saying what changed.
loaded = st.session_state.setdefault(LOADED, {})
fresh, version, was, was_active = loaded.get(choice, (0, None, None, True))
k = f"tm_{choice}" + (f"_r{fresh}" if fresh else "")
if record is not None and version is not None and version != record.version:
    if st.session_state.get(f"{k}_save"):
        moved = "；".join(team_changes(was, record.team, was_active=was_active, active=record.active)) or "内容未变"
        st.error(md_text(f"未保存：检查组「{record.team.name}」在你打开表单后已被修改（导入 teams.csv 或他人保存："
                         f"{moved}）。表单已换成现在保存的值，请核对后重新修改再保存。"),
                 icon=":material/sync_problem:")
    fresh, version = fresh + 1, None
    k = f"tm_{choice}_r{fresh}"
if record is not None and version is None:
    loaded[choice] = fresh, record.version, record.team, record.active


def _forget(prefix: str) -> None:
    """Drop the widget values under ``prefix`` so that the form shows what is saved (and a blank new-member row)."""
    for key in [key for key in st.session_state if str(key).startswith(prefix)]:
        del st.session_state[key]


def _time(minutes: int | None, default: int) -> dt.time:
    m = default if minutes is None else minutes
    return dt.time(m // 60, m % 60)


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _dates(text: str) -> tuple[dt.date, ...]:
    out = []
    for part in text.replace("；", ";").replace("，", ";").replace(",", ";").split(";"):
        if part.strip():
            try:
                out.append(dt.date.fromisoformat(part.strip()))
            except ValueError:
                raise InputError(f"出行日期应写作 2026-12-07，多个日期用分号隔开；收到 {part.strip()!r}") from None
    return tuple(sorted(set(out)))


# A team still sent out by an issued or running plan is not switched off (the library refuses): the form says so
# before the click, naming the plans and days (walk W6: 已停用 said nothing, and its officer kept the plan).
live = []
if record is not None and record.active:
    with session_scope(engine()) as s:
        live = office_teams.live_days(s, choice, today=today())
base_options = [*BASES, OWN_POINT]
with st.form(f"tm_form_{choice}"):
    new_id = st.text_input("组号（保存后不能再改）", key=f"{k}_id", placeholder="如 T6") if record is None else choice
    name = st.text_input("组名", value=team.name, key=f"{k}_name", placeholder="如 第六检查组")
    base = st.selectbox("基地（纪委监委驻地）", base_options, key=f"{k}_base",
                        index=base_options.index(team.base_name) if team.base_name in BASES else len(BASES))
    c1, c2 = st.columns(2)
    lon = c1.number_input("经度（选“自定义坐标”时）", 115.0, 120.0, float(team.base_lon), 0.0001, format="%.6f",
                          key=f"{k}_lon")
    lat = c2.number_input("纬度（选“自定义坐标”时）", 22.0, 27.0, float(team.base_lat), 0.0001, format="%.6f",
                          key=f"{k}_lat")
    c1, c2 = st.columns(2)
    start = c1.time_input("上班时间", _time(team.shift_start_min, 510), key=f"{k}_start", step=300)
    end = c2.time_input("下班时间", _time(team.shift_end_min, 1050), key=f"{k}_end", step=300)
    has_break = st.checkbox("午休", value=team.has_break, key=f"{k}_has_break")
    c1, c2, c3 = st.columns(3)
    b_early = c1.time_input("午休最早开始", _time(team.break_earliest_min, 690), key=f"{k}_break_early", step=300)
    b_late = c2.time_input("午休最晚开始", _time(team.break_latest_min, 750), key=f"{k}_break_late", step=300)
    b_min = c3.number_input("午休分钟", 0, 240, int(team.break_min), 5, key=f"{k}_break_min")
    c1, c2 = st.columns(2)
    max_visits = c1.number_input("每日最多走访点（0 为不限）", 0, 50, int(team.max_visits_per_day or 0), 1,
                                 key=f"{k}_max_visits")
    max_drive = c2.number_input("每日最长车程（分钟，0 为不限）", 0, 900, int(team.max_drive_min or 0), 10,
                                key=f"{k}_max_drive")
    skills = st.multiselect("组的专长（成员的专长另计）", SKILL_CODES, default=list(team.skills),
                            format_func=skill_name, key=f"{k}_skills")
    dates = st.text_input("可出行日期（留空为每个工作日；多个日期用分号隔开）",
                          value="；".join(d.isoformat() for d in team.available_dates), key=f"{k}_dates")
    active = st.checkbox("启用（停用的组不再参与规划）", value=record.active if record else True, key=f"{k}_active")
    if live:
        st.caption(md_text(f"{office_teams.live_days_text(live)}：停用前请先在“路线规划”中重新规划，把这些天的走访点"
                           "交给其他组，或撤回、完成该计划。"))

    st.markdown("**成员**")
    if record is not None and (on_team := _accounts(people.get(choice, ()))):
        # Walk W29: adding 陈明 to a team that went out with its accounts seemed to drop them; they stay its people.
        st.caption(md_text(f"分到本组的账号 {'、'.join(on_team)} 也是本组人员（行程单列出，回避也核对），"
                           "不必在此重复录入；在“用户管理”中调整。"))
    county_options = ["", *COUNTIES]
    rows = []
    for m in team.members:
        mk = f"{k}_m_{m.member_id}"
        c1, c2, c3, c4 = st.columns([3, 4, 3, 1])
        rows.append((m, c1.text_input("姓名", value=m.name, key=f"{mk}_name"),
                     c2.multiselect("专长", SKILL_CODES, default=list(m.skills), format_func=skill_name,
                                    key=f"{mk}_skills"),
                     c3.selectbox("籍贯区县", county_options, key=f"{mk}_home",
                                  index=county_options.index(m.hometown_county_code)
                                  if m.hometown_county_code in COUNTIES else 0,
                                  format_func=lambda c: COUNTIES.get(c, "未填")),
                     c4.checkbox("移出", key=f"{mk}_drop")))
    added = []
    # The new-member rows' keys carry a counter raised at each save: in a real browser a form keeps what was typed
    # even when its keys are dropped from the session, and a second 保存 then added the same person again.
    nonce = st.session_state.get(f"tm_nonce_{choice}", 0)
    for i in range(2):
        nk = f"{k}_new{nonce}_{i}"
        c1, c2, c3 = st.columns([3, 4, 4])
        added.append((c1.text_input("新成员姓名", key=f"{nk}_name"),
                      c2.multiselect("专长", SKILL_CODES, format_func=skill_name, key=f"{nk}_skills"),
                      c3.selectbox("籍贯区县", county_options, key=f"{nk}_home",
                                   format_func=lambda c: COUNTIES.get(c, "未填"))))
    submitted = st.form_submit_button("新建" if record is None else "保存", type="primary", key=f"{k}_save")

if submitted:
    try:
        point = BASES.get(base)
        members = [
            TeamMember(m.member_id, m_name.strip(), tuple(m_skills), m_home, m.hometown_town_code,
                       m.former_postings, m.relations)
            for m, m_name, m_skills, m_home, drop in rows if not drop
        ] + [TeamMember("", n.strip(), tuple(sk), home) for n, sk, home in added if n.strip()]
        edited = Team(
            team_id=str(new_id).strip(), name=name.strip(),
            base_lon=point.lon if point else float(lon), base_lat=point.lat if point else float(lat),
            base_name=point.name if point else "", members=tuple(members), skills=tuple(skills),
            shift_start_min=_minutes(start), shift_end_min=_minutes(end),
            break_earliest_min=_minutes(b_early) if has_break else None,
            break_latest_min=_minutes(b_late) if has_break else None, break_min=int(b_min) if has_break else 0,
            available_dates=_dates(dates), max_visits_per_day=int(max_visits) or None,
            max_drive_min=int(max_drive) or None,
        )  # fmt: skip
        with session_scope(engine()) as s:
            saved = office_teams.edit_team(s, edited, actor=actor, active=bool(active), today=today(),
                                         expected_version=None if record is None else loaded[choice][1])
            st.session_state[PLAN_WARNINGS] = "edit", office_teams.taken_out_warnings(s, [edited.team_id],
                                                                                       today=today())
            on_team = _accounts(team_store.team_people(s, [saved.team]).get(saved.team.team_id, ()))
    except USER_ERRORS as exc:
        show_error(exc)
    else:
        _forget(f"{k}_new")
        st.session_state[f"tm_nonce_{choice}"] = nonce + 1
        if record is None:
            _forget(f"{k}_")
        if record is not None:  # the form's values are the saved ones: its version is read again at the next run
            loaded[choice] = fresh, None, None, True
        st.session_state["tm_choice_next"] = saved.team.team_id
        what = "已新建" if record is None else "已保存"
        changed = "" if record is None else "；".join(
            team_changes(record.team, saved.team, was_active=record.active, active=saved.active)) or "没有改动"
        st.session_state[Key.FLASH] = md_text(
            f"{what}检查组「{saved.team.name}」：成员 {len(saved.team.members)} 人"
            + (f"，另有分到本组的账号 {'、'.join(on_team)}" if on_team else "")
            + ("" if saved.active else "，已停用") + (f"（{changed}）" if changed else "")
        )
        st.rerun()

if is_allowed(actor, "manage_users"):
    page_link(PAGE_USERS, label="在用户管理中把组分给组长和干部")

st.subheader("导入 teams.csv")
st.caption("列名可用中文（组号、组名、基地经度、基地纬度、上班时间、下班时间、午休最早、午休最晚、午休分钟、成员 …）。"
           "组号已有的组按文件更新；成员按姓名对应：已有成员的专长和籍贯不变，新姓名成为新成员，文件中没有列出的成员移出该组（成员一栏留空则成员不变）。")
upload = st.file_uploader("teams.csv", type=["csv"], key="tm_upload")
if upload is not None and st.button("导入", key="tm_import"):
    from planner.intake.plan_files import read_teams

    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            teams_in = read_teams(path, shown_as=upload.name)
        with session_scope(engine()) as s:
            counts = office_teams.import_teams(s, teams_in, actor=actor)
            st.session_state[PLAN_WARNINGS] = "import", office_teams.taken_out_warnings(
                s, [t.team_id for t in teams_in], today=today())
    except USER_ERRORS as exc:
        show_error(exc)
    else:
        for r in records:
            _forget(f"tm_{r.team.team_id}_")
        st.session_state[Key.FLASH] = md_text(f"已导入 {upload.name}：新建 {counts['created']} 个组，"
                                              f"更新 {counts['updated']} 个组")
        st.rerun()
_plan_warnings("import")
