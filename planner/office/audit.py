"""Audit log: who did what, when, to which cases and why (unmasked views, exports, logins); no personal fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import XiafangError
from planner.office import clock_anchor
from planner.office.clock import show_time, utc_now
from planner.office.logs import looks_personal, mask_personal_text
from planner.store.models import AuditRow, TeamRow

# Keys that would put identity into the audit log; the log says *that* identity was seen, never *what* it was.
FORBIDDEN_KEYS = frozenset(
    {"name", "phone", "id_number", "idnumber", "id_no", "petitioner", "petitioner_name", "mobile", "tel",
     "姓名", "电话", "手机", "身份证", "身份证号", "信访人", "举报人", "联系电话"}
)  # fmt: skip


class PersonalDataError(XiafangError):
    """A programming error: personal fields were about to be written to the audit log."""


def _clean(value: object, path: str) -> object:
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if str(key).strip().lower() in FORBIDDEN_KEYS:
                # The message names the key only: echoing the value would leak it into the traceback.
                raise PersonalDataError(
                    f"审计日志不能记录个人信息字段 {path + str(key)!r}"
                )
            out[str(key)] = _clean(item, f"{path}{key}.")
        return out
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_clean(v, path) for v in value]
    if isinstance(value, str):
        return mask_personal_text(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return mask_personal_text(str(value))


#: The operating-system account running a command-line write (``python -m planner users set …``), "" in the app.
_RUN_BY: ContextVar[str] = ContextVar("xiafang_audit_run_by", default="")


@contextmanager
def run_by(os_user: str) -> Iterator[None]:
    """Every audit row written inside names ``os_user`` (``detail.os_user``) as the server account that ran it, as
    backup and restore do (walk W20: ``users set`` read 系统修改账户「chen」, by no one)."""
    token = _RUN_BY.set(str(os_user or ""))
    try:
        yield
    finally:
        _RUN_BY.reset(token)


#: The detail key holding the names of the teams a row mentions, as they were called when it was written.
TEAMS_AS_NAMED = "team_names_then"


def _team_names_now(session: Session, action: str, detail: Mapping) -> dict[str, str]:
    """The current names of the teams ``detail`` mentions by id (``team``, ``teams``, ``team_ids``; a hand-over's
    ``from`` and ``to``), so that the row keeps naming them so after a rename (walk W29: an 08:24 PDF export read
    平和组, the name given at 08:25)."""
    keys = ("team", "teams", "team_ids") + (("from", "to") if action.startswith("handover") else ())
    values = [detail.get(key) for key in keys] + [
        s.get("team") for s in detail.get("shares") or () if action == "handover" and isinstance(s, Mapping)]
    ids: set[str] = set()
    for value in values:
        for item in value.split(",") if isinstance(value, str) else value if isinstance(value, list) else ():
            if isinstance(item, str) and item.strip():
                ids.add(item.strip())
    if not ids:
        return {}
    return {str(i): str(n) for i, n in session.execute(select(TeamRow.id, TeamRow.name).where(TeamRow.id.in_(ids)))
            if n}


def record(
    session: Session,
    actor: object,
    action: str,
    *,
    case_nos: Iterable[str] = (),
    reason: str = "",
    detail: Mapping | None = None,
) -> AuditRow:
    """Add an audit row to ``session`` (flushed; the caller's transaction commits it).

    Parameters
    ----------
    session
        Open session.
    actor
        A :class:`planner.office.security.Actor` (its ``username`` is stored) or a user name.
    action
        Short verb such as ``unmask_view``, ``export``, ``login``, ``import``.
    case_nos
        The cases concerned.
    reason
        Why (free text; phone/ID-number-like text is masked).
    detail
        JSON-able extras; keys naming personal fields are refused.

    Returns
    -------
    AuditRow

    Raises
    ------
    PersonalDataError
        When ``detail`` holds a personal-field key.
    """
    if not action or len(action) > 50:
        raise XiafangError(f"审计操作代码应为 1 到 50 个字符，收到 {action!r}")
    username = getattr(actor, "username", None) or str(actor or "")
    clock_anchor.share(session)  # XIAFANG_CLOCK: stamped on the database's clock, as other processes stamp
    cleaned = _clean(dict(detail or {}), "")
    if named := _team_names_now(session, action, cleaned):
        cleaned[TEAMS_AS_NAMED] = named
    if (ran := _RUN_BY.get()) and not cleaned.get("os_user"):
        cleaned["os_user"] = ran
    nos = [mask_personal_text(str(n)) for n in case_nos]
    reason = mask_personal_text(reason or "")
    row = AuditRow(
        at=utc_now(),
        username=str(username)[:100],
        action=action,
        case_nos=nos,
        reason=reason,
        detail=cleaned,
    )
    # Defence in depth: whatever path built the row, nothing phone/ID-like may reach the table.
    if looks_personal(reason) or any(looks_personal(n) for n in nos) or looks_personal(str(cleaned)):
        raise PersonalDataError(f"操作 {action!r} 的审计记录仍含有像电话或身份证号的内容，未写入")
    session.add(row)
    session.flush()
    return row


def recent(session: Session, *, limit: int = 200, action: str | None = None, username: str | None = None) -> list[dict]:
    """The latest audit rows as dicts, newest first (for the 用户管理 page and reports)."""
    stmt = select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(limit)
    if action:
        stmt = stmt.where(AuditRow.action == action)
    if username:
        stmt = stmt.where(AuditRow.username == username)
    return [
        {"at": r.at, "username": r.username, "action": r.action, "case_nos": list(r.case_nos or ()),
         "reason": r.reason, "detail": dict(r.detail or {})}
        for r in session.scalars(stmt)
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------------------
# The log as people read it: one Chinese sentence per entry (who, when, what, which cases), never codes or dicts.

#: Every action code written with :func:`record` anywhere in the tree, by its Chinese name
#: (``tests/office/test_audit_text.py`` fails on a code without a label).
ACTION_LABELS: dict[str, str] = {
    "login": "登录",
    "login_failed": "登录失败",
    "user_create": "创建账户",
    "user_update": "修改账户",
    "password_set": "重置密码",
    "demo_ended": "结束演示模式",
    "demo_data_removed": "清除演示数据",
    "unmask_view": "查看信访人身份",
    "export_unmasked": "导出含身份的资料",
    "export": "导出",
    "import": "导入登记表",
    "case_renumber": "导入登记表：自编编号改为补填的编号",
    "plan_save": "保存计划",
    "plan_resave": "保存计划新版本",
    "settings_change": "修改设置",
    "gazetteer_import": "导入地名库",
    "place_correct": "校准位置",
    "category_correct": "更正问题类别",
    "backup": "备份数据库",
    "restore": "恢复数据库",
    "cluster_merge": "关联分析：合并",
    "cluster_split": "关联分析：拆分",
    "cluster_detach": "关联分析：移出",
    "cluster_restore": "关联分析：恢复自动分组",
    "cluster_move": "关联分析：移入另一组",
    "cluster_link": "关联分析：确认同一问题",
    "cluster_unlink": "关联分析：判定不是同一问题",
    "cluster_rerun": "关联分析：重新分析",
    "team_create": "新建检查组",
    "team_update": "修改检查组",
    "team_import": "导入检查组",
    "plan_status": "计划状态变更",
    "outcome_record": "登记走访结果",
    "outcome_correct": "更正走访结果",
    "handover": "选件：分给各组组长",
    "handover_move": "选件：改派走访点",
    "handover_adopt": "选件：采用交来的走访点",
    "handover_keep": "选件：保留自己的选件",
    "clarification_issue": "出具澄清函",
    "clarification_correct": "更正澄清函登记",
    "clarification_withdraw": "撤回澄清函",
    "feedback_record": "登记反馈",
    "feedback_correct": "更正反馈",
    "rectification_add": "添加整改事项",
    "rectification_correct": "更正整改事项",
    "rectification_done": "整改完成",
}

#: The 操作 of a ``password_set`` row an account wrote for itself (first sign-in, 修改密码): no reset by anyone.
OWN_PASSWORD_LABEL = "修改密码"

_ROLE_NAMES = {"admin": "管理员", "leader": "组长", "coordinator": "协调员", "officer": "干部"}
_SETTING_NAMES = {"map_tiles": "地图底图", "travel_model": "车程估算", "selection_weights": "选件权重",
                  "general": "常规设置"}
_LEVEL_NAMES = {"town": "乡镇", "village": "村", "community": "社区", "road": "道路", "poi": "地点"}
_CASES_SHOWN = 5
_FORMAT_NAMES = {"html": "离线行程 HTML", "pdf": "PDF 行程单", "xlsx": "Excel", "ics": "日历", "gpx": "GPX",
                 "kml": "KML", "geojson": "GeoJSON", "zip": "整包 zip", "csv": "CSV", "gpkg": "GeoPackage",
                 "shp": "Shapefile"}


def action_label(action: str) -> str:
    """The Chinese name of an audit action code (an unknown code is named as such, never shown bare)."""
    return ACTION_LABELS.get(action, "其他操作")


def _yes(value: object) -> str:
    return "是" if value else "否"


def _teams_text(team_ids: object, team_names: Mapping[str, str]) -> str:
    ids = [str(t) for t in (team_ids or ())]
    return "、".join(team_names.get(t, t) for t in ids) if ids else "无"


def _place_text(detail: Mapping) -> str:
    code = str(detail.get("village_code") or detail.get("town_code") or "")
    if not code:
        return ""
    import geodata

    try:
        town = geodata.town_by_code(code).name
        if len(code) > 9:
            village = next((v for v in geodata.villages() if v.code == code), None)
            return town + village.name if village is not None else town
        return town
    except ValueError:
        return ""


def _itinerary_scope(detail: Mapping, team_names: Mapping[str, str]) -> str:
    """``PDF 行程单，第一检查组，2026-12-07`` of an itinerary export's audit detail."""
    held = [team_names.get(t, t) for t in str(detail.get("teams") or "").split(",") if t]
    whole = f"整个计划（{'、'.join(held)}）" if held else "整个计划"
    scope = "，".join(x for x in (team_names.get(str(detail.get("team") or ""), str(detail.get("team") or "")),
                                 str(detail.get("day") or "")) if x) or whole
    return f"{_FORMAT_NAMES.get(str(detail.get('format')), '文件')}，{scope}"


def _restore_text(detail: Mapping) -> str:
    """A restore: which backup, what it replaced, which later audit rows it kept, and from which system account."""
    taken = show_time(detail.get("backup_created_at"))
    text = (f"用备份文件「{detail.get('file', '')}」" + (f"（备份于 {taken}）" if taken else "")
            + f"恢复数据库（{detail.get('rows', 0)} 行"
            + (f"，替换原有 {detail['rows_before']} 行" if detail.get("rows_before") else "") + "）")
    carried = int(detail.get("carried_over") or 0)
    if carried:
        text += (f"，保留了备份之后的 {carried} 条审计记录"
                 f"（{show_time(detail.get('carried_from'))} 至 {show_time(detail.get('carried_to'))}）")
    elif "carried_over" in detail:
        text += "，备份之后没有新的审计记录"
    if detail.get("os_user"):
        text += f"，在服务器上由系统用户「{detail['os_user']}」运行"
    return text


def _restore_groups(moves: Sequence[Mapping]) -> str:
    """Where 恢复自动分组 took each letter from and to: ``（I0004 → I0001）`` when every letter went the same way,
    else letter by letter; a letter the engine left on its own says so."""
    def way(m: Mapping) -> str:
        src, dst = str(m.get("from") or ""), str(m.get("to") or "")
        if "to_words" in m:  # the groups in words as shown then (walk W19), the ids no more
            src_w, dst_w = str(m.get("from_words") or "—"), str(m.get("to_words") or "—")
            return f"仍在{dst_w}" if src and src == dst else f"{src_w} → {dst_w}"
        text = f"仍在 {dst}" if src and src == dst else f"{src or '—'} → {dst or '—'}"
        return text + ("，单独一件" if m.get("alone") else "")

    ways = [way(m) for m in moves]
    if len(set(ways)) == 1:
        return f"（{ways[0]}）"
    return "（" + "；".join(f"{m.get('case_no', '')}：{w}" for m, w in zip(moves, ways, strict=True)) + "）"


def _nos(nos: Sequence[str]) -> str:
    return "、".join(nos[:_CASES_SHOWN]) + (f" 等 {len(nos)} 件" if len(nos) > _CASES_SHOWN else "")


def _was(words: str) -> str:
    return "原为单独一件" if words == "单独一件" else f"原在{words or '—'}"


def cluster_words(action: str, detail: Mapping) -> str:
    """A 关联分析 adjustment in words (walk W19: rows named only group ids, I0032、I0086、I0026 → I0017, and an id
    meant one group, later another): the letters by case number, each group by its words and size as shown then
    (planner.store.clusters.group_words). Empty for a row stored before the words were (its ids are said instead)."""
    if action == "cluster_merge":
        if not detail.get("source_words"):
            return ""
        return (f"{detail['source_words']}并入{detail.get('target_words') or '—'}，"
                f"合并后共 {detail.get('merged_size', 0)} 件")
    letters = [m for m in detail.get("letters") or () if isinstance(m, Mapping)]
    if not letters:
        return ""
    if action == "cluster_unlink":
        return ("与".join(f"{m.get('case_no', '')}（单独一件）" if m.get("from_words") == "单独一件"
                         else f"{m.get('case_no', '')} 所在的{m.get('from_words') or '组'}" for m in letters)
                + "不是同一问题，两组保持分开")
    if action == "cluster_link" and len(letters) >= 2:
        a, b = letters[:2]
        return (f"{a.get('case_no', '')} 与 {b.get('case_no', '')} 是同一问题，合为{a.get('to_words') or '—'}"
                f"（{a.get('case_no', '')} {_was(a.get('from_words', ''))}，{b.get('case_no', '')} "
                f"{_was(b.get('from_words', ''))}）")
    by_from: dict[str, list[str]] = {}
    for m in letters:
        by_from.setdefault(str(m.get("from_words") or ""), []).append(str(m.get("case_no", "")))
    left = "；".join(f"{_nos(nos)} {_was(w)}" for w, nos in by_from.items())
    to = str(letters[0].get("to_words") or "—")
    if action == "cluster_split":
        return f"{left}，拆分为新的一组{to}"
    if action == "cluster_detach":
        return f"{left}，各自移出为单独一件"
    return f"{left}，移入{to}"


def _own_password(action: str, username: str, detail: Mapping) -> bool:
    """A ``password_set`` row the account wrote for itself (walk V: read as an administrator's reset)."""
    return action == "password_set" and bool(username) and str(detail.get("user", "")) == username


def _tried_account(action: str, detail: Mapping) -> str:
    """The account a failed sign-in tried (walk V: its row read 系统账户「off1」…), "" for other rows and for a name
    no account had (:func:`_typed_name`)."""
    return str(detail.get("user") or "") if action == "login_failed" and detail.get("why") != "unknown" else ""


def _typed_name(action: str, detail: Mapping) -> str:
    """The name typed at a failed sign-in that no account had: a name, no person — never looked up among the
    accounts (walk W27: 「OFF1」 typed before anyone had it read as the person who took the name later)."""
    return str(detail.get("user") or "") if action == "login_failed" and detail.get("why") == "unknown" else ""


def _plan_save_text(action: str, detail: Mapping, team_names: Mapping[str, str]) -> str:
    """A plan saved (new, or another version of a saved plan): its number, name, teams and size."""
    from planner.domain import PLAN_STATUS_LABELS

    name = f"「{detail['plan_name']}」" if detail.get("plan_name") else ""
    size = (f"{_teams_text(detail.get('teams'), team_names)}，{detail.get('stops', 0)} 个走访点，"
            f"{detail.get('cases', 0)} 件")
    listed, routed = detail.get("listed"), int(detail.get("cases") or 0)
    if isinstance(listed, int) and listed > routed:
        # Walk W20: “18 个走访点，18 件” for a save that put 24 letters 已选件 (6 not on any day yet).
        size = (f"{_teams_text(detail.get('teams'), team_names)}，{listed} 件列入走访清单，其中 {routed} 件已排入 "
                f"{detail.get('stops', 0)} 个走访点，{listed - routed} 件未安排")
    if action == "plan_resave":
        status = PLAN_STATUS_LABELS.get(str(detail.get("status")), "")
        return (f"保存了计划 #{detail.get('plan', '')}{name}的第 {detail.get('revision', '')} 版（{size}"
                + (f"，{status}" if status else "") + "）")
    parent = f"，由计划 #{detail['parent']} 另存" if detail.get("parent") else ""
    return f"保存了新计划 #{detail.get('plan', '')}{name}（{size}，草稿{parent}）"


def _outcome_text(action: str, detail: Mapping, team_names: Mapping[str, str]) -> str:
    """Who recorded or corrected which visit's outcome: its date, kind, result and team (no petitioner's data)."""
    from planner.domain import VisitResult

    kind = "回访" if detail.get("kind") == "return" else "首次走访"
    try:
        result = VisitResult(str(detail.get("result"))).label
    except ValueError:
        result = ""
    if detail.get("resolved"):
        result += "，问题已解决"
    team_id = str(detail.get("team") or "")
    team = f"，{team_names.get(team_id, team_id)}" if team_id else ""
    # Spaced as every sentence here spaces its dates and numbers (登记 2026-12-08 的…; walk: 登记2026-12-08 的…).
    when = f" {detail['visit_date']} " if detail.get("visit_date") else ""
    # Walk 3: saving a letter resolved closed the re-sent letters of its chain, and the log did not say so.
    along = "；同一信访人的重复件 " + "、".join(map(str, detail["along"])) + " 随本件一并化解" \
        if detail.get("along") else ""
    # Walk W17: a correction that took "问题已化解" back left its 回访 due; what it did to the 回访 is said.
    if detail.get("return_withdrawn"):
        along += f"；原定 {detail['return_withdrawn']} 到期的回访已撤销"
    if detail.get("return_reopened"):
        along += f"；回访（到期 {'、'.join(map(str, detail['return_reopened']))}）重新列为待办"
    if isinstance(detail.get("return_moved"), list | tuple) and len(detail["return_moved"]) == 2:
        along += f"；回访到期日由 {detail['return_moved'][0]} 改为 {detail['return_moved'][1]}"
    if action == "outcome_record":
        return f"登记{when}的{kind}结果：{result}{team}{along}"
    fields = [_outcome_field(str(f), detail) for f in detail.get("fields") or ()]
    return (f"更正{when}的{kind}结果（现为{result}{team}）"
            + ("：改了" + "、".join(dict.fromkeys(fields)) if fields else "") + along)


_OUTCOME_FIELD_NAMES = {"visit_date": "走访日期", "result": "走访结果", "team_id": "检查组", "reason": "原因",
                        "findings": "核查情况", "problem_resolved": "问题是否解决", "report_true": "反映是否属实",
                        "report_partly": "是否部分属实",
                        "households_visited": "入户户次", "leads_collected": "线索条数",
                        "problems_solved": "解决问题数", "time_spent_min": "用时", "visit_type": "记录类别",
                        "plan_id": "所属计划", "put_off_to": "改到哪天"}


def _outcome_field(name: str, detail: Mapping) -> str:
    """A corrected field's name as the form says it; 改到哪天 with the day now agreed (walk 2: 改了其他)."""
    if name == "put_off_to":
        day = detail.get("put_off_to")
        return f"改到哪天（{'现为 ' + str(day) if day else '已清空'}）"
    return _OUTCOME_FIELD_NAMES.get(name, "其他")


def _handover_text(action: str, detail: Mapping, team_names: Mapping[str, str]) -> str:
    """选件 handed to the teams' leaders, a visit moved, a leader adopting it or keeping their own: teams and counts."""
    def team(t: object) -> str:
        return team_names.get(str(t), str(t or "")) or "未知检查组"

    if action == "handover":
        shares = [s for s in detail.get("shares") or () if isinstance(s, Mapping)]
        return "生成走访点并分给各组组长：" + ("；".join(
            f"{team(s.get('team'))} {s.get('visits', 0)} 个走访点 {s.get('cases', 0)} 件" for s in shares) or "无")
    if action == "handover_move":
        return (f"把 {detail.get('visits', 0)} 个走访点（{detail.get('cases', 0)} 件）从{team(detail.get('from'))}"
                f"改派给{team(detail.get('to'))}")
    who = f"{_ROLE_NAMES.get(str(detail.get('by_role')), '')}{detail.get('by_name') or detail.get('by') or ''}"
    when = show_time(detail.get("at"))
    whose = f"{who}于 {when} 交来的" if who and when else "交来的"
    teams = _teams_text(detail.get("teams"), team_names)
    if action == "handover_adopt":
        return (f"采用{whose}走访点（{teams}，{detail.get('visits', 0)} 个走访点，{detail.get('cases', 0)} 件）"
                "作为自己的选件")
    own = f"（{detail['own_visits']} 个走访点）" if "own_visits" in detail else ""
    return f"不采用{whose}走访点（{teams}），保留自己的选件{own}"


_FOLLOWUP_FIELD_NAMES = {"cadre": "被澄清干部", "issued_date": "出具日期", "scope": "澄清范围",
                         "feedback_date": "反馈日期", "channel": "反馈方式", "content": "反馈内容",
                         "recipient": "反馈对象", "acknowledged": "是否确认收到", "item": "整改内容",
                         "owner": "责任单位", "due_date": "整改期限", "note": "备注"}


def _followup_text(action: str, detail: Mapping) -> str:
    """A 澄清函 issued or its entry corrected, a 双反馈 record, a 整改 item: which record, its facts, the fields
    changed (walk W15: none of them was in the log). The case number follows as 涉及信访件."""
    changed = "、".join(dict.fromkeys(_FOLLOWUP_FIELD_NAMES.get(str(f), "其他") for f in detail.get("fields") or ()))
    changed = f"：改了{changed}" if changed else ""
    if action == "clarification_issue":
        facts = [f"出具日期 {detail['issued_date']}" if detail.get("issued_date") else "",
                 f"文号 {detail['document_no']}" if detail.get("document_no") else ""]
        facts_text = "，".join(f for f in facts if f)
        return f"出具澄清函 #{detail.get('letter', '')}" + (f"（{facts_text}）" if facts_text else "")
    if action == "clarification_correct":
        return f"更正澄清函 #{detail.get('letter', '')} 的登记{changed}"
    if action == "clarification_withdraw":
        return (f"撤回澄清函 #{detail.get('letter', '')}（所依据的走访记录 #{detail.get('outcome', '')} "
                "已更正，不再认定反映不实）")
    if action.startswith("feedback_"):
        side = {"petitioner": "信访人", "government": "党委政府"}.get(str(detail.get("side")), "")
        if action == "feedback_correct":
            return f"更正向{side}的反馈 #{detail.get('feedback', '')}{changed}"
        facts = [str(detail.get("feedback_date") or ""), str(detail.get("channel") or ""),
                 "对方已确认收到" if detail.get("acknowledged") else ""]
        return f"登记向{side}的反馈（" + "，".join(f for f in facts if f) + "）"
    rect = f"整改事项 #{detail.get('rect', '')}"
    if action == "rectification_add":
        return (f"添加{rect}（责任单位：{detail.get('owner', '')}，期限 {detail.get('due_date', '')}）")
    if action == "rectification_done":
        return f"标记{rect} 已完成（{detail.get('done_date', '')}）"
    return f"更正{rect}{changed}"


def _what(action: str, detail: Mapping, team_names: Mapping[str, str], *, username: str = "") -> str:
    """The sentence's verb phrase for one action and its detail (``username``: who wrote the row)."""
    user = f"账户「{detail.get('user', '')}」"
    if action == "login":
        return "登录系统"
    if action == "login_failed":
        why = detail.get("why")
        if why == "locked":
            return f"{user}登录被拒绝：账户已锁定"
        if why == "bad_password":
            text = f"{user}登录失败：密码错误（连续第 {detail.get('failures', 1)} 次）"
            if detail.get("locked_until"):
                text += f"，账户锁定到 {show_time(detail['locked_until'])}"
            return text
        if why == "inactive":
            return f"{user}登录被拒绝：账户已停用"
        if why == "unknown":
            return f"以用户名「{detail.get('user', '')}」登录失败：当时没有这个账户"
        return f"{user}登录失败：账户不存在或已停用"
    if action == "user_create":
        return (f"创建{user}：角色{_ROLE_NAMES.get(str(detail.get('role')), '未知')}，负责的组"
                f"{_teams_text(detail.get('team_ids'), team_names)}，"
                f"可查看信访人身份：{_yes(detail.get('can_unmask'))}")
    if action == "user_update":
        parts = []
        if "role" in detail:
            parts.append(f"角色改为{_ROLE_NAMES.get(str(detail['role']), '未知')}")
        if "team_ids" in detail:
            parts.append(f"负责的组改为{_teams_text(detail['team_ids'], team_names)}")
        if "can_unmask" in detail:
            parts.append(f"可查看信访人身份改为{_yes(detail['can_unmask'])}"
                         + ("（干部不能查看信访人身份，随角色取消）" if detail.get("unmask_dropped") else ""))
        if "display_name" in detail:
            parts.append(f"姓名改为「{detail['display_name']}」")
        if "active" in detail:
            parts.append("启用账户" if detail["active"] else "停用账户")
        return f"修改{user}" + ("：" + "，".join(parts) if parts else "")
    if action == "password_set":
        if _own_password(action, username, detail):
            return "修改了自己的密码"
        return f"重置{user}的密码并解除锁定"
    if action in ("plan_save", "plan_resave"):
        return _plan_save_text(action, detail, team_names)
    if action in ("outcome_record", "outcome_correct"):
        return _outcome_text(action, detail, team_names)
    if action == "demo_ended":
        return "创建正式账户，演示模式结束"
    if action == "demo_data_removed":
        from planner.store.demo_data import removed_text

        return "清除演示数据：" + removed_text({str(k): int(v) for k, v in dict(detail.get("removed") or {}).items()})
    if action == "unmask_view":
        return "查看信访人身份"
    if action == "export_unmasked":
        if detail.get("what") == "outcomes":
            return f"导出走访结果（{detail.get('visits', 0)} 次走访，含信访人身份）"
        if detail.get("what") != "itinerary" or not detail.get("format"):
            return "导出含信访人身份的资料"
        return f"导出含信访人身份的行程资料（{_itinerary_scope(detail, team_names)}）"
    if action == "export":
        if detail.get("what") == "clarification":
            return f"下载澄清函 #{detail.get('letter', '')}（Word 文档）"
        if detail.get("what") == "register":
            return f"导出登记表（{detail.get('cases', 0)} 件，信访人身份已隐去）"
        if detail.get("what") == "outcomes":
            return f"导出走访结果（{detail.get('visits', 0)} 次走访，信访人身份已隐去）"
        if detail.get("what") != "itinerary":
            return "导出资料"
        contacts = "附脱敏的信访人联系方式" if detail.get("contacts") == "masked" else "不附信访人联系方式"
        return f"下载行程资料（{_itinerary_scope(detail, team_names)}，{contacts}）"
    if action == "import":  # walk W20: the stored letters within the register's dates that it lacks, by number
        gone = [str(n) for n in detail.get("dropped") or ()]
        span = list(detail.get("dropped_range") or ("", ""))[:2]
        plans = "；".join(" ".join(map(str, p)) for p in detail.get("dropped_on_plans") or ())
        return (f"导入登记表：新增 {detail.get('imported', 0)} 件，更新 {detail.get('updated', 0)} 件，"
                f"退回 {detail.get('rejected', 0)} 行") + (
            f"；本表收件日期范围（{span[0]} 至 {span[-1]}）内已导入、但本表没有的信访件 {len(gone)} 件："
            + "、".join(gone)
            + (f"（其中 {plans}）" if plans else "") + "，均未删除" if gone else "")
    if action == "case_renumber":
        pairs = [p for p in detail.get("renumbered") or () if isinstance(p, list | tuple) and len(p) == 2]
        return "登记表补填编号：" + "；".join(f"信访件 {old} 改用编号 {new}" for old, new in pairs[:_CASES_SHOWN]) + (
            f" 等 {len(pairs)} 件" if len(pairs) > _CASES_SHOWN else "")
    if action == "settings_change":
        edits = [e for e in detail.get("fields") or () if isinstance(e, Mapping)]
        if edits:  # each setting with its old and new value (the 天地图 key only as 已设置/已更换/已清除)
            return "修改设置：" + "；".join(f"{e.get('setting', '')} {e.get('old', '')} → {e.get('new', '')}"
                                           for e in edits)
        changed = [_SETTING_NAMES.get(k, "其他设置") for k in dict(detail.get("changed") or {})]
        return "修改设置：" + "、".join(changed) if changed else "修改设置"
    if action == "gazetteer_import":
        levels = dict(detail.get("levels") or {})
        by_level = "、".join(f"{_LEVEL_NAMES.get(k, '其他')} {n} 个" for k, n in sorted(levels.items()))
        return (f"导入地名库文件「{detail.get('file', '')}」：{detail.get('places', 0)} 个地点"
                + (f"（{by_level}）" if by_level else ""))
    if action == "category_correct":  # walk W20: who changed which letter's category, from what to what
        return f"更正问题类别：{detail.get('from') or '未分类'} → {detail.get('to') or '未分类'}"
    if action == "place_correct":
        place = _place_text(detail)
        moved = detail.get("cases_moved", 0)
        return (f"在地图上校准{place or '案件'}的位置" + (f"，移动 {moved} 件信访件" if moved else ""))
    if action == "backup":
        ran = f"，在服务器上由系统用户「{detail['os_user']}」运行" if detail.get("os_user") else ""
        return f"备份数据库到文件「{detail.get('file', '')}」（{detail.get('rows', 0)} 行）{ran}"
    if action == "restore":
        return _restore_text(detail)
    if action == "cluster_rerun":
        before = detail.get("groups_before")
        groups = (f"关联问题 {before} 组 → {detail.get('groups_after', 0)} 组" if before is not None
                  else f"关联问题 {detail.get('groups_after', 0)} 组")
        return (f"关联分析：重新分析 {detail.get('letters', 0)} 件信件"
                + ("（全部重新归类）" if detail.get("regroup") else "") + f"，{groups}"
                + ("（仅本账号可见的信件，未保存为全办的分组）" if detail.get("saved") is False else ""))
    if action == "cluster_restore" and detail.get("moves"):
        return ACTION_LABELS[action] + _restore_groups(detail["moves"])
    if action.startswith("cluster_") and (said := cluster_words(action, detail)):
        return f"{ACTION_LABELS.get(action, '关联分析：调整分组')}：{said}"
    if action.startswith("cluster_"):
        groups = f"（{detail['source'] or '—'} → {detail['target'] or '—'}）" if detail.get("target") else ""
        return ACTION_LABELS.get(action, "关联分析：调整分组") + groups
    if action in ("team_create", "team_update"):
        team = detail.get("team_name") or team_names.get(str(detail.get("team", "")), "")
        off = "" if detail.get("active", True) else "（已停用）"
        if "changes" not in detail:  # written before the changes were recorded
            return f"{ACTION_LABELS[action]}「{team}」{off}：成员 {detail.get('members', 0)} 人"
        # What changed, old → new (walk W27: a rename, who joined or left, skills, days, hours or base were unsaid).
        changes = "；".join(str(c) for c in detail.get("changes") or ()) or (
            "没有改动" if action == "team_update" else "尚无成员")
        return f"{ACTION_LABELS[action]}「{team}」{off}：{changes}（现有成员 {detail.get('members', 0)} 人）"
    if action == "plan_status":
        from planner.domain import PLAN_STATUS_LABELS

        verb = {"issued": "下发了", "in_progress": "开始执行", "done": "完成了", "draft": "撤回了"}.get(
            str(detail.get("to")), "改变了")
        name = f"「{detail['plan_name']}」" if detail.get("plan_name") else ""
        return (f"{verb}计划 #{detail.get('plan', '')}{name}（{PLAN_STATUS_LABELS.get(str(detail.get('from')), '')}"
                f" → {PLAN_STATUS_LABELS.get(str(detail.get('to')), '')}）")
    if action.startswith("handover"):
        return _handover_text(action, detail, team_names)
    if action.startswith(("clarification_", "feedback_", "rectification_")):
        return _followup_text(action, detail)
    if action == "team_import":
        return f"导入检查组文件：新建 {detail.get('created', 0)} 个组，更新 {detail.get('updated', 0)} 个组"
    return "执行其他操作"


def describe(entry: Mapping, *, names: Mapping[str, str] | None = None,
             team_names: Mapping[str, str] | None = None) -> str:
    """One audit entry (a dict from :func:`recent`) as a Chinese sentence: who, when, what, which cases, why.

    Parameters
    ----------
    entry
        ``at, username, action, case_nos, reason, detail`` as :func:`recent` returns them.
    names
        Display names by user name (``系统`` for the system account when absent).
    team_names
        Team names by team id, so that a role change names 第一检查组, not ``T1``.

    Returns
    -------
    str
    """
    names = dict(names or {})
    username = str(entry.get("username") or "")
    who = "系统" if username == "system" else names.get(username) or username or "未知用户"
    if names.get(username) and names[username] != username:
        who = f"{names[username]}（{username}）"
    at = entry.get("at")
    when = show_time(at)
    action = str(entry.get("action") or "")
    detail = dict(entry.get("detail") or {})
    # A row names its teams as they were called when it was written (older rows: as they are called now).
    then = detail.get(TEAMS_AS_NAMED)
    what = _what(action, detail, {**dict(team_names or {}), **(dict(then) if isinstance(then, Mapping) else {})},
                 username=username)
    if detail.get("os_user") and action not in ("backup", "restore"):  # those two say it in their own words
        what += f"，在服务器上由系统用户「{detail['os_user']}」运行"
    if _tried_account(action, detail) or _typed_name(action, detail):
        who = ""  # the sentence names the account that tried, or the name typed, never 系统 (walk V)
    text = f"{when}，{who}{what}"
    nos = [str(n) for n in entry.get("case_nos") or ()]
    if nos and not (action != "cluster_merge" and cluster_words(action, detail)):  # else the sentence names them
        shown = "、".join(nos[:_CASES_SHOWN]) + (f" 等 {len(nos)} 件" if len(nos) > _CASES_SHOWN else "")
        text += f"，涉及信访件 {shown}"
    reason = str(entry.get("reason") or "").strip()
    # The import's reason is its file name and a cluster decision's reason is its label: say them once.
    if reason and action == "import":
        text += f"，文件「{reason}」"
    elif reason and not action.startswith("cluster_") and action != "gazetteer_import":
        text += f"，理由：{reason}"
    if action.startswith("cluster_") and str(detail.get("note") or "").strip():
        text += f"，说明：{str(detail['note']).strip()}"  # a leader's own words on a decision
    return text + "。"


def log_table(entries: Iterable[Mapping], *, names: Mapping[str, str] | None = None,
              team_names: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """Rows of the audit log for a table or a CSV file: 时间, 用户, 操作, 说明 — all Chinese, no codes or dicts."""
    names = dict(names or {})
    rows = []
    for e in entries:
        at = e.get("at")
        username = str(e.get("username") or "")
        action = str(e.get("action") or "")
        detail = dict(e.get("detail") or {})
        # A failed sign-in is the tried account's (walk V: 系统 stood there), whoever wrote the row.
        username = _tried_account(action, detail) or username
        typed = _typed_name(action, detail)
        rows.append({
            "时间": show_time(at, seconds=True),
            "用户": (f"「{typed}」（无此账户）" if typed else "系统" if username == "system"
                   else names.get(username) or username),
            "操作": OWN_PASSWORD_LABEL if _own_password(action, username, detail) else action_label(action),
            "说明": describe(e, names=names, team_names=team_names),
        })
    return rows


def log_xlsx(table: Sequence[Mapping[str, str]]) -> bytes:
    """:func:`log_table` rows as an xlsx (sheet 审计日志), every cell neutralised so nothing runs as a formula (a
    hostile display name or reason is text in the file, as on the page)."""
    from planner.intake.workbooks import table_xlsx

    headers = ["时间", "用户", "操作", "说明"]
    return table_xlsx("审计日志", headers, [[row.get(h, "") for h in headers] for row in table],
                      {"时间": 20, "用户": 16, "操作": 16, "说明": 90})
