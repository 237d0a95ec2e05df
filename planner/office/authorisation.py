"""Who may do what: the role × action table, ``authorise(actor, action, obj)``, scopes and the permission matrix.

Every page, download, upload, export and CLI command goes through this module; pages never decide on their own.

- :data:`ACTIONS` is the one role × action table. ``planner.office.security.PERMISSIONS`` is derived from it.
- :func:`authorise` raises :class:`~planner.errors.PermissionDenied` (Chinese message) unless the actor may do the
  action on the object: a case (:class:`CaseRef`), a team (:class:`TeamRef`), a plan (:class:`PlanRef`) or a
  document (:class:`DocumentRef`).
- Scope: admins and coordinators see every team. A leader sees the teams they lead (their account's teams) and the
  cases not yet assigned to any team (the pool they plan from). An officer sees only the cases and routes assigned
  to their own teams and the cases whose recorded visits name one of them, unless another team's issued or running
  plan holds the case now and no open plan of theirs does; an officer whose teams match no team sees nothing. A
  draft plan (草稿, not yet issued) is the planners' working copy: it is no officer's plan and gives them no case.
- :data:`MATRIX` lists every page, download, upload, export format and CLI command with the action it needs
  (``tests/office/test_permission_matrix.py`` walks it and fails on any page, command or format without a row).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, false, select, true
from sqlalchemy.orm import Session

from planner.errors import CaseHeldError, InputError, PermissionDenied
from planner.store.models import CaseRow, PlanCase, PlanRow, TeamRow, VisitOutcomeRow

ROLES: tuple[str, ...] = ("admin", "leader", "coordinator", "officer")
ROLE_LABELS: dict[str, str] = {"admin": "管理员", "leader": "组长", "coordinator": "协调员", "officer": "干部"}

ALL = frozenset(ROLES)
OFFICE = frozenset({"admin", "coordinator"})
PLANNERS = frozenset({"admin", "coordinator", "leader"})


@dataclass(frozen=True, slots=True)
class Action:
    """One row of the role × action table."""

    label: str  # what the action is, in Chinese ("规划路线")
    roles: frozenset[str]  # roles that may do it
    scoped: bool = True  # for roles without view_all_teams, limited to the actor's teams and cases


#: The role × action table. ``unmask`` also needs the account's own ``can_unmask`` flag.
ACTIONS: dict[str, Action] = {
    "view_cases": Action("查看案件", ALL),
    "view_all_teams": Action("查看所有组的案件", OFFICE, scoped=False),
    "import": Action("导入登记表", OFFICE, scoped=False),
    "export": Action("导出", PLANNERS),
    "download_itinerary": Action("下载本组行程", ALL),
    "unmask": Action("查看信访人身份", PLANNERS),
    "manage_users": Action("管理用户", frozenset({"admin"}), scoped=False),
    "plan": Action("规划路线", PLANNERS),
    # 关联分析's 重新分析 regroups the letters (an adjustment of the groups, so the planners'); its own label, so that
    # a refusal names it and not 规划路线 (walk W13).
    "reanalyse": Action("重新分析关联", PLANNERS),
    "record_outcome": Action("登记走访结果", ALL),
    "settings": Action("修改设置", OFFICE, scoped=False),
    "view_settings": Action("查看设置", ALL, scoped=False),
    "view_stats": Action("查看统计", ALL),
    "backup": Action("备份与恢复", frozenset({"admin"}), scoped=False),
    "view_teams": Action("查看检查组", PLANNERS),
    "manage_teams": Action("管理检查组", OFFICE, scoped=False),
    "hand_over": Action("把走访点分给各组或改派", OFFICE, scoped=False),
}


# --- objects ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseRef:
    """A petition case, by number."""

    case_no: str


@dataclass(frozen=True, slots=True)
class TeamRef:
    """An inspection team, by id."""

    team_id: str


@dataclass(frozen=True, slots=True)
class PlanRef:
    """A plan: a ``PlanDocument`` (what it routes and visits), or a saved plan by id."""

    doc: Any = None
    plan_id: int | None = None


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """A generated document (e.g. a 澄清函) attached to a case."""

    kind: str
    case_no: str
    document_id: int | None = None


# --- the table --------------------------------------------------------------------------------------------------------


def _role(actor: Any) -> str | None:
    return getattr(actor, "role", None) if actor is not None else None


def is_allowed(actor: Any, action: str) -> bool:
    """True when ``actor``'s role may do ``action`` at all (``unmask`` also needs ``actor.can_unmask``).

    Raises
    ------
    InputError
        For an unknown action (a typo must not silently deny or allow).
    """
    row = ACTIONS.get(action)
    if row is None:
        raise InputError(f"不认识的权限 {action!r}；已知权限：{'、'.join(ACTIONS)}")
    role = _role(actor)
    if role not in row.roles:
        return False
    return bool(getattr(actor, "can_unmask", False)) if action == "unmask" else True


def sees_all_teams(actor: Any) -> bool:
    """True for roles that see every team (admin, coordinator)."""
    return actor is not None and is_allowed(actor, "view_all_teams")


def team_scope(actor: Any) -> frozenset[str] | None:
    """The teams ``actor`` may see: None for every team, else the account's teams (possibly none)."""
    if actor is None:
        return frozenset()
    if sees_all_teams(actor):
        return None
    return frozenset(str(t) for t in (getattr(actor, "team_ids", ()) or ()))


