"""Two teams' week from ``tests/data/plan_zhangzhou.json`` in a database, with petitioners and one account per role.

The plan is issued (the teams' live week). Team T1 has seven stops, T2 two, one visit is unassigned; one more case
(ZZ2026-0199) is in no plan (the pool).
The accounts: admin, coordinator, a leader of T1 (may unmask), an officer of T1 and an officer whose team code
(T9) matches no team. Case ZZ2026-0109 is on the unassigned visit V10, so it is in the leaders' pool too.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

from sqlalchemy import Engine, update

from planner.domain import Petitioner
from planner.office import security
from planner.office.security import Actor
from planner.routing.planio import plan_from_json
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow, PetitionerRow, UserRow
from planner.store.plans import save_plan
from planner.store.teams import save_team

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "data" / "plan_zhangzhou.json"
DAY = dt.date(2026, 12, 7)
POOL_CASE = "ZZ2026-0199"
PASSWORD = "Xiafang-2026-pass"

#: Accounts by role name (``stranger``: an officer of a team that does not exist).
ACCOUNTS: dict[str, Actor] = {
    "admin": Actor("a_admin", "admin", display_name="管理员甲"),
    "coordinator": Actor("a_coord", "coordinator", display_name="协调员乙"),
    "leader": Actor("a_lead", "leader", ("T1",), can_unmask=True, display_name="组长丙"),
    "officer": Actor("a_off", "officer", ("T1",), display_name="干部丁"),
    "stranger": Actor("a_none", "officer", ("T9",), display_name="干部戊"),
}

_SURNAMES = "林陈黄郑王吴蔡杨许周曾"


def petitioner(i: int) -> Petitioner:
    """A recognisable identity per case (name, mobile, ID number)."""
    return Petitioner(f"{_SURNAMES[i % len(_SURNAMES)]}秀{'一二三四五六七八九十甲乙'[i % 12]}",
                      f"1385961{i:04d}", f"35062819800101{i:03d}X")


def plan_doc():
    """The plan document of the test week."""
    return plan_from_json(json.loads(PLAN.read_text(encoding="utf-8")))


def seed(engine: Engine, *, users: bool = False, issued: bool = True) -> dict[str, str]:
    """Fill the database, the week's plan issued (officers go by issued plans) unless not ``issued``; return
    ``case_no -> team`` ("" for a case on no route, i.e. unassigned or pool)."""
    doc = plan_doc()
    nos = [*doc.cases, POOL_CASE]
    with session_scope(engine) as s:
        for team in doc.teams.values():
            save_team(s, team)
        for i, no in enumerate(nos):
            info = doc.cases.get(no, {"summary": "反映征地补偿款未足额发放", "category": "征地拆迁",
                                      "county": "平和县", "town": "小溪镇", "village": "旧楼村"})
            p = petitioner(i)
            row = CaseRow(case_no=no, received_date=dt.date(2026, 10, 20), deadline=DAY + dt.timedelta(days=5 + i),
                          category=info.get("category", ""), title=info.get("summary", ""),
                          content=info.get("summary", ""), county=info.get("county", ""), county_code="350628",
                          town=info.get("town", ""), village=info.get("village", ""), lon=117.3 + i / 100, lat=24.3,
                          precision="village", status="registered", petitioner_key=p.key())
            row.petitioner = PetitionerRow(name=p.name, phone=p.phone, id_number=p.id_number)
            s.add(row)
        s.flush()
        plan_id = save_plan(s, doc, name="十二月第一周", who="a_coord")
        if issued:  # the teams' live week: a draft is the planners' working copy, no officer's
            set_plan_status(s, plan_id, PlanStatus.ISSUED, who="a_coord")
        if users:
            for a in ACCOUNTS.values():
                known = [t for t in a.team_ids if t in doc.teams]
                security.create_user(s, a.username, PASSWORD, role=a.role, team_ids=known,
                                     can_unmask=a.can_unmask, display_name=a.display_name)
                if list(a.team_ids) != known:  # a team renamed or removed after the account was made
                    s.execute(update(UserRow).where(UserRow.username == a.username).values(team_ids=list(a.team_ids)))
    team_of = {no: "" for no in nos}
    for r in doc.plan.routes:
        for stop in r.stops:
            for no in doc.visits[stop.visit_id].case_nos:
                team_of[no] = r.team_id
    return team_of


def foreign_cases(role: str, team_of: dict[str, str]) -> set[str]:
    """Case numbers ``role``'s account must never read."""
    a = ACCOUNTS[role]
    if a.role in ("admin", "coordinator"):
        return set()
    mine = {no for no, t in team_of.items() if t in a.team_ids}
    # A leader also plans from the pool: cases on no team's route (never planned, or left unassigned).
    pool = {no for no, t in team_of.items() if not t} if a.role == "leader" else set()
    return set(team_of) - mine - pool


def own_cases(role: str, team_of: dict[str, str]) -> set[str]:
    """Case numbers ``role``'s account reads (its teams' routed cases; all for the office)."""
    a = ACCOUNTS[role]
    if a.role in ("admin", "coordinator"):
        return set(team_of)
    return {no for no, t in team_of.items() if t and t in a.team_ids}


def names_of(case_nos: set[str], team_of: dict[str, str]) -> set[str]:
    """Petitioner names of those cases."""
    order = list(team_of)
    return {petitioner(order.index(no)).name for no in case_nos}


def texts(data: bytes) -> str:
    """Readable text of an export (zip members, PDF pages, XML/CSV/JSON text) for needle searches."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "\n".join(texts(zf.read(m)) for m in zf.namelist())
    if data[:5] == b"%PDF-":
        from pypdf import PdfReader

        return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    import html

    return html.unescape(data.decode("utf-8", errors="replace"))
