"""``python -m planner stats``: 带信下访 figures by county, period, team or category, optionally to Excel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from planner.office.clock import local_today
from planner.errors import InputError


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"日期应写作 2026-12-07 这样，收到 {text!r}") from None


def register(subparsers) -> None:
    """Add the ``stats`` subcommand."""
    p = subparsers.add_parser(
        "stats",
        help="figures: letters taken down, problems solved, household visits, leads, clarifications ...",
        description="统计：带信下访件数、推动解决问题、入户走访、收集问题线索、解决问题、澄清、重复信访化解，"
        "按县区/期间/检查组/类别分组，可导出 Excel。",
    )
    today = local_today()
    p.add_argument("--from", dest="start", default=f"{today.year}-01-01", help="first day (default: 1 January)")
    p.add_argument("--to", dest="end", default=today.isoformat(), help="last day, inclusive (default: today)")
    p.add_argument(
        "--by", default="county", help="comma-separated groups: county, period, team, category ('' for totals only)"
    )
    p.add_argument("--period", default="month", choices=("month", "quarter", "year"), help="period length")
    p.add_argument("--county", default="", help="only these county codes, comma-separated (e.g. 350628,350629)")
    p.add_argument("--out", type=Path, default=None, help="write an .xlsx workbook (汇总, 趋势, 说明)")
    p.add_argument("--db", default=None, help="database URL (default: DATABASE_URL or the local SQLite file)")
    p.add_argument("--user", default=None,
                   help="act as this account (password in XIAFANG_PASSWORD): the figures of its teams only; --out "
                   "needs the export right (default: a batch job of the server, every team)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Compute the figures, print them and write the workbook; return the exit code."""
    from planner.followup.stats import compute_stats, stats_to_excel
    from planner.store.database import get_engine, session_scope

    start = _date(args.start)
    end = _date(args.end)
    by = tuple(d.strip() for d in args.by.split(",") if d.strip())
    counties = tuple(c.strip() for c in args.county.split(",") if c.strip())
    if args.out is not None and args.out.suffix.lower() != ".xlsx":
        raise InputError(f"--out：文件名须以 .xlsx 结尾，收到 {str(args.out)!r}")
    with session_scope(get_engine(args.db)) as session:
        actor = None
        if args.user:
            from planner.commands import signed_in
            from planner.office.authorisation import authorise

            actor = signed_in(session, args.user)
            if args.out is not None:
                authorise(actor, "export")
        stats = compute_stats(session, start=start, end=end, by=by, period=args.period, county_codes=counties,
                              actor=actor)
    headers = stats.headers()
    print("\t".join(headers))
    for row in stats.table():
        print("\t".join(str(v) for v in row))
    print(stats.summary())
    if args.out is not None:
        stats_to_excel(stats, args.out)
        print(f"-> {args.out}")
    return 0
