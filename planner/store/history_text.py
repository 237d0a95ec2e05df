"""A case's 办理记录 in words: each history entry's action and details as a Chinese sentence, never a code or a dict."""

from __future__ import annotations

from collections.abc import Mapping

from planner.domain import CaseStatus, VisitResult, VisitType

#: What each recorded action is called.
ACTION_LABELS: dict[str, str] = {
    "status": "状态变更", "import_update": "导入更新", "category": "类别更正", "outcome": "走访结果",
    "register_update_seen": "已阅登记表更新",
    "outcome_corrected": "更正走访结果", "visited": "已走访", "feedback": "反馈", "feedback_ack": "反馈确认",
    "feedback_corrected": "更正反馈", "clarification": "澄清", "clarification_corrected": "更正澄清",
    "settlement": "息诉息访", "rectification": "整改", "rectification_done": "整改完成",
    "rectification_corrected": "更正整改", "followup_proposed": "建议回访", "followup_done": "回访完成",
    "deadline_extended": "延长办理期限", "plan": "排入计划", "replanned": "重新排程", "relocate": "更正位置",
    "assign_village": "归属村居", "created": "新建", "corrected": "更正", "append": "补充", "done": "完成",
    "acknowledged": "已确认", "system": "系统", "clarification_basis_changed": "澄清函依据已更正",
    "basis_changed": "依据已更正", "clarification_withdrawn": "澄清函撤回", "withdrawn": "撤回",
}
#: Who did it, when it was not a person.
WHO_LABELS: dict[str, str] = {"system": "系统", "demo": "演示数据", "": "—"}
#: Words of the details.
KEY_LABELS: dict[str, str] = {
    "from": "原为", "to": "改为", "note": "说明", "reason": "原因", "batch_id": "导入批次", "file": "文件", "row": "行",
    "changed": "变更", "outcome_id": "走访记录", "changes": "变更", "feedback_id": "反馈记录", "side": "对象",
    "date": "日期", "acknowledged": "已确认", "clarification_id": "澄清记录", "cadre": "被澄清干部",
    "settlement_id": "协议", "agreed_date": "签订日期", "rect_id": "整改事项", "owner": "责任单位", "due_date": "期限",
    "days": "天数", "kind": "类型", "was": "原依据", "plan_id": "计划", "team_id": "检查组", "team": "检查组",
    "visit_date": "走访日期", "result": "结果", "old": "原值", "new": "新值", "followup_id": "回访任务",
    "status": "状态", "category": "类别", "content": "反映内容", "deadline": "办理期限", "received_date": "收件日期",
    "address_text": "地址", "county": "县区", "town": "乡镇", "village": "村", "lon": "经度", "lat": "纬度",
    "precision": "定位精度", "geocode_message": "定位说明", "petitioner_key": "信访人", "petitioner": "信访人",
    "reported_persons": "被反映人", "reported_units": "被反映单位", "people_affected": "涉及人数",
    "severity": "紧急程度", "source": "来源", "title": "标题", "extra_fields": "登记表其他列",
    "category_source": "类别依据", "category_reason": "类别理由", "category_confidence": "类别把握",
    "county_code": "县区代码", "town_code": "乡镇代码", "village_code": "村代码",
    "point_source": "坐标来源", "precision_km": "定位误差",
    "channel": "方式", "feedback_date": "反馈日期", "visit_type": "走访类型", "problem_resolved": "问题已解决",
    "report_true": "反映属实",
    "report_partly": "部分属实", "issued_date": "出具日期", "scope": "澄清范围", "with_case": "随同信访件",
    "visited_with": "随同走访的信访件",
    "households_visited": "走访户数", "problems_solved": "解决问题数", "recipient": "接收单位",
    "cases_moved": "随之变更的信访件", "chosen": "选定地点",
    "item": "整改事项", "done": "已完成", "done_date": "完成日期",

}
_VALUE_LABELS: dict[str, str] = {
    **{s.value: s.label for s in CaseStatus}, **{v.value: v.label for v in VisitType},
    **{r.value: r.label for r in VisitResult}, "inferred": "推断", "corrected": "人工更正", "visited": "已走访",
    "not_found": "未找到当事人", "petitioner": "信访人", "government": "党委政府", "party": "党委政府",
    "return_visit": "回访", "rectification": "整改核查", "changed": "已变更", "True": "是", "False": "否",
}


def value_label(text: str) -> str:
    """A coded value as a reader reads it (visited -> 已走访, resolved -> 已化解); other text as it is."""
    return _VALUE_LABELS.get(text, text)


def action_label(action: str) -> str:
    """The Chinese name of a history action (an unknown one is shown as 其他操作)."""
    return ACTION_LABELS.get(action, "其他操作")


def who_label(who: str) -> str:
    """Who did it, for people (系统 for the system)."""
    return WHO_LABELS.get(who or "", who)


def _value(value: object) -> str:
    if isinstance(value, Mapping):
        if set(value) <= {"old", "new"}:
            return f"{_value(value.get('old'))} → {_value(value.get('new'))}"
        return "；".join(f"{KEY_LABELS.get(str(k), str(k))}：{_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "、".join(_value(v) for v in value) or "（空）"
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    text = str(value)
    return _VALUE_LABELS.get(text, text)


def describe(action: str, detail: object) -> str:
    """One Chinese sentence for a history entry's details.

    Parameters
    ----------
    action
        The recorded action (``status``, ``import_update`` ...).
    detail
        The recorded details (a dict, text or nothing).

    Returns
    -------
    str
        ``由 已登记 改为 已办结（说明）``, ``登记表 a.xlsx 第 12 行：收件日期 2026-10-03 → 2026-10-04`` ...
    """
    if not detail:
        return ""
    if not isinstance(detail, Mapping):
        return _value(detail)
    d = dict(detail)
    if action in ("status", "category") and "to" in d:
        note = str(d.get("note") or "").strip()
        return f"由 {_value(d.get('from'))} 改为 {_value(d.get('to'))}" + (f"（{note}）" if note else "")
    if action == "import_update":
        changed = d.get("changed") or {}
        fields = "；".join(f"{KEY_LABELS.get(str(k), str(k))} {_value(v)}" for k, v in changed.items())
        # What people corrected in the app and the row would have changed (planner.intake.app_corrections).
        kept = "".join(f"；保留系统中的人工更正 {k} {_value((v or {}).get('old'))}"
                       f"（登记表为 {_value((v or {}).get('new'))}）" for k, v in (d.get("kept") or {}).items())
        kept += "".join(f"；按选择改用登记表的值 {k}（人工更正为 {_value((v or {}).get('old'))}）"
                        for k, v in (d.get("replaced_correction") or {}).items())
        return f"登记表 {d.get('file', '')} 第 {d.get('row', '')} 行" + (
            f"：{fields}" if fields else "：其余内容未变" if kept else "：内容未变") + kept
    # Internal record ids mean nothing to a reader.
    shown = {k: v for k, v in d.items() if not str(k).endswith("_id") or k == "team_id"}
    return _value(shown)
