"""``python -m planner select``: rank open cases in the database and write the top ones as the planner's visits.csv."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from planner.errors import InputError
from planner.office.clock import local_today


def register(subparsers) -> None:
    """Add the ``select`` subcommand."""
    p = subparsers.add_parser(
        "select",
        help="选件：给未办结信访件排序，把排在前面的写成 visits.csv，供 plan 命令使用",
        description="选件：按办理期限、重复信访、同类问题、严重程度、涉及人数、到期回访给未办结信访件排序，"
        "把选中的信访件按路线规划的 visits.csv 格式写成走访点。",
    )
    p.add_argument("--top", type=int, default=40, help="选取的信访件数量（默认 40）")
    p.add_argument("--county", action="append", default=[], help="县区名称或代码（可重复），如 平和 或 350628")
    p.add_argument("--category", action="append", default=[], help="只保留的问题类别（可重复）")
    p.add_argument("--from-date", type=_date, help="只选该日及以后收件的信访件，YYYY-MM-DD")
    p.add_argument("--to-date", type=_date, help="只选该日及以前收件的信访件，YYYY-MM-DD")
    p.add_argument("--today", type=_date, default=None, help="规划日期，YYYY-MM-DD（默认：今天）")
    p.add_argument("--out", required=True, help="要写入的 visits.csv")
    p.add_argument("--user", default=None,
                   help="以该账户身份选件（密码放在 XIAFANG_PASSWORD）：须有路线规划权限，只选其可规划的信访件和检查组"
                   "（默认：作为服务器批处理任务，包括全部信访件）")
    p.set_defaults(func=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写作 YYYY-MM-DD（如 2026-12-07），收到 {text!r}") from None


def county_codes(names: list[str]) -> tuple[str, ...]:
    """Resolve county names (current, old or short) or codes to current 6-digit codes.

    Raises
    ------
    InputError
        For a name that is no Zhangzhou county.
    """
    import geodata

    table = {}
    for c in geodata.counties():
        for key in (c.code, c.name, c.short, *c.old_names, *c.old_codes):
            if key:
                table[key] = c.code
    out = []
    for name in names:
        code = table.get(name.strip())
        if code is None:
            raise InputError(f"--county：{name!r} 不是漳州市的县区；可写作 平和县、平和 或 350628")
        out.append(code)
    return tuple(out)


def run(args: argparse.Namespace) -> int:
    """Rank, choose and write visits; print a short summary."""
    from planner.selection.ranking import VisitOptions, build_visits, rank_cases, signals_from_db, write_visits_csv
    from planner.store.cases import load_cases
    from planner.store.database import get_engine, session_scope
    from planner.store.teams import load_teams, with_people

    if args.top <= 0:
        raise InputError(f"--top 须为正数，收到 {args.top!r}")
    today = args.today or local_today()
    codes = county_codes(args.county)
    with session_scope(get_engine()) as session:
        actor = None
        if args.user:
            from planner.commands import signed_in
            from planner.office.authorisation import authorise, visible_team_codes

            actor = signed_in(session, args.user)
            authorise(actor, "plan")
        cases = load_cases(session, actor=actor, county_codes=codes, categories=args.category,
                           since=args.from_date, until=args.to_date)
        signals = signals_from_db(session)
        if actor is None:
            teams = load_teams(session)
        else:
            mine = tuple(visible_team_codes(actor, session))
            teams = load_teams(session, team_ids=mine) if mine else []
        teams = with_people(session, teams)  # a member-less team's accounts, for 回避 as on its sheets
    ranked = rank_cases(cases, today=today, signals=signals)[: args.top]
    if not ranked:
        raise InputError("没有符合筛选条件的未办结信访件，无可选件")
    build = build_visits(ranked, today=today, teams=teams,
                         options=VisitOptions())
    from planner.selection.labels import member_names

    write_visits_csv(build.visits, args.out, member_names=member_names(teams))  # 回避人员姓名 as 选件 writes it
    print(f"选件 {len(ranked)} 件 -> {len(build.visits)} 个走访点, 写入 {args.out}")
    for case_no, reason in build.skipped:
        print(f"  未纳入 {case_no}: {reason}", file=sys.stderr)
    return 0
