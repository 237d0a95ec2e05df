"""``python -m planner plan``: plan routes for teams over working days from visits.csv and teams.csv to plan.json."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from planner.errors import InputError


def register(subparsers) -> None:
    """Add the ``plan`` subcommand."""
    p = subparsers.add_parser(
        "plan",
        help="路线规划：为多个检查组排出多日走访线路（OR-Tools），写入 plan.json",
        description="路线规划：按检查组、工作日排出走访线路（午休、时间窗、日期窗、指定、同日组、专长、回避）。",
    )
    p.add_argument("--visits", type=Path, required=True,
                   help="走访点文件 visits.csv：id, lon, lat, service_min, priority ……")
    p.add_argument("--teams", type=Path, required=True,
                   help="检查组文件 teams.csv：id, name, depot_lon, depot_lat, shift ……，"
                   "或中文列名：组号, 组名, 基地经度, 基地纬度, 上班时间 ……")
    p.add_argument("--matrix", type=Path, default=None,
                   help="行车时间距离表 matrix.csv：from,to,seconds,meters（走访点编号；检查组基地写 team:<id>）")
    p.add_argument("--osrm", default=None, help="改为向该 OSRM 服务器查询行车时间（填服务器网址）")
    p.add_argument("--start", required=True, help="第一天，YYYY-MM-DD")
    p.add_argument("--days", type=int, default=5, help="工作日天数（跳过周末，默认 5）")
    p.add_argument("--holidays", default="", help="节假日，YYYY-MM-DD，多个用 ';' 分隔（与周末一样跳过）")
    p.add_argument("--weekends", action="store_true", help="周六、周日也算工作日")
    p.add_argument("--time-limit", type=float, default=10.0, help="求解时间，秒（默认 10）")
    p.add_argument("--seed", type=int, default=0, help="求解随机种子（种子相同，方案相同）")
    p.add_argument("--out", type=Path, required=True, help="要写入的方案文件 plan.json")
    p.set_defaults(func=run)


def run(args) -> int:
    """Read the inputs, solve, write plan.json, print the summary; return the exit code."""
    from planner.intake.plan_files import read_teams, read_visits
    from planner.routing import MatrixFileTravel, OfflineTravelModel, OsrmTravel, PlanOptions, build_problem, solve
    from planner.routing.planio import plan_to_json, write_plan_json

    try:
        start = dt.date.fromisoformat(args.start.strip())
    except ValueError:
        raise InputError(f"--start：日期应写作 YYYY-MM-DD（如 2026-12-07），收到 {args.start!r}") from None
    holidays = []
    for text in (x.strip() for x in args.holidays.replace("；", ";").split(";")):
        if text:
            try:
                holidays.append(dt.date.fromisoformat(text))
            except ValueError:
                raise InputError(f"--holidays：日期应写作 YYYY-MM-DD（如 2026-12-07），收到 {text!r}") from None
    options = PlanOptions(skip_weekends=not args.weekends, holidays=tuple(holidays))
    # Column names as the planner writes them or in Chinese (组号, 组名, 成员, 专长 …).
    visits = read_visits(args.visits)
    teams = read_teams(args.teams)
    if args.matrix is not None:
        travel = MatrixFileTravel(args.matrix, fallback=OfflineTravelModel())
    elif args.osrm:
        travel = OsrmTravel(args.osrm, fallback=OfflineTravelModel())
    else:
        travel = OfflineTravelModel()
    problem = build_problem(visits, teams, start_date=start, days=args.days, travel=travel, options=options)
    plan = solve(problem, time_limit_s=args.time_limit, seed=args.seed)
    cases, teams = _from_database(visits, teams)
    write_plan_json(args.out, plan_to_json(plan, visits=visits, teams=teams, cases=cases))
    from planner.routing.advice import plan_summary

    print(plan_summary(plan, {v.visit_id: v for v in visits}))  # 不满足必访要求（N 个必访点未排入）when any is out
    for u in plan.unassigned:
        print(f"未安排 {u.visit_id}: {u.reason_code} {u.reason}", file=sys.stderr)
    return 0 if plan.status != "infeasible" or not visits else 1


def _from_database(visits, teams):
    """Case details and member names from the office's database, so plan.json is a complete field packet source.

    Only an existing database is read (``DATABASE_URL`` or the default SQLite file); none is created here.
    """
    import os
    from dataclasses import replace

    from planner.store.database import data_dir, get_engine, session_scope

    if not os.environ.get("DATABASE_URL") and not (data_dir() / "xiafang.db").exists():
        return {}, teams
    from sqlalchemy import select

    from planner.store.cases import field_case_details
    from planner.store.models import TeamMemberRow

    wanted = {c for v in visits for c in v.case_nos}
    with session_scope(get_engine()) as session:
        cases = field_case_details(session, wanted)  # identities in the letters' text masked
        names = {r.id: r.name for r in session.execute(select(TeamMemberRow.id, TeamMemberRow.name))}
    teams = [
        replace(t, members=tuple(replace(m, name=names.get(m.member_id, m.name)) for m in t.members)) for t in teams
    ]
    return cases, teams
