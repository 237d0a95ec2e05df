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
        description="回访跟踪日检：按“设置”页的回访间隔（化解或整改期限届满后多少天，默认 30 天）生成回访建议，"
        "列出超期与临期信访件、逾期整改事项、双反馈缺项。",
    )
    p.add_argument("--today", default=None, help="按哪一天检查，YYYY-MM-DD（默认：今天）")
    # Read as text and checked in run(): argparse would refuse "45天" in English.
    p.add_argument("--delay", default=None,
                   help="仅本次：化解或整改期限届满后多少天回访（1–365；默认取“设置”页的回访间隔，未设置为 30 天）")
    p.add_argument("--dry-run", action="store_true", help="只报告，不保存新的回访建议")
    p.add_argument("--db", default=None, help="数据库地址（默认：环境变量 DATABASE_URL，或本机的 SQLite 文件）")
    p.set_defaults(func=run)


def run(args) -> int:
    """Run the check and print one block per list; return the exit code."""
    from planner.followup.deadlines import deadline_watch
    from planner.followup.feedback import missing_feedback
    from planner.followup.rectification import overdue_rectifications
    from planner.followup.returns import propose_return_visits
    from planner.office.settings import check_return_delay_days, return_delay_days
    from planner.store.database import get_engine, session_factory

    try:
        today = dt.date.fromisoformat(args.today) if args.today else local_today()
    except ValueError:
        raise InputError(f"--today：日期应写作 2026-12-07 这样，收到 {args.today!r}") from None
    delay = None if args.delay is None else check_return_delay_days(_whole(args.delay), what="--delay 的回访间隔")
    session = session_factory(get_engine(args.db))()
    try:
        setting = return_delay_days(session)
        if delay is None:
            print(f"回访间隔：化解或整改期限届满后 {setting} 天（按设置）")
        else:
            print(f"回访间隔：本次按 --delay 取 {delay} 天（设置为 {setting} 天，未改动）")
        created = propose_return_visits(session, today, delay_days=delay)
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


def _whole(text: str) -> int | str:
    """``text`` as an integer when it is one (``45``, full-width ``４５``), else unchanged for the refusal to show."""
    try:
        return int(text.strip())
    except ValueError:
        return text