def _who(actor: Any) -> str:
    if actor is None:
        return "未登录用户"
    # People read the account's name (王管理), not its login (admin1), when it has one.
    name = getattr(actor, "display_name", "") or getattr(actor, "username", "")
    return f"{ROLE_LABELS.get(_role(actor) or '', _role(actor))}「{name}」"


def authorise(actor: Any, action: str, obj: object = None, *, session: Session | None = None) -> None:
    """Raise unless ``actor`` may do ``action`` on ``obj``.

    Parameters
    ----------
    actor
        The acting user (``planner.office.security.Actor``); None (not signed in) is always refused.
    action
        A key of :data:`ACTIONS`.
    obj
        None (the action in general), or a :class:`CaseRef`, :class:`TeamRef`, :class:`PlanRef` or
        :class:`DocumentRef`. Cases, documents and saved plans need ``session``.
    session
        Open session, for objects whose scope is stored.

    Raises
    ------
    PermissionDenied
        With a Chinese message naming the user, the action and the object.
    InputError
        Unknown action, or an object that needs a session given without one.
    """
    label = ACTIONS[action].label if action in ACTIONS else action
    if actor is None:
        is_allowed(None, action)  # unknown actions still fail as such
        raise PermissionDenied(f"未登录，不能{label}")
    if not is_allowed(actor, action):
        unmask_role = action == "unmask" and _role(actor) in ACTIONS["unmask"].roles
        extra = "（该账户未获授权查看信访人身份）" if unmask_role else ""
        raise PermissionDenied(f"{_who(actor)} 无权{label}{extra}")
    if obj is None or not ACTIONS[action].scoped or sees_all_teams(actor):
        return
    if isinstance(obj, TeamRef):
        if str(obj.team_id) not in team_scope(actor):
            raise PermissionDenied(f"{_who(actor)} 无权{label}：检查组 {obj.team_id!r} 不是本人所在或负责的组")
        return
    if session is None:
        raise InputError(f"核验 {type(obj).__name__} 的权限需要数据库会话")
    if isinstance(obj, CaseRef | DocumentRef):
        if obj.case_no not in visible_case_nos(actor, session, [obj.case_no]):
            # Said as it is when the letter went to another team (walk W10), not only 不属于本组.
            why = held_elsewhere(actor, session, [obj.case_no]).get(obj.case_no)
            if why:
                raise PermissionDenied(f"{_who(actor)} 不能{label}：信访件 {obj.case_no} {why}，本组不再登记或查看")
            raise PermissionDenied(f"{_who(actor)} 无权{label}：信访件 {obj.case_no!r} 不属于本组")
        return
    if isinstance(obj, PlanRef):
        _authorise_plan(actor, action, label, obj, session)
        return
    raise InputError("授权对象应为信访件、检查组、计划或文书（CaseRef/TeamRef/PlanRef/DocumentRef），"
                     f"收到 {type(obj).__name__!r}")


