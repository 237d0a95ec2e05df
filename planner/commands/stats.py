"""``python -m planner stats``: 带信下访 figures by county, town, period, team or category, optionally to Excel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from planner.errors import InputError
from planner.office.clock import local_today


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"日期应写作 2026-12-07 这样，收到 {text!r}") from None


def register(subparsers) -> None:
    """Add the ``stats`` subcommand."""
    p = subparsers.add_parser(
        "stats",
        help="统计：带信下访件数、解决问题、入户走访、问题线索、澄清 ……，可导出 Excel",
        description="统计：带信下访件数、推动解决问题、入户走访、收集问题线索、解决问题、澄清、重复信访化解，"
        "按县区/期间/检查组/类别分组；另列认定结果（属实、部分属实、不属实）、按类别的收件数和逾期未办结件数，"
        "可导出 Excel。",
    )
    today = local_today()
    p.add_argument("--from", dest="start", default=f"{today.year}-01-01",
                   help="起始日期，YYYY-MM-DD（默认：今年 1 月 1 日）")
    p.add_argument("--to", dest="end", default=today.isoformat(), help="截止日期（含当天），YYYY-MM-DD（默认：今天）")
    p.add_argument(
        "--by", default="county",
        help="分组方式，逗号分隔：county（县区）、town（乡镇，带县区）、period（期间）、team（检查组）、category（类别）；"
        "写 '' 只出合计",
    )
    p.add_argument("--period", default="month", choices=("month", "quarter", "year"),
                   help="期间长度：month（月）、quarter（季度）、year（年）")
    p.add_argument("--county", default="", help="只统计这些县区代码，逗号分隔（如 350628,350629）")
    p.add_argument("--out", type=Path, default=None, help="另写一个 .xlsx 工作簿（汇总、趋势、说明三张表）")
    p.add_argument("--db", default=None, help="数据库地址（默认：环境变量 DATABASE_URL，或本机的 SQLite 文件）")
    p.add_argument("--user", default=None,
                   help="以该账户身份统计（密码放在 XIAFANG_PASSWORD）：只统计其所在检查组；--out 须有导出权限"
                   "（默认：作为服务器批处理任务，统计全部检查组）")
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
    if (ex := stats.extras) is not None:  # walk 3: by finding, received by category, overdue open letters
        print()
        for title, rows in (("认定结果", ex.findings_table()), ("收到信访件（按类别）", ex.received_table())):
            print(f"{title}\t件数")
            for row in rows:
                print("\t".join(str(v) for v in row))
        if note := ex.category_note():
            print(note)
        print("收到信访件（按县区）\t收件\t未办结\t已办结（含化解、澄清）")
        for row in ex.county_table():
            print("\t".join(str(v) for v in row))
        print(f"逾期未办结（截至 {ex.today.isoformat()}）\t{ex.overdue}")
    if args.out is not None:
        stats_to_excel(stats, args.out)
        print(f"已写入 {args.out}")
    return 0
