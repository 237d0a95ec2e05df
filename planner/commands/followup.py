"""``python -m planner followup``: daily check — propose due 回访, list overdue cases, 整改 and missing 双反馈."""

from __future__ import annotations

import datetime as dt

from planner.errors import InputError
from planner.office.clock import local_today


def register(subparsers) -> None:
    """Add the ``followup`` subcommand."""
    p = subparsers.add_parser(
        "followup",
        help="回访跟踪日检：生成回访建议，列出超期与临期信访件、逾期整改、双反馈缺项",
        description="回访跟踪日检：按设置（默认化解后 30 天）生成回访建议，"
        "列出超期与临期信访件、逾期整改事项、双反馈缺项。",
    )
    p.add_argument("--today", default=None, help="按哪一天检查，YYYY-MM-DD（默认：今天）")
    p.add_argument("--delay", type=int, default=None,
                   help="化解后多少天回访（默认取设置，30 天）")
    p.add_argument("--dry-run", action="store_true", help="只报告，不保存新的回访建议")
    p.add_argument("--db", default=None, help="数据库地址（默认：环境变量 DATABASE_URL，或本机的 SQLite 文件）")
    p.set_defaults(func=run)


def run(args) -> int:
    """Run the check and print one block per list; return the exit code."""
    from planner.followup.deadlines import deadline_watch
    from planner.followup.feedback import missing_feedback
    from planner.followup.rectification import overdue_rectifications
    from planner.followup.returns import propose_return_visits
    from planner.store.database import get_engine, session_factory

    try:
        today = dt.date.fromisoformat(args.today) if args.today else local_today()
    except ValueError:
        raise InputError(f"--today：日期应写作 2026-12-07 这样，收到 {args.today!r}") from None
    session = session_factory(get_engine(args.db))()
    try:
        created = propose_return_visits(session, today, delay_days=args.delay)
        if args.dry_run:
            session.rollback()
        else:
            session.commit()
        verb = "将新增" if args.dry_run else "新增"
        print(f"{verb}回访建议 {len(created)} 条")
        for t in created:
            print(f"  {t.case_no}\t到期 {t.due_date.isoformat()}\t建议检查组 {t.preferred_team_id or '—'}")
        watch = deadline_watch(session, today)
        late = sum(d.state == "overdue" for d in watch)
        print(f"已超期 {late} 件，临近期限 {len(watch) - late} 件")
        for d in watch:
            print(f"  {d.case_no}\t{d.state_label}\t期限 {d.due_date.isoformat()}\t剩余 {d.days_left} 天\t{d.county}")
        overdue = overdue_rectifications(session, today)
        print(f"逾期整改事项 {len(overdue)} 项")
        for r in overdue:
            print(f"  {r.case_no}\t{r.owner}\t期限 {r.due_date.isoformat()}\t逾期 {r.days_overdue(today)} 天")
        missing = missing_feedback(session)
        print(f"双反馈缺项 {len(missing)} 件")
        for m in missing:
            print(f"  {m.case_no}\t缺 {m.missing_labels()}")
    finally:
        session.close()
    return 0