def _authorise_plan(actor: Any, action: str, label: str, ref: PlanRef, session: Session) -> None:
    scope = team_scope(actor) or frozenset()
    if ref.doc is None:
        row = session.execute(select(PlanRow.result, PlanRow.status).where(PlanRow.id == ref.plan_id)).first() \
            if ref.plan_id else None
        teams = plan_team_ids(row.result if row is not None else None)
        if not teams & scope:
            raise PermissionDenied(f"{_who(actor)} 无权{label}：计划 #{ref.plan_id} 不含本组的线路")
        if row is not None and not sees_drafts(actor) and row.status not in ISSUED_PLAN_STATUSES:
            # A draft can still change: officers go by issued plans only (walk: a draft's stops were on their day).
            raise PermissionDenied(f"{_who(actor)} 不能{label}：计划 #{ref.plan_id} 还是草稿，尚未下发")
        if action == "plan" and (foreign := sorted(teams - scope)):
            # Issuing, starting or finishing a plan acts on every team in it.
            raise PermissionDenied(
                f"{_who(actor)} 无权{label}：计划 #{ref.plan_id} 含有其他组（{'、'.join(foreign)}）的线路"
            )
        return
    doc = ref.doc
    if action == "plan":
        # Planning writes: every team and every known case of the plan must be the actor's.
        teams = {r.team_id for r in doc.plan.routes} | set(doc.teams)
        foreign = sorted(t for t in teams if t not in scope)
        if foreign:
            raise PermissionDenied(f"{_who(actor)} 无权{label}：检查组 {'、'.join(foreign)} 不是本人负责的组")
        authorise_cases(actor, action, plan_case_nos(doc), session=session)
        return
    if not any(r.team_id in scope for r in doc.plan.routes):
        raise PermissionDenied(f"{_who(actor)} 无权{label}：该计划不含本组的线路")


# --- scope ------------------------------------------------------------------------------------------------------------


def case_filter(actor: Any) -> ColumnElement[bool]:
    """A where-clause on ``CaseRow`` selecting the cases ``actor`` may see.

    - admin, coordinator: all cases;
    - leader: cases assigned (``plan_cases``) to one of their teams or visited by one (a recorded visit names the
      team), plus cases on no team's route in an issued or running plan (another planner's draft does not take a
      letter out of the pool), and those a finished plan left unvisited (已登记 again):
      the pool they choose from when planning; a letter another team visited (a recorded visit names it) is that
      team's, and back in the pool only when it is 已登记 again;
    - officer: only cases assigned to their own teams, or whose recorded visits name one of them — the rule 统计 counts
      a team's letters by (walk 3: a leader recorded nine letters on no plan for 第一检查组; its 统计 counted them and
      two 澄清函, its officer saw none of them); but a case only a finished plan of theirs held, or they visited,
      is another team's once that team's issued or running plan holds it (walk W10: 第一检查组's officer recorded
      已走访 on a letter 第二检查组 was sent to, and still saw it on 案件地图) — :func:`held_elsewhere` says why;
    - None, or no teams: nothing.
    """
    if actor is None:
        return false()
    scope = team_scope(actor)
    if scope is None:
        return true()
    if not scope:
        mine = false()
    else:
        teams = sorted(scope)
        # A letter a finished plan of the team held, or the team visited, stops being the team's while another
        # team's live plan holds it (walk W10: T1's officer recorded 已走访 on a letter T2 was sent to). An officer's
        # open plans are the issued and running ones: a draft is not theirs yet.
        mine = _held(teams, open_plan=True, drafts=sees_drafts(actor)) | ((_held(teams, open_plan=False) | exists(
            select(VisitOutcomeRow.id).where(VisitOutcomeRow.case_id == CaseRow.id, VisitOutcomeRow.team_id.in_(teams)))
        ) & ~_held_by_others(teams))
    if _role(actor) == "leader":
        # The pool: cases on no team's route in a plan still open (never planned, left unassigned by the solver),
        # and cases a finished plan did not visit, which went back to 已登记 (walk J: 标记完成 said so, but they
        # stayed the finishing team's). What a team visited stays its own.
        # Another planner's draft (草稿) is a working copy: it does not take a letter out of the pool (walk W32: a
        # leader's draft held 13 letters his team could not do, and they vanished from the team that could).
        def routed(done: bool) -> ColumnElement[bool]:
            which = PlanRow.status == "done" if done else PlanRow.status.in_(LIVE_PLAN_STATUSES)
            return exists(select(PlanCase.case_id).join(PlanRow, PlanRow.id == PlanCase.plan_id).where(
                PlanCase.case_id == CaseRow.id, PlanCase.team_id != "", which))

        # A letter a team visited on no plan is that team's as much as one it was sent to (the rule officers and
        # 统计 go by; walk W13: 回访跟踪's 全部 listed every county's letters other teams had visited and closed):
        # it is in the pool again only when back at 已登记.
        visited = exists(select(VisitOutcomeRow.id).where(VisitOutcomeRow.case_id == CaseRow.id,
                                                          VisitOutcomeRow.team_id != ""))
        return mine | (~routed(False) & ((CaseRow.status == "registered") | ~(routed(True) | visited)))
    return mine


