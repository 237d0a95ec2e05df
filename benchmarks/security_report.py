"""Security figures: identity leaks per role x format, live payloads, killed-import losses, lost updates, fuzz counts.

Run: ``python benchmarks/security_report.py [--examples 10000] [--skip-fuzz] [--no-pg]``.
PostgreSQL is used when reachable at ``XIAFANG_TEST_PG`` (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from sqlalchemy import Engine, create_engine, select, text  # noqa: E402
from sqlalchemy.orm.exc import StaleDataError  # noqa: E402

from planner.errors import InputError  # noqa: E402
from planner.store.database import make_engine, session_factory, session_scope, upgrade  # noqa: E402
from tests.security import fuzz, harness  # noqa: E402
from tests.security.seed import dump, seed  # noqa: E402

PG_ADMIN_URL = os.environ.get("XIAFANG_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextlib.contextmanager
def databases(use_pg: bool) -> Iterator[list[Engine]]:
    """A fresh SQLite file and, when reachable, a fresh PostgreSQL database; both dropped afterwards."""
    engines: list[Engine] = []
    tmp = tempfile.TemporaryDirectory()
    sqlite = make_engine(f"sqlite:///{Path(tmp.name) / 'report.db'}")
    upgrade(sqlite)
    engines.append(sqlite)
    pg_name = None
    admin = None
    if use_pg:
        try:
            admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
            pg_name = f"xf_report_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{pg_name}"'))
            pg = make_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + pg_name)
            upgrade(pg)
            engines.append(pg)
        except Exception as exc:
            print(f"(PostgreSQL not used: {type(exc).__name__}: {str(exc)[:80]})")
            pg_name = None
    try:
        yield engines
    finally:
        for e in engines:
            e.dispose()
        if admin is not None and pg_name:
            with admin.connect() as conn:
                conn.execute(
                    text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{pg_name}'")
                )
                conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_name}"'))
            admin.dispose()
        tmp.cleanup()


def _empty(engine: Engine) -> None:
    from planner.store.models import Base

    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


def section(title: str) -> None:
    print(f"\n## {title}")


# --- 1 and 2: exports ------------------------------------------------------------------------------------------------


def report_exports(engine: Engine) -> tuple[int, int]:
    from planner.field import FORMATS

    s = session_factory(engine)()
    started = time.perf_counter()
    results = harness.run_exports(s)
    s.commit()
    s.close()
    fmts = list(FORMATS)
    actors = [a.username for a in harness.role_actors()]
    section(
        f"Identity leaks, masked exports (role x format; {len(results)} exports, {time.perf_counter() - started:.0f} s)"
    )
    print("actor".ljust(18) + "".join(f.rjust(9) for f in fmts))
    total_leaks = 0
    for who in actors:
        cells = []
        for f in fmts:
            r = next(r for r in results if r.actor.username == who and r.fmt == f and not r.unmask)
            n = len(r.leaks) + len(r.id_numbers)
            total_leaks += n
            cells.append(str(n).rjust(9))
        print(who.ljust(18) + "".join(cells))
    unmask = [r for r in results if r.unmask]
    refused = sum(r.refused for r in unmask if not r.actor.can("unmask"))
    should_refuse = sum(1 for r in unmask if not r.actor.can("unmask"))
    allowed = [r for r in unmask if r.actor.can("unmask")]
    wrong_unmask = sum(1 for r in unmask if not r.actor.can("unmask") and not r.refused)
    print(f"unmask attempts without permission refused: {refused}/{should_refuse}"
          f"; permitted unmasked exports audited: {sum(r.audited for r in allowed)}/{len(allowed)}"
          f"; ID numbers in permitted unmasked exports: {sum(len(r.id_numbers) for r in allowed)}")  # fmt: skip
    total_leaks += wrong_unmask
    print(f"TOTAL identity leaks: {total_leaks} (target 0)")

    section("Hostile payloads (XSS, formulas) that would execute, per format (all roles, masked and unmasked)")
    live_total = 0
    for f in fmts:
        live = [p for r in results if r.fmt == f for p in r.live]
        live_total += len(live)
        example = f"  e.g. {live[0][:100]}" if live else ""
        print(f"{f.ljust(8)} {len(live):5d}{example}")
    print(f"TOTAL payloads executed: {live_total} (target 0)")
    return total_leaks, live_total


# --- 3: killed import ----------------------------------------------------------------------------------------------


def report_killed_import(engines: list[Engine], attempts: int) -> int:
    from planner.intake.demo import generate_letters, letters_with, register_csv_bytes
    from planner.intake.register import import_register
    from tests.security.test_killed_import import kill_import_midway

    section(
        f"Killed import (SIGKILL of `python -m planner import` inside its write transaction, {attempts} per backend)"
    )
    letters = generate_letters(11, 2000)
    total_lost = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.csv"
        path.write_bytes(register_csv_bytes(letters))
        earlier = register_csv_bytes(letters_with(letters[:300], content="早先版本的内容"))
        for engine in engines:
            killed = changed_tables = lost = 0
            for _ in range(attempts):
                _empty(engine)
                with session_scope(engine) as s:
                    seed(s)
                    import_register(s, earlier, filename="earlier.csv", who="coordinator")
                before = dump(engine)
                outcome = kill_import_midway(engine, path)
                killed += outcome["killed"]
                after = dump(engine)
                changed_tables += sum(1 for t in before if before[t] != after[t])
                lost += sum(abs(len(before[t]) - len(after[t])) for t in before)
            total_lost += lost
            print(f"{engine.dialect.name:10s} killed mid-write {killed}/{attempts}; tables changed {changed_tables}; "
                  f"rows lost or half-written {lost}")  # fmt: skip
    print(f"TOTAL rows lost: {total_lost} (target 0)")
    return total_lost


# --- 4: concurrent edits --------------------------------------------------------------------------------------------


def report_concurrency(engines: list[Engine]) -> int:
    from planner.store.models import CaseRow, PlanRow, SettingRow, TeamRow
    from tests.security.test_concurrency import counter_race

    section("Concurrent edits (optimistic locking)")
    lost_total = 0
    for engine in engines:
        _empty(engine)
        with session_scope(engine) as s:
            seed(s)
        refused = 0
        edits = [(CaseRow, CaseRow.case_no, "ZZ2026-0101", "status", "selected", "closed"),
                 (PlanRow, PlanRow.name, "第二稿", "status", "approved", "done"),
                 (TeamRow, TeamRow.id, "T1", "name", "甲组", "乙组"),
                 (SettingRow, SettingRow.key, "travel", "value", {"c": 1}, {"c": 2})]  # fmt: skip
        for model, col, key, attr, first, second in edits:
            make = session_factory(engine)
            a, b = make(), make()
            ra, rb = a.scalars(select(model).where(col == key)).one(), b.scalars(select(model).where(col == key)).one()
            setattr(ra, attr, first)
            a.commit()
            setattr(rb, attr, second)
            try:
                b.commit()
            except StaleDataError:
                refused += 1
                b.rollback()
            a.close()
            b.close()
        expected, stored, retries = counter_race(engine, threads=4, increments=25)
        lost = expected - stored
        lost_total += lost + (len(edits) - refused)
        print(f"{engine.dialect.name:10s} stale second saves refused {refused}/{len(edits)} (cases, plans, teams, "
              f"settings); contention: {expected} increments by 4 threads, stored {stored}, {retries} refused and "
              f"retried, lost updates {lost}")  # fmt: skip
    print(f"TOTAL lost updates: {lost_total} (target 0)")
    return lost_total


# --- double counting in 统计 -----------------------------------------------------------------------------------------


def report_double_count(engines: list[Engine]) -> int:
    """A visit saved twice, re-saved by a second user and corrected, plus two records an older version stored for
    one visit: 统计 must equal an independent SQL sum over the latest record of each visit (case, day, team)."""
    import datetime as dt

    from planner.domain import VisitOutcome
    from planner.errors import ConflictError
    from planner.followup.outcomes import outcome_for_visit, record_outcome
    from planner.followup.stats import compute_stats, duplicate_visit_records
    from planner.store.models import CaseRow, VisitOutcomeRow

    section("Double counting in 统计 (a visit saved twice, re-saved by someone else, corrected; old duplicates)")
    day = dt.date(2026, 12, 7)
    figures = {"household_visits": "households_visited", "leads_collected": "leads_collected",
               "problems_solved": "problems_solved"}
    total = 0
    for engine in engines:
        _empty(engine)
        with session_scope(engine) as s:
            for no in ("DC-1", "DC-2", "DC-3"):
                s.add(CaseRow(case_no=no, received_date=day - dt.timedelta(days=20), deadline=day + dt.timedelta(
                    days=40), status="planned", county="平和县", county_code="350628"))
            s.flush()
            saved = VisitOutcome(case_no="DC-1", visit_date=day, result="visited", team_id="T1",
                                 problem_resolved=True, households_visited=12, leads_collected=2, problems_solved=3)
            record_outcome(s, saved, who="lin")
            record_outcome(s, saved, who="lin")  # the same form saved twice
            refused = 0
            try:  # a second user who did not see the first record
                record_outcome(s, VisitOutcome(**{**{f: getattr(saved, f) for f in saved.__slots__},
                                                  "households_visited": 15}), who="chen")
            except ConflictError:
                refused += 1
            version = outcome_for_visit(s, "DC-1", day, "T1").version
            record_outcome(s, saved, who="chen", expected_version=version)  # a correction to the same values
            dc3 = s.scalars(select(CaseRow.id).where(CaseRow.case_no == "DC-3")).one()
            for households in (15, 12):  # what an older version stored when a visit was saved again
                s.add(VisitOutcomeRow(case_id=dc3, visit_date=day, team_id="T2", result="visited",
                                      households_visited=households, problems_solved=1))
        with session_scope(engine) as s:
            stats = compute_stats(s, start=day, end=day, by=())
            latest = text(
                "SELECT COALESCE(SUM({col}), 0) FROM visit_outcomes v WHERE v.id = (SELECT MAX(w.id) FROM "
                "visit_outcomes w WHERE w.case_id = v.case_id AND w.visit_date = v.visit_date AND "
                "w.team_id = v.team_id)"
            )
            sql = {fig: int(s.execute(text(latest.text.format(col=col))).scalar()) for fig, col in figures.items()}
            counted_twice = sum(abs(stats.totals[fig] - sql[fig]) for fig in figures)
            records = s.scalar(select(text("COUNT(*)")).select_from(VisitOutcomeRow.__table__).where(
                VisitOutcomeRow.case_id.in_(select(CaseRow.id).where(CaseRow.case_no == "DC-1"))))
            extra_records = int(records) - 1
            old_duplicates = duplicate_visit_records(s) - extra_records
        total += counted_twice + extra_records
        print(f"{engine.dialect.name:10s} 入户走访 {stats.totals['household_visits']} (SQL {sql['household_visits']}), "
              f"解决问题 {stats.totals['problems_solved']} (SQL {sql['problems_solved']}); records of the visit saved "
              f"3 times: {records}; second user's unseen re-save refused {refused}/1; older duplicates ignored "
              f"{old_duplicates}")  # fmt: skip
    print(f"TOTAL double counts: {total} (target 0)")
    return total


# --- lockout under parallel attempts and restore tampering ----------------------------------------------------------


def report_lockout(engines: list[Engine], threads: int = 10, tries: int = 3) -> int:
    """Wrong passwords from parallel threads: passwords actually checked before the lock, and whether it locked."""
    from planner.office import security
    from planner.store.models import AuditRow, UserRow
    from tests.security.test_lockout_parallel import _attack

    section(f"Login lockout under parallel attempts ({threads} threads x {tries} wrong passwords)")
    total = 0
    for engine in engines:
        _empty(engine)
        with session_scope(engine) as s:
            security.create_user(s, "target", "Xiafang-2026-pass", role="coordinator")
        outcomes = _attack(engine, "target", threads=threads, tries=tries)
        with session_scope(engine) as s:
            locked = s.scalars(select(UserRow.locked_until).where(UserRow.username == "target")).one() is not None
            checked = sum(1 for d in s.scalars(select(AuditRow.detail).where(AuditRow.action == "login_failed"))
                          if (d or {}).get("why") == "bad_password")
            try:
                security.authenticate(s, "target", "Xiafang-2026-pass")
                right_password_in = True
            except security.AuthenticationError:
                right_password_in = False
        excess = max(0, checked - security.MAX_FAILED_LOGINS) + (not locked) + right_password_in
        total += excess
        print(f"{engine.dialect.name:10s} attempts {len(outcomes)}, refused {outcomes.count('refused')}; passwords "
              f"checked {checked} (limit {security.MAX_FAILED_LOGINS}); locked {locked}; right password accepted "
              f"while locked {right_password_in}")
    print(f"TOTAL lockout bypasses: {total} (target 0)")
    return total


def report_restore_tampering(engines: list[Engine]) -> int:
    """Every kind of changed backup: accepted restores, databases changed by a refused restore, identities printed."""
    from planner.office import backup as bk
    from tests.security.fuzz import BACKUP_MUTATIONS, mutate_backup
    from tests.security.seed import identity_needles

    section("Restore tampering (edited, partial, unsigned, foreign-key, truncated and malformed backups)")
    total = 0
    key = bk.backup_key()
    needles = identity_needles()
    with tempfile.TemporaryDirectory() as tmp:
        for engine in engines:
            _empty(engine)
            with session_scope(engine) as s:
                seed(s)
                from planner.office import security

                security.create_user(s, "adm", "Xiafang-2026-pass", role="admin")
                security.create_user(s, "off", "Xiafang-2026-pass", role="officer")
            good = Path(tmp) / f"{engine.dialect.name}.zip"
            bk.backup(engine, good)
            before = dump(engine)
            accepted = changed = printed = 0
            for i, how in enumerate(BACKUP_MUTATIONS):
                bad = Path(tmp) / f"{engine.dialect.name}-{i}.zip"
                assert mutate_backup(good, bad, how, 7 * i + 3, key), how
                try:
                    bk.restore(engine, bad, replace=True)
                    accepted += 1
                except InputError as exc:
                    shown = f"{exc} {exc.__cause__!r} {exc.__context__!r}"
                    printed += sum(n in shown for n in needles)
                changed += dump(engine) != before
                if dump(engine) != before:  # put the good data back for the next mutation
                    bk.restore(engine, good, replace=True)
            total += accepted + changed + printed
            print(f"{engine.dialect.name:10s} tampered backups {len(BACKUP_MUTATIONS)}: accepted {accepted}, "
                  f"database changed by a refused restore {changed}, identities printed in errors {printed}")
    print(f"TOTAL restore tampering failures: {total} (target 0)")
    return total


# --- 5: fuzzing -------------------------------------------------------------------------------------------------------


def report_cross_team(engines: list[Engine]) -> int:
    """Cross-team reads: for each leader and officer account (and an officer whose team does not exist), other
    teams' cases, routes and stops reachable through the pages' library calls, the downloads and exports, and the
    CLI as ``--user`` — plus the 13.1 attack, a forged plan saving other teams' cases as one's own. Target 0."""
    import contextlib
    import io
    from dataclasses import replace

    from planner.cli import main as cli
    from planner.errors import XiafangError
    from planner.field import FORMATS, export_plan
    from planner.followup.overview import plans_in_progress
    from planner.followup.stats import compute_stats
    from planner.followup.worklist import visit_choices
    from planner.office.authorisation import is_allowed, visible_case_nos
    from planner.store.cases import load_cases
    from planner.store.plans import list_plans, load_plan, save_plan
    from tests.office._seed import ACCOUNTS, DAY, PASSWORD, PLAN, foreign_cases, plan_doc, seed, texts

    section("Cross-team reads (other teams' cases, routes and stops a leader or officer can reach)")
    print("backend".ljust(11) + "account".ljust(10) + "pages".rjust(7) + "exports".rjust(9) + "CLI".rjust(5)
          + "forged plan".rjust(13))
    full = plan_doc()
    total = 0
    for engine in engines:
        _empty(engine)
        team_of = seed(engine, users=True)
        url = engine.url.render_as_string(hide_password=False)
        for role in ("leader", "officer", "stranger"):
            actor = ACCOUNTS[role]
            foreign = foreign_cases(role, team_of)
            others = set(full.teams) - set(actor.team_ids)
            other_names = {full.teams[t].name for t in others}

            def hits(text: str, foreign: set[str] = foreign) -> int:
                return sum(no in text for no in foreign)

            def doc_hits(doc, others: set[str] = others, foreign: set[str] = foreign) -> int:
                routes = [r for r in doc.plan.routes if r.team_id in others]
                cases = {c for v in doc.visits.values() for c in v.case_nos} | set(doc.cases)
                return len(routes) + sum(len(r.stops) for r in routes) + len(cases & foreign)

            pages = exports = clis = 0
            with session_scope(engine) as s:
                pages += len({c.case_no for c in load_cases(s, actor=actor)} & foreign)  # 首页, 案件地图, 选件
                pages += len({c.case_no for c in visit_choices(s, DAY, actor=actor)} & foreign)  # 回访跟踪
                for p in list_plans(s, actor=actor):  # 行程
                    pages += doc_hits(load_plan(s, p.plan_id, actor=actor))
                for p in plans_in_progress(s, actor=actor):  # 首页: a plan with none of the account's routes
                    pages += not {r.team_id for r in load_plan(s, p.plan_id).plan.routes} & set(actor.team_ids)
                with contextlib.suppress(XiafangError):
                    figures = compute_stats(s, start=DAY.replace(month=1, day=1), end=DAY, by=("team",), actor=actor)
                    pages += sum(r.keys[0] in other_names for r in figures.rows)  # 统计
                doc = load_plan(s, list_plans(s)[0].plan_id)  # the whole plan, as a coordinator saved it
                for fmt in FORMATS:
                    if fmt != "html":
                        with contextlib.suppress(XiafangError):
                            exports += hits(texts(export_plan(doc, fmt, actor=actor, session=s,
                                                              contacts=is_allowed(actor, "export"))))
                    for team, day in sorted({(r.team_id, r.date) for r in doc.plan.routes if r.team_id in others}):
                        with contextlib.suppress(XiafangError):
                            exports += hits(texts(export_plan(doc, fmt, team_id=team, date=day, actor=actor)))
            saved_env = {k: os.environ.get(k) for k in ("XIAFANG_PASSWORD", "DATABASE_URL")}
            os.environ.update(XIAFANG_PASSWORD=PASSWORD, DATABASE_URL=url)
            try:
                with tempfile.TemporaryDirectory() as tmp:
                    out = Path(tmp) / "out"
                    for argv in (["export", str(PLAN), "--format", "xlsx", "--db", url, "--contacts", "--user",
                                  actor.username, "--out", str(out)],
                                 ["select", "--top", "40", "--today", DAY.isoformat(), "--user", actor.username,
                                  "--out", str(out)]):
                        out.unlink(missing_ok=True)
                        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                            cli(argv)
                        if out.exists():
                            clis += hits(texts(out.read_bytes()))
                    printed = io.StringIO()
                    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
                        cli(["stats", "--by", "team", "--from", "2026-01-01", "--to", "2026-12-31", "--user",
                             actor.username])
                    clis += sum(name in printed.getvalue() for name in other_names)
            finally:
                for k, v in saved_env.items():
                    os.environ.pop(k, None) if v is None else os.environ.update({k: v})
            own = actor.team_ids[0] if actor.team_ids else "T1"
            forged = replace(full, plan=replace(full.plan, routes=tuple(replace(r, team_id=own)
                                                                        for r in full.plan.routes)))
            with session_scope(engine) as s:
                before = visible_case_nos(actor, s)
                with contextlib.suppress(XiafangError):
                    save_plan(s, forged, name="改派", who=actor.username, actor=actor)
                grown = len(visible_case_nos(actor, s) - before)
            total += pages + exports + clis + grown
            print(engine.dialect.name.ljust(11) + role.ljust(10) + f"{pages:7d}{exports:9d}{clis:5d}{grown:13d}")
    print(f"TOTAL cross-team reads: {total} (target 0)")
    return total


def _fuzz(name: str, strategy: st.SearchStrategy, check: Callable, n: int) -> tuple[int, int]:
    outcomes: collections.Counter[str] = collections.Counter()
    crashes: collections.Counter[str] = collections.Counter()
    examples: dict[str, str] = {}

    @settings(max_examples=n, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(strategy)
    def run(value) -> None:
        try:
            outcomes[check(*value) if isinstance(value, tuple) else check(value)] += 1
        except InputError:
            outcomes["refused"] += 1
        except AssertionError as exc:
            crashes[f"data loss/inconsistency: {str(exc)[:70]}"] += 1
            examples.setdefault("assert", repr(value)[:160])
        except Exception as exc:
            where = exc.__traceback__
            while where.tb_next is not None:
                where = where.tb_next
            key = f"{type(exc).__name__} at {Path(where.tb_frame.f_code.co_filename).name}:{where.tb_lineno}"
            crashes[key] += 1
            examples.setdefault(key, repr(value)[:160])

    started = time.perf_counter()
    run()
    total = sum(outcomes.values()) + sum(crashes.values())
    shown = ", ".join(f"{k} {v}" for k, v in outcomes.most_common(5))
    print(f"{name:28s} {total:6d} inputs in {time.perf_counter() - started:5.0f} s; crashes {sum(crashes.values())}; "
          f"outcomes: {shown}")  # fmt: skip
    for k, v in crashes.most_common(5):
        print(f"    {v:5d} x {k}")
    return total, sum(crashes.values())


def _restore_check(engine: Engine) -> Callable:
    """A fuzz check: a mutated backup is refused with an InputError and leaves the database as it was."""
    from planner.office import backup as bk

    tmp = Path(tempfile.mkdtemp(prefix="xf-restore-fuzz-"))
    _empty(engine)
    with session_scope(engine) as s:
        seed(s)
    good = tmp / "good.zip"
    bk.backup(engine, good)
    before = dump(engine)
    key = bk.backup_key()

    def check(how: str, where: int) -> str:
        bad = tmp / "bad.zip"
        if not fuzz.mutate_backup(good, bad, how, where, key):
            return "mutation not applicable"
        try:
            bk.restore(engine, bad, replace=True)
        except InputError:
            assert dump(engine) == before, f"a refused restore ({how}) changed the database"
            return "refused"
        raise AssertionError(f"a tampered backup ({how}) was restored")

    return check


def report_fuzz(n: int, import_engine: Engine) -> int:
    section(f"Property-based fuzzing (hypothesis, up to {n} generated inputs each; database import {n // 10})")
    total_crashes = 0
    for name, strategy, check in (
        ("importer: register tables", fuzz.register_rows(), fuzz.check_register),
        ("importer: into the database", fuzz.register_rows(), lambda h, r: fuzz.check_import(import_engine, h, r)),
        (
            "importer: arbitrary bytes",
            st.tuples(st.binary(max_size=2000), st.sampled_from([".csv", ".xlsx", ".xls"])),
            fuzz.check_register_bytes,
        ),
        ("resolver: address text", st.one_of(fuzz.addresses(), st.text(max_size=60)), fuzz.check_resolve),
        ("plan reader: mutated plans", fuzz.mutated_plans(), fuzz.check_plan),
        ("plan reader: arbitrary JSON", fuzz.json_values, fuzz.check_plan),
        ("importer: crafted xlsx", fuzz.xlsx_workbooks(), fuzz.check_register_xlsx),
        ("restore: mutated backups", fuzz.backup_mutations(), _restore_check(import_engine)),
    ):
        # Crafted workbooks include large adversarial sheets and each backup mutation is a full restore: fewer runs.
        runs = n // 100 if "backups" in name else n // 20 if "xlsx" in name else n // 10 if "database" in name else n
        _count, crashes = _fuzz(name, strategy, check, max(runs, 10))
        total_crashes += crashes
    print(f"TOTAL crashes other than InputError or data losses: {total_crashes} (target 0)")
    return total_crashes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=10_000, help="fuzz inputs per target (default 10000)")
    parser.add_argument("--kills", type=int, default=3, help="killed imports per backend (default 3)")
    parser.add_argument("--skip-fuzz", action="store_true")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    args = parser.parse_args()
    print("# Xiafang security report")
    with databases(not args.no_pg) as engines:
        print("backends: " + ", ".join(e.dialect.name for e in engines))
        leaks, live = report_exports(engines[0])
        lost_rows = report_killed_import(engines, args.kills)
        lost_updates = report_concurrency(engines)
        double_counts = report_double_count(engines)
        cross_team = report_cross_team(engines)
        lockout = report_lockout(engines)
        tampering = report_restore_tampering(engines)
        crashes = 0 if args.skip_fuzz else report_fuzz(args.examples, engines[0])
    section("Summary")
    print(f"double counts in 统计 {double_counts}")
    print(f"cross-team reads {cross_team}")
    print(f"lockout bypasses {lockout} | restore tampering {tampering}")
    print(f"identity leaks {leaks} | payloads executed {live} | rows lost {lost_rows} | lost updates {lost_updates}"
          f" | fuzz crashes {crashes}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
