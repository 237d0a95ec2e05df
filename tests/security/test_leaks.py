"""Identity leaks and hostile payloads through every output: exports per role, maps, CSV, stats, logs, the database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import tempfile
from pathlib import Path

import pytest

from planner.field import FORMATS
from planner.store.database import make_engine, session_factory, upgrade

from . import harness as h
from .seed import FORMULA_PAYLOADS, PETITIONERS, XSS_PAYLOADS, dump, find_leaks

SLOW = {"pdf", "html", "zip"}  # ~1-2 s per render: all roles in benchmarks/security_report.py, two here


@pytest.fixture(scope="module")
def audit_session(tmp_path_factory):
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('leaks') / 'audit.db'}")
    upgrade(engine)
    s = session_factory(engine)()
    yield s
    s.close()
    engine.dispose()


@pytest.fixture(scope="module")
def results(audit_session) -> dict[tuple[str, str, bool], h.ExportResult]:
    fast = tuple(f for f in FORMATS if f not in SLOW)
    out = {(r.actor.username, r.fmt, r.unmask): r for r in h.run_exports(audit_session, formats=fast)}
    few = [a for a in h.role_actors() if a.username in {"t_officer", "t_leader_u"}]
    out.update({(r.actor.username, r.fmt, r.unmask): r
                for r in h.run_exports(audit_session, formats=tuple(SLOW), actors=few)})  # fmt: skip
    return out


ACTORS = [a.username for a in h.role_actors()]
# Every role for the fast formats; the slow ones for two roles (all roles in benchmarks/security_report.py).
CASES = [(who, fmt) for fmt in sorted(FORMATS) for who in (ACTORS if fmt not in SLOW else ["t_officer", "t_leader_u"])]


@pytest.mark.parametrize(("who", "fmt"), CASES)
def test_masked_export_has_no_identity(results, who: str, fmt: str) -> None:
    r = results[(who, fmt, False)]
    assert not r.refused
    assert r.leaks == () and r.id_numbers == ()


@pytest.mark.parametrize(("who", "fmt"), CASES)
def test_unmasked_export_only_for_permitted_and_audited(results, who: str, fmt: str) -> None:
    r = results[(who, fmt, True)]
    if r.actor.can("unmask"):
        assert not r.refused and r.audited
        assert r.id_numbers == ()  # a field sheet never carries ID numbers, even unmasked
    else:
        assert r.refused and r.leaks == ()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_payloads_never_live(results, fmt: str) -> None:
    live = [p for (who, f, _u), r in results.items() if f == fmt for p in r.live]
    assert live == []


def test_harness_detects_leaks_and_live_payloads() -> None:
    """The checks themselves can fail: a raw identity and raw payloads are caught."""
    p = next(iter(PETITIONERS.values()))
    assert h.leaks_in("x.html", f"<p>{p.name} {p.phone}</p>".encode()) != []
    assert h.leaks_in("x.ics", f"DESCRIPTION:联系 {p.phone[:6]}\r\n {p.phone[6:]}".encode()) != []
    assert h.live_payloads("x.html", f"<div>{XSS_PAYLOADS[0]}</div>".encode()) != []
    assert h.live_payloads("x.csv", f"a,{FORMULA_PAYLOADS[0]}\n".encode()) != []
    assert h.live_payloads("x.csv", b"a,'=1+1\n") == []


# --- the rest of the pipeline, on both databases ----------------------------------------------------------------------


def _register_with_identities() -> bytes:
    from planner.intake.demo import generate_letters, register_csv_bytes

    letters = generate_letters(5, 40)
    people = list(PETITIONERS.values())
    rows = []
    for i, letter in enumerate(letters):
        p = people[i % len(people)]
        payload = (XSS_PAYLOADS + FORMULA_PAYLOADS)[i % 10]
        rows.append(dataclasses.replace(letter, name=p.name, phone=p.phone, id_number=p.id_number,
                                        content=f"{payload} {letter.content}"))  # fmt: skip
    # Two broken rows (no date, bad case number) carry identities into the rejected-rows table.
    rows.append(dataclasses.replace(rows[0], case_no="BAD-1", received_date=None, date_as_text=False))
    return register_csv_bytes(rows)


def test_pipeline_outputs_and_database_hold_no_identity(engine, caplog) -> None:
    from planner.field.map_layers import case_map
    from planner.field.maps import to_html
    from planner.followup.stats import compute_stats, stats_to_excel
    from planner.intake.register import import_register, rejected_rows, rejected_rows_xlsx
    from planner.office.security import Actor
    from planner.selection.ranking import build_visits, rank_cases, write_visits_csv
    from planner.store.cases import load_cases

    caplog.set_level(logging.DEBUG)
    s = session_factory(engine)()
    try:
        summary = import_register(s, _register_with_identities(), filename="登记表.csv", who="coordinator")
        s.commit()
        assert summary.imported >= 40
        # Logs: raw messages before any masking filter.
        assert [r.getMessage() for r in caplog.records if find_leaks(r.getMessage())] == []
        outputs: dict[str, bytes] = {}
        outputs["rejected.xlsx"] = rejected_rows_xlsx(rejected_rows(s, summary.batch_id))
        cases = load_cases(s, actor=Actor("c", "coordinator"))
        outputs["case_map.html"] = to_html(case_map(cases, today=dt.date(2026, 12, 7)).map).encode()
        ranked = rank_cases(cases, today=dt.date(2026, 12, 7))
        build = build_visits(ranked[:10], today=dt.date(2026, 12, 7))
        with tempfile.TemporaryDirectory() as tmp:
            outputs["visits.csv"] = write_visits_csv(build.visits, Path(tmp) / "v.csv").read_bytes()
        outputs["stats.xlsx"] = stats_to_excel(
            compute_stats(s, start=dt.date(2025, 1, 1), end=dt.date(2026, 12, 31), by=("county",))
        )
        for name, data in outputs.items():
            assert h.leaks_in(name, data) == [], name
            assert h.live_payloads(name, data) == [], name
        # The database: personal fields live only in the petitioners table.
        tables = dump(engine)
        assert len(tables["petitioners"]) >= 40
        leaked = {t: n for t, rows in tables.items() if t != "petitioners"
                  for n in [sum(bool(find_leaks(repr(r))) for r in rows)] if n}  # fmt: skip
        assert leaked == {}
    finally:
        s.close()


def test_cli_export_contacts_masked_and_unmask_guarded(engine, tmp_path, monkeypatch, capsys) -> None:
    from sqlalchemy import func, select

    from planner.cli import main
    from planner.office import security
    from planner.store.database import session_scope
    from planner.store.models import AuditRow

    from .seed import seed

    with session_scope(engine) as s:
        seed(s)
        security.create_user(s, "off1", "Officer-pass-2026", role="officer", team_ids=["T1"])
        security.create_user(s, "lead1", "Leader-pass-2026", role="leader", team_ids=["T1"], can_unmask=True)
    url = engine.url.render_as_string(hide_password=False)
    base = ["export", str(h.PLAN_JSON), "--format", "xlsx", "--db", url]
    out = tmp_path / "masked.xlsx"
    assert main([*base, "--out", str(out), "--contacts"]) == 0
    assert h.leaks_in("masked.xlsx", out.read_bytes()) == []
    assert "138****2345" in "".join(t for _n, t, _r in h.texts("masked.xlsx", out.read_bytes()))  # contacts shown

    for user, password in (("off1", "Officer-pass-2026"), ("lead1", "wrong-password")):
        monkeypatch.setenv("XIAFANG_PASSWORD", password)
        refused = tmp_path / f"{user}.xlsx"
        assert main([*base, "--out", str(refused), "--unmask", "--user", user, "--reason", "核实情况"]) == 2
        assert not refused.exists()
    monkeypatch.setenv("XIAFANG_PASSWORD", "Leader-pass-2026")
    allowed = tmp_path / "lead1.xlsx"
    assert main([*base, "--out", str(allowed), "--unmask", "--user", "lead1", "--reason", "核实情况"]) == 0
    assert h.leaks_in("lead1.xlsx", allowed.read_bytes()) != []  # permitted, so the identity is there ...
    assert h.id_numbers_in("lead1.xlsx", allowed.read_bytes()) == []  # ... but never the ID number
    with session_scope(engine) as s:  # ... and audited
        n = s.scalar(select(func.count()).select_from(AuditRow).where(AuditRow.action == "export_unmasked"))
        assert n == 1
    capsys.readouterr()