#: Plan statuses whose routes send teams out (issued, running); ``approved`` is the old word for issued.
LIVE_PLAN_STATUSES = ("issued", "approved", "in_progress")
#: Plan statuses past the draft: what an officer may open (the rest, 草稿, is the planners' working copy).
ISSUED_PLAN_STATUSES = (*LIVE_PLAN_STATUSES, "done")


def sees_drafts(actor: Any) -> bool:
    """Whether ``actor`` works on draft plans (those who plan: leaders, coordinators, admins); officers do not."""
    return actor is not None and is_allowed(actor, "plan")


def _held(teams: list[str], *, open_plan: bool, drafts: bool = True) -> ColumnElement[bool]:
    """The case is on a plan of one of ``teams``: one not finished (issued, running; draft too with ``drafts``),
    or a finished one."""
    done = PlanRow.status == "done"
    which = (~done if drafts else PlanRow.status.in_(LIVE_PLAN_STATUSES)) if open_plan else done
    return exists(select(PlanCase.case_id).join(PlanRow, PlanRow.id == PlanCase.plan_id).where(
        PlanCase.case_id == CaseRow.id, PlanCase.team_id.in_(teams), which))


def _held_by_others(teams: list[str]) -> ColumnElement[bool]:
    """Another team's issued or running plan sends it to the case on a day."""
    return exists(select(PlanCase.case_id).join(PlanRow, PlanRow.id == PlanCase.plan_id).where(
        PlanCase.case_id == CaseRow.id, PlanCase.team_id != "", PlanCase.team_id.not_in(teams),
        PlanCase.visit_date.is_not(None), PlanRow.status.in_(LIVE_PLAN_STATUSES)))


def held_elsewhere(actor: Any, session: Session, case_nos: Iterable[str]) -> dict[str, str]:
    """The cases among ``case_nos`` that another team's live plan now holds while no open plan of ``actor``'s teams
    does, each with why the actor may no longer record or see it, in Chinese:
    ``已排入第二检查组的计划 #2（已下发），由该组走访和登记``. Empty for roles that see every team."""
    scope = team_scope(actor)
    wanted = sorted({str(c) for c in case_nos})
    if scope is None or not wanted:
        return {}
    teams = sorted(scope)
    from planner.domain import PLAN_STATUS_LABELS

    rows = session.execute(
        select(CaseRow.case_no, PlanCase.team_id, PlanRow.id, PlanRow.status, TeamRow.name)
        .join(PlanCase, PlanCase.case_id == CaseRow.id).join(PlanRow, PlanRow.id == PlanCase.plan_id)
        .outerjoin(TeamRow, TeamRow.id == PlanCase.team_id)
        .where(CaseRow.case_no.in_(wanted), _held_by_others(teams),
               ~_held(teams, open_plan=True, drafts=sees_drafts(actor)),
               PlanCase.team_id != "", PlanCase.team_id.not_in(teams), PlanCase.visit_date.is_not(None),
               PlanRow.status.in_(LIVE_PLAN_STATUSES))
        .order_by(CaseRow.case_no, PlanRow.id.desc())).all()
    out: dict[str, str] = {}
    for case_no, team_id, plan_id, status, name in rows:
        state = PLAN_STATUS_LABELS.get(status, "已下发")
        out.setdefault(case_no, f"已排入{name or team_id}的计划 #{plan_id}（{state}），由该组走访和登记")
    return out


