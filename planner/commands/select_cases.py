"""``python -m planner select``: rank open cases in the database and write the top ones as the planner's visits.csv."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from planner.office.clock import local_today
from planner.errors import InputError


def register(subparsers) -> None:  # noqa: ANN001 - argparse private type
    """Add the ``select`` subcommand."""
    p = subparsers.add_parser(
        "select",
        help="选件: rank open cases and write the top ones as visits.csv for `plan`",
        description="Rank open cases (deadline, repeats, clusters, severity, people affected, return visits due) "
        "and write the chosen ones as visits in the planner's visits.csv format.",
    )
    p.add_argument("--top", type=int, default=40, help="number of cases to take (default 40)")
    p.add_argument("--county", action="append", default=[], help="county name or code (repeatable), e.g. 平和 or 350628")
    p.add_argument("--category", action="append", default=[], help="问题类别 to keep (repeatable)")
    p.add_argument("--from-date", type=_date, help="only cases received on or after YYYY-MM-DD")
    p.add_argument("--to-date", type=_date, help="only cases received on or before YYYY-MM-DD")
    p.add_argument("--today", type=_date, default=None, help="planning date (default: today)")
    p.add_argument("--horizon-days", type=int, default=14, help="deadlines beyond this many days set no latest_date")
    p.add_argument("--out", required=True, help="visits.csv to write")
    p.add_argument("--user", default=None,
                   help="act as this account (password in XIAFANG_PASSWORD): needs the plan right; only the cases "
                   "and teams it may plan (default: a batch job of the server, every case)")
    p.set_defaults(func=run)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


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
    from planner.store.teams import load_teams

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
    ranked = rank_cases(cases, today=today, signals=signals)[: args.top]
    if not ranked:
        raise InputError("没有符合筛选条件的未办结信访件，无可选件")
    build = build_visits(ranked, today=today, teams=teams,
                         options=VisitOptions(horizon_end=today + dt.timedelta(days=args.horizon_days)))
    write_visits_csv(build.visits, args.out)
    print(f"选件 {len(ranked)} 件 -> {len(build.visits)} 个走访点, 写入 {args.out}")
    for case_no, reason in build.skipped:
        print(f"  未纳入 {case_no}: {reason}", file=sys.stderr)
    return 0