def visible_case_ids(actor: Any, session: Session) -> frozenset[int]:
    """Ids of every case ``actor`` may see."""
    return frozenset(session.scalars(select(CaseRow.id).where(case_filter(actor))))


def visible_case_nos(actor: Any, session: Session, case_nos: Iterable[str] | None = None) -> frozenset[str]:
    """Numbers of the cases ``actor`` may see, among ``case_nos`` when given (unknown numbers are left out)."""
    stmt = select(CaseRow.case_no).where(case_filter(actor))
    if case_nos is not None:
        wanted = sorted({str(c) for c in case_nos})
        if not wanted:
            return frozenset()
        out: set[str] = set()
        for i in range(0, len(wanted), 500):
            out.update(session.scalars(stmt.where(CaseRow.case_no.in_(wanted[i : i + 500]))))
        return frozenset(out)
    return frozenset(session.scalars(stmt))


def outside_cases(actor: Any, session: Session, case_nos: Iterable[str]) -> list[str]:
    """The numbers among ``case_nos`` that exist in the database but are not ``actor``'s (sorted)."""
    wanted = sorted({str(c) for c in case_nos})
    if not wanted or team_scope(actor) is None:
        return []
    known: set[str] = set()
    for i in range(0, len(wanted), 500):
        known.update(session.scalars(select(CaseRow.case_no).where(CaseRow.case_no.in_(wanted[i : i + 500]))))
    return sorted(known - visible_case_nos(actor, session, known))


def visible_team_codes(actor: Any, session: Session, *, active_only: bool = True) -> list[str]:
    """Ids of the existing teams ``actor`` may see (an officer whose team code matches no team gets none)."""
    stmt = select(TeamRow.id).order_by(TeamRow.id)
    if active_only:
        stmt = stmt.where(TeamRow.active.is_(True))
    scope = team_scope(actor)
    if scope is not None:
        if not scope:
            return []
        stmt = stmt.where(TeamRow.id.in_(sorted(scope)))
    return list(session.scalars(stmt))


def plan_team_ids(result: Mapping[str, Any] | None) -> frozenset[str]:
    """Team ids that have a route in a stored plan.json dict."""
    return frozenset(str(r.get("team", r.get("team_id", ""))) for r in (result or {}).get("routes", ()) or ())


def visible_plan_ids(actor: Any, session: Session) -> frozenset[int]:
    """Saved plans ``actor`` may open: every plan for admins and coordinators, else plans routing one of their teams
    (for officers only those issued, running or finished: a draft is not theirs yet)."""
    scope = team_scope(actor)
    stmt = select(PlanRow.id, PlanRow.result)
    if not sees_drafts(actor):
        stmt = stmt.where(PlanRow.status.in_(ISSUED_PLAN_STATUSES))
    rows = session.execute(stmt).all()
    if scope is None:
        return frozenset(int(i) for i, _ in rows)
    return frozenset(int(i) for i, result in rows if plan_team_ids(result) & scope)


def plan_refusal(actor: Any, plan_id: int, *, session: Session) -> str:
    """Why ``actor`` may not open, issue, start or finish saved plan ``plan_id``; "" when they may.

    The same rule as :func:`authorise` (``plan`` on the saved plan), said before the click so that a page offers
    only what the actor may do (walk S: a leader was offered 打开此计划 and 标记完成 on a plan with another team's
    route, and the click was refused): ``含其他组（T2）的线路：请协调员打开、下发或标记完成``.
    """
    try:
        authorise(actor, "plan", PlanRef(plan_id=plan_id), session=session)
    except PermissionDenied as exc:
        scope = team_scope(actor)
        if scope is not None and is_allowed(actor, "plan"):
            result = session.scalar(select(PlanRow.result).where(PlanRow.id == plan_id))
            teams = plan_team_ids(result)
            if (foreign := sorted(teams - scope)) and teams & scope:
                return f"含其他组（{'、'.join(foreign)}）的线路：请协调员打开、下发或标记完成"
        return str(exc)
    return ""


def plan_case_nos(doc: Any) -> frozenset[str]:
    """Every case number a plan document refers to (visits and case details)."""
    return frozenset(c for v in doc.visits.values() for c in v.case_nos) | frozenset(doc.cases)


def filter_plan_for(actor: Any, doc: Any) -> Any:
    """The part of a plan document ``actor`` may see.

    Admins and coordinators get ``doc`` itself. Others get only their teams' routes, the visits on them, those
    teams and the case details of those visits; unassigned visits and other teams are left out.
    """
    scope = team_scope(actor)
    if scope is None:
        return doc
    routes = tuple(r for r in doc.plan.routes if r.team_id in scope)
    visit_ids = {s.visit_id for r in routes for s in r.stops}
    visits = {k: v for k, v in doc.visits.items() if k in visit_ids}
    case_nos = {c for v in visits.values() for c in v.case_nos}
    plan = dataclasses.replace(doc.plan, routes=routes, unassigned=())
    return dataclasses.replace(
        doc,
        plan=plan,
        visits=visits,
        teams={k: t for k, t in doc.teams.items() if k in scope},
        cases={k: c for k, c in doc.cases.items() if k in case_nos},
    )


def route_counts(doc: Any) -> tuple[int, int, frozenset[str]]:
    """(routes, stops, team ids) of a plan document: what a reader of it gets to see."""
    routes = doc.plan.routes
    return len(routes), sum(len(r.stops) for r in routes), frozenset(r.team_id for r in routes)


def authorise_cases(actor: Any, action: str, case_nos: Iterable[str], *, session: Session) -> None:
    """Raise unless every case among ``case_nos`` that exists in the database is ``actor``'s to ``action``.

    Numbers the database does not know (free points in an uploaded visits.csv) are not refused: they give access
    to nothing stored.

    Raises
    ------
    PermissionDenied
        Naming up to ten of the cases that belong to other teams (or, for officers, to no team of theirs).
    """
    authorise(actor, action)
    outside = outside_cases(actor, session, case_nos)
    if not outside:
        return
    # A letter another team's issued or running plan holds is refused for that, named, not as a rights problem
    # (walk W32: 无权规划路线……不属于本人负责的组……请联系管理员 over letters another leader's plan held).
    held = held_elsewhere(actor, session, outside)
    rest = [c for c in outside if c not in held]
    by_plan: dict[str, list[str]] = {}
    for no, why in held.items():
        by_plan.setdefault(why, []).append(no)
    parts = [f"信访件 {'、'.join(nos[:10])}{f' 等 {len(nos)} 件' if len(nos) > 10 else ''} {why}"
             for why, nos in by_plan.items()]
    if rest:
        more = f" 等 {len(rest)} 件" if len(rest) > 10 else ""
        parts.append(f"信访件 {'、'.join(rest[:10])}{more} 不属于本人负责的组")
    if not rest:
        raise CaseHeldError(f"{_who(actor)} 不能{ACTIONS[action].label}：{'；'.join(parts)}。可在“选件”中去掉这些"
                            "信访件后重新生成走访点，或请该组组长在其计划中调整。")
    raise PermissionDenied(f"{_who(actor)} 无权{ACTIONS[action].label}：{'；'.join(parts)}")


# --- the permission matrix --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """One way into the office's data: a page, a download button, an upload, an export format or a CLI command.

    ``action`` None means the path reads no office data and needs no account (the login form, a file-to-file tool).
    ``runs_as`` is for CLI commands: ``"system"`` (a batch job on the server, acting as SYSTEM) or ``"user"``
    (accepts ``--user``; the named account's rights and scope apply, password in ``XIAFANG_PASSWORD``).
    """

    kind: str  # page | download | upload | export | cli | action (a page button that writes)
    name: str  # page file, widget key, format or command module
    action: str | None
    label: str
    runs_as: str = "user"


def _p(name: str, action: str | None, label: str) -> Entry:
    return Entry("page", name, action, label)


def _d(name: str, action: str, label: str) -> Entry:
    return Entry("download", name, action, label)


def _u(name: str, action: str, label: str) -> Entry:
    return Entry("upload", name, action, label)


def _e(name: str, action: str, label: str) -> Entry:
    return Entry("export", name, action, label)


def _a(name: str, action: str, label: str) -> Entry:
    return Entry("action", name, action, label)


def _c(name: str, action: str | None, label: str, runs_as: str) -> Entry:
    return Entry("cli", name, action, label, runs_as)


#: Every page (file), download (widget key), upload (widget key), export (format or writer) and CLI command
#: (module of ``planner.commands``), with the action it needs. Team-scoped actions show leaders and officers only
#: their own teams' cases and routes.
MATRIX: tuple[Entry, ...] = (
    _p("pages/home.py", "view_cases", "首页：本人可见信访件的统计"),
    _p("pages/import_register.py", "import", "导入登记表"),
    _p("pages/case_map.py", "view_cases", "案件地图：本人可见的信访件"),
    _p("pages/clusters.py", "view_cases", "关联分析：本人可见的信访件（调整需规划权限）"),
    _p("pages/selection.py", "plan", "选件：本人可选的信访件"),
    _p("pages/planning.py", "plan", "路线规划：本人负责的组和信访件"),
    _p("pages/itinerary.py", "view_cases", "行程：本组的线路"),
    _p("pages/followup.py", "record_outcome", "回访跟踪：本组的信访件"),
    _p("pages/figures.py", "view_stats", "统计：本组的走访结果"),
    _p("pages/settings.py", "view_settings", "设置（修改需设置权限）"),
    _p("pages/users.py", "manage_users", "用户管理"),
    _p("pages/teams.py", "view_teams", "检查组：组长只读本人负责的组（新建、修改、导入需管理检查组权限）"),
    _p("pages/places.py", "view_cases", "地名校准：各地点的精度和涉及的信访件数（校准需规划权限）"),
    _p("pages/login.py", None, "登录（签入前）"),
    _p("pages/common.py", None, "页面共用函数（不是页面）"),
    _p("pages/common_unassigned.py", None, "路线规划页的未安排走访点与建议（不是页面）"),
    _p("pages/common_stops.py", None, "路线规划页按行程的叫法称呼走访点（不是页面）"),
    _p("pages/common_locks.py", None, "路线规划页的锁定框：显示页上方案的锁定（不是页面）"),
    _p("pages/common_stale.py", None, "回访跟踪页表单的版本核对：本人保存后不算他人修改（不是页面）"),
    _p("pages/common_recurring.py", None, "关联分析页的多发问题：各地说法相同、各自的问题（不是页面）"),
    _p("pages/__init__.py", None, "包文件（不是页面）"),
    *(_d(f"it_dl_{f}", "download_itinerary", f"行程：本组一天的 {f}") for f in ("pdf", "html", "ics", "gpx", "kml",
                                                                             "geojson", "zip", "gpkg", "shp")),
    _d("it_dl_plan_xlsx", "download_itinerary", "行程：整个计划的 Excel（只含本人可见的组）"),
    _d("it_dl_plan_zip", "download_itinerary", "行程：整个计划的整包（只含本人可见的组）"),
    _d("sel_download", "plan", "选件：visits.csv"),
    _d("st_download", "export", "统计：Excel"),
    _d("st_register_download", "export", "统计：登记表 Excel（本人可见的信访件，信访人身份已隐去）"),
    _d("st_outcomes_download", "view_stats",
       "统计：走访结果 Excel（本人所在组的走访结果；信访人身份已隐去，可查看身份的账户填写理由后导出）"),
    _d("import_rejected_download", "import", "导入：未导入的行"),
    _d("import_history_download", "import", "导入 › 导入记录：历次导入中未导入的行（个人信息已遮蔽）"),
    _d("fu_cl_dl", "record_outcome", "回访跟踪：本组信访件的澄清函"),
    _d("fu_cl_dl_docs", "record_outcome", "回访跟踪 › 文书：本组信访件的澄清函"),
    _d("tm_download", "view_teams", "检查组：teams.csv（本人可见的组，成员只有姓名）"),
    _d("pl_download", "view_cases", "地名校准：地名库 CSV（地点和坐标，不含信访件）"),
    _d("audit_download", "manage_users", "用户管理：审计日志 Excel（最近 200 条）"),
    _d("set_backup_download", "backup", "设置：数据库备份 zip（含信访人身份，仅管理员）"),
    _u("import_upload", "import", "导入：登记表"),
    _u("pl_upload", "plan", "路线规划：visits.csv（其中的信访件须属本人负责的组）"),
    _u("it_upload", "plan", "行程：plan.json"),
    _u("tm_upload", "manage_teams", "检查组：导入 teams.csv"),
    *(_e(f, "download_itinerary", f"导出 {f}（只含本人可见的组）") for f in ("pdf", "html", "ics", "gpx", "kml",
                                                                         "geojson", "xlsx", "zip", "gpkg", "shp")),
    _e("stats_xlsx", "export", "统计 Excel"),
    _e("visits_csv", "plan", "选件 visits.csv"),
    _e("rejected_rows_xlsx", "import", "未导入的行"),
    _e("register_xlsx", "export", "登记表 Excel（信访人身份已隐去）"),
    _e("clarification_docx", "record_outcome", "澄清函"),
    _e("outcomes_xlsx", "view_stats",
       "走访结果 Excel（每件一行；本人所在组的走访，信访人身份已隐去，查看身份另需权限）"),
    _e("backup_zip", "backup", "数据库备份"),
    _e("cases_gis", "export", "案件点位 GeoPackage/Shapefile（不含信访人身份）"),
    _e("gazetteer_csv", "view_cases", "地名库 CSV（只有地名和坐标）"),
    _e("teams_csv", "view_teams", "检查组 teams.csv（本人可见的组，成员只有姓名）"),
    _a("sel_build", "plan", "选件：生成走访点（协调员、管理员生成的另需分派权限，分给各组组长）"),
    _a("sel_ho_move", "hand_over", "选件：把交给各组的一个走访点改派给另一组"),
    _a("sel_ho_adopt", "plan", "选件：组长采用协调员交来的本组走访点"),
    _a("sel_ho_keep", "plan", "选件：组长不采用，保留自己的选件"),
    _a("cl_rerun", "reanalyse", "关联分析：重新分析（人工合并、拆分的决定保留）"),
    _a("cl_regroup", "reanalyse", "关联分析：重新分析时全部重新归类"),
    _c("backup", "backup", "备份", "system"),
    _c("restore", "backup", "恢复", "system"),
    _c("users", "manage_users", "用户管理", "system"),
    _c("import_register", "import", "导入登记表", "system"),
    _c("followup", "record_outcome", "回访日检", "system"),
    _c("plan", "plan", "路线规划（文件到文件，读取案件摘要）", "system"),
    _c("teams", "view_settings", "写出检查组 teams.csv", "system"),
    _c("export", "download_itinerary", "导出行程（--user 时只含该账户可见的组）", "user"),
    _c("select_cases", "plan", "选件（--user 时只含该账户可选的信访件）", "user"),
    _c("stats", "view_stats", "统计（--user 时只含该账户的组）", "user"),
    _c("cluster", None, "关联分析（只读所给的登记表文件）", "system"),
    _c("geocode", None, "地址解析（读本单位地名库的地点，不读信访件）", "system"),
    _c("gazetteer", "import", "本单位地名库：导入地名文件、导出全部地名", "system"),
    _c("export_cases", "export", "案件点位导出 GIS（不含信访人身份）", "system"),
    _c("demo_data", None, "生成演示登记表（虚构数据）", "system"),
    _c("solve_vrptw", None, "VRPTW 标准算例（不读数据库）", "system"),
)


def entry(kind: str, name: str) -> Entry:
    """The matrix row of one path.

    Raises
    ------
    PermissionDenied
        When the path has no row: a path nobody has decided about is refused, not allowed.
    """
    for e in MATRIX:
        if e.kind == kind and e.name == name:
            return e
    raise PermissionDenied(f"{kind} {name!r} 不在权限表中，不能使用（请在 planner.office.authorisation.MATRIX 中登记）")


def allowed_roles(e: Entry) -> frozenset[str]:
    """Roles that may use a matrix row (every role when it needs no action)."""
    return ALL if e.action is None else ACTIONS[e.action].roles
