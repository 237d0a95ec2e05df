"""The permission matrix, walked: every role × every page, download, upload, export format and CLI command.

Driven by ``planner.office.authorisation.MATRIX``; a page file, a CLI command, an export format, a download button or
an upload without a row fails here.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from google.protobuf import text_format
from sqlalchemy import Engine, select, update
from streamlit.testing.v1 import AppTest

from planner.errors import PermissionDenied
from planner.field import FORMATS, export_plan
from planner.office import authorisation as authz
from planner.office.security import SYSTEM
from planner.store.database import make_engine, session_scope, upgrade
from planner.store.models import PlanRow
from planner.store.plans import list_plans, load_plan

from ._seed import ACCOUNTS, DAY, PASSWORD, ROOT, foreign_cases, names_of, own_cases, plan_doc, seed, texts

ROLES = tuple(ACCOUNTS)
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
COMMANDS = sorted(p.stem for p in (ROOT / "planner" / "commands").glob("*.py") if p.stem != "__init__")


def _rows(kind: str) -> dict[str, authz.Entry]:
    return {e.name: e for e in authz.MATRIX if e.kind == kind}


def _may(role: str, row: authz.Entry) -> bool:
    return row.action is None or authz.is_allowed(ACCOUNTS[role], row.action)


# --- nothing without a row ----------------------------------------------------------------------------------------


def test_every_page_file_has_a_row_and_every_row_a_file() -> None:
    rows = _rows("page")
    assert sorted(set(PAGES) - set(rows)) == []
    assert sorted(set(rows) - set(PAGES)) == []


def test_every_cli_command_has_a_row_and_every_row_a_command() -> None:
    rows = _rows("cli")
    assert sorted(set(COMMANDS) - set(rows)) == []
    assert sorted(set(rows) - set(COMMANDS)) == []
    assert {r.runs_as for r in rows.values()} <= {"system", "user"}


def test_every_export_format_has_a_row() -> None:
    assert sorted(set(FORMATS) - set(_rows("export"))) == []


def _call_text(src: str, open_paren: int) -> str:
    depth, i = 0, open_paren
    while i < len(src):
        depth += {"(": 1, ")": -1}.get(src[i], 0)
        if depth == 0:
            break
        i += 1
    return src[open_paren + 1: i]


_LITERAL = re.compile(r"""(f?)["']([^"'{]*)(\{?)""")


def _keys_in(text: str) -> tuple[str, bool] | None:
    m = _LITERAL.match(text.strip())
    return (m.group(2).rstrip("_"), bool(m.group(1) and m.group(3))) if m else None


def _widget_keys(call: str) -> list[tuple[str, bool]]:
    """``(key or f-string prefix, is_prefix)`` of every ``st.<call>(..., key=...)`` in the pages.

    A key passed in a variable (``key=key`` inside a helper) is read from the helper's call sites.
    """
    out = []
    for page in PAGES:
        src = (ROOT / page).read_text(encoding="utf-8")
        for m in re.finditer(rf"\.{call}\(", src):
            args = _call_text(src, m.end() - 1)
            k = re.search(r"key=(.*?)(?:,|$)", args, re.S)
            assert k, f"{page}: {call} without a key= (the matrix names downloads and uploads by key)"
            found = _keys_in(k.group(1))
            if found is not None:
                out.append(found)
                continue
            helper = re.findall(r"^def (\w+)\(", src[: m.start()], re.M)[-1]
            calls = [c for c in re.finditer(rf"\b{helper}\(", src) if not src[: c.start()].endswith("def ")]
            assert calls, f"{page}: {call} key from {helper}() but no call of it"
            for c in calls:
                last = _call_text(src, c.end() - 1).rsplit(",", 1)[-1]
                found = _keys_in(last)
                assert found, f"{page}: cannot read the key of {helper}({last})"
                out.append(found)
    return out


@pytest.mark.parametrize(("call", "kind"), [("download_button", "download"), ("file_uploader", "upload")])
def test_every_download_and_upload_in_the_pages_has_a_row(call: str, kind: str) -> None:
    rows = _rows(kind)
    keys = _widget_keys(call)
    assert keys, f"no {call} found: the scan is broken"
    for key, is_prefix in keys:
        if is_prefix:
            assert any(name == key or name.startswith(key + "_") for name in rows), f"{call} {key}_*: no row"
        else:
            assert key in rows, f"{call} key={key!r}: no row in authorisation.MATRIX"


def test_a_path_without_a_row_is_refused() -> None:
    with pytest.raises(PermissionDenied, match="不在权限表中"):
        authz.entry("page", "pages/new_page.py")


def test_the_table_matches_the_roles() -> None:
    expected = {
        "admin": {"pages/home.py", "pages/import_register.py", "pages/case_map.py", "pages/clusters.py",
                  "pages/selection.py", "pages/planning.py", "pages/itinerary.py", "pages/followup.py",
                  "pages/figures.py", "pages/settings.py", "pages/users.py", "pages/places.py", "pages/teams.py"},
        "coordinator": {"pages/home.py", "pages/import_register.py", "pages/case_map.py", "pages/clusters.py",
                        "pages/selection.py", "pages/planning.py", "pages/itinerary.py", "pages/followup.py",
                        "pages/figures.py", "pages/settings.py", "pages/places.py", "pages/teams.py"},
        "leader": {"pages/home.py", "pages/case_map.py", "pages/clusters.py", "pages/selection.py",
                   "pages/planning.py", "pages/itinerary.py", "pages/followup.py", "pages/figures.py",
                   "pages/settings.py", "pages/places.py", "pages/teams.py"},
        "officer": {"pages/home.py", "pages/case_map.py", "pages/clusters.py", "pages/itinerary.py",
                    "pages/followup.py", "pages/figures.py", "pages/settings.py", "pages/places.py"},
    }
    for role, pages in expected.items():
        got = {n for n, r in _rows("page").items() if r.action is not None and _may(role, r)}
        assert got == pages, role


# --- pages, in AppTest, for every role ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def app_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'x.db'}"
    eng = make_engine(url)
    upgrade(eng)
    team_of = seed(eng)
    eng.dispose()
    return url, team_of


def rendered_text(at: AppTest) -> str:
    """Everything a page put on screen: element protos (labels, options, values) and dataframe contents."""
    out: list[str] = []

    def walk(node) -> None:
        value = getattr(node, "value", None) if getattr(node, "type", "") == "arrow_data_frame" else None
        if value is not None:
            out.append(value.to_csv())
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(text_format.MessageToString(proto, as_utf8=True))
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


#: What an allowed role must see on a page (so that "shows nothing" cannot pass for "scoped").
SHOWS_OWN_CASES = {"pages/case_map.py", "pages/followup.py", "pages/itinerary.py"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", [p for p in PAGES if _rows("page")[p].action is not None])
def test_page(page: str, role: str, app_db, monkeypatch: pytest.MonkeyPatch) -> None:
    url, team_of = app_db
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.session_state["actor"] = ACCOUNTS[role]
    at.session_state["today"] = DAY
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = rendered_text(at)
    row = _rows("page")[page]
    if not _may(role, row):
        assert any("无权" in e.value for e in at.error), f"{role} on {page}: no refusal shown"
        assert not [no for no in team_of if no in text], f"{role} refused on {page} but shown case numbers"
        return
    foreign = foreign_cases(role, team_of)
    leaked = sorted(no for no in foreign if no in text)
    assert leaked == [], f"{role} on {page} sees other teams' cases {leaked}"
    shown_names = sorted(n for n in names_of(set(team_of), team_of) if n in text)
    assert shown_names == [], f"{role} on {page} sees petitioner names {shown_names}"
    own = own_cases(role, team_of)
    if page in SHOWS_OWN_CASES and own:
        assert any(no in text for no in own), f"{role} on {page} shows none of its own cases"


def test_itinerary_offers_an_officer_only_their_team(app_db, monkeypatch: pytest.MonkeyPatch) -> None:
    url, _ = app_db
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=60)
    at.session_state["actor"] = ACCOUNTS["officer"]
    at.run()
    assert not at.exception
    assert at.selectbox(key="it_team").options == ["第一检查组"] or at.selectbox(key="it_team").value == "T1"
    assert [o for o in at.selectbox(key="it_team").options if "第二" in o] == []


# --- downloads and exports: the library calls behind them, on SQLite and PostgreSQL ------------------------------


def _team_days(doc) -> list[tuple[str, dt.date]]:
    return sorted({(r.team_id, r.date) for r in doc.plan.routes})


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])  # admin: the coordinator's scope
def test_every_export_format_for_every_role(engine: Engine, role: str) -> None:
    """Each format: the account's own team-day, another team's day (refused) and the whole plan (theirs only)."""
    team_of = seed(engine)
    actor = ACCOUNTS[role]
    foreign = foreign_cases(role, team_of)
    own_names = names_of(own_cases(role, team_of), team_of)
    with session_scope(engine) as s:
        doc = load_plan(s, list_plans(s)[0].plan_id)
        days = _team_days(doc)
        scope = authz.team_scope(actor)
        mine = next(((t, d) for t, d in days if scope is None or t in scope), None)
        other = next(((t, d) for t, d in days if scope is not None and t not in scope), None)
        # Officers' files carry no petitioner details, not even masked: asking is refused.
        contacts = authz.is_allowed(actor, "export")
        if not contacts and mine is not None:
            with pytest.raises(PermissionDenied, match="无权在行程单中附信访人联系方式"):
                export_plan(doc, "xlsx", team_id=mine[0], date=mine[1], actor=actor, session=s, contacts=True)
        for fmt in FORMATS:
            assert _may(role, _rows("export")[fmt])
            if mine is not None:
                data = texts(export_plan(doc, fmt, team_id=mine[0], date=mine[1], actor=actor, session=s,
                                         contacts=contacts))
                assert not [no for no in foreign if no in data], (fmt, mine)
            if other is not None:
                with pytest.raises(PermissionDenied):
                    export_plan(doc, fmt, team_id=other[0], date=other[1], actor=actor, session=s, contacts=contacts)
            if fmt == "html":  # one team-day only
                continue
            if role == "stranger":
                with pytest.raises(PermissionDenied):
                    export_plan(doc, fmt, actor=actor, session=s, contacts=contacts)
                continue
            whole = texts(export_plan(doc, fmt, actor=actor, session=s, contacts=contacts))
            assert sorted(no for no in foreign if no in whole) == [], f"{role} whole-plan {fmt}"
            assert not [n for n in own_names if n in whole], f"{role} {fmt}: names unmasked without asking"
            if fmt in ("xlsx", "zip"):
                assert any(no in whole for no in own_cases(role, team_of)), f"{role} {fmt} lacks own cases"


@pytest.mark.parametrize("role", ROLES)
def test_saved_plans_are_listed_and_opened_in_scope(engine: Engine, role: str) -> None:
    team_of = seed(engine)
    actor = ACCOUNTS[role]
    with session_scope(engine) as s:
        plans = list_plans(s, actor=actor)
        if role == "stranger":
            assert plans == []
            pid = list_plans(s)[0].plan_id
            with pytest.raises(PermissionDenied):
                load_plan(s, pid, actor=actor)
            return
        assert len(plans) == 1
        doc = load_plan(s, plans[0].plan_id, actor=actor)
    teams = {r.team_id for r in doc.plan.routes}
    assert teams == ({"T1", "T2"} if authz.team_scope(actor) is None else {"T1"})
    seen = {c for v in doc.visits.values() for c in v.case_nos} | set(doc.cases)
    assert not seen & foreign_cases(role, team_of)


@pytest.mark.parametrize("role", ROLES)
def test_downloads_follow_their_rows(engine: Engine, role: str) -> None:
    """Each download button's row: refused roles get PermissionDenied from the same call the page makes."""
    from planner.office.authorisation import DocumentRef, authorise

    team_of = seed(engine)
    actor = ACCOUNTS[role]
    rows = _rows("download")
    t2_case = next(no for no, t in team_of.items() if t == "T2")
    t1_case = next(no for no, t in team_of.items() if t == "T1")
    with session_scope(engine) as s:
        for name, row in rows.items():
            if not _may(role, row):
                with pytest.raises(PermissionDenied):
                    authorise(actor, row.action)
                continue
            authorise(actor, row.action)
            if name == "fu_cl_dl":
                if authz.team_scope(actor) is not None:
                    with pytest.raises(PermissionDenied):
                        authorise(actor, row.action, DocumentRef("clarification", t2_case), session=s)
                if role != "stranger":
                    authorise(actor, row.action, DocumentRef("clarification", t1_case), session=s)


# --- uploads ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_planning_upload_cannot_widen_scope(engine: Engine, role: str) -> None:
    """Planning other teams' or (for officers) any cases, whatever the file says, is refused; nothing is saved."""
    from dataclasses import replace

    from planner.store.plans import save_plan

    seed(engine)
    actor = ACCOUNTS[role]
    doc = plan_doc()
    # A forged plan, as an uploaded visits.csv or plan.json could make it: every route relabelled as team T1.
    forged = replace(doc, plan=replace(doc.plan, routes=tuple(replace(r, team_id="T1") for r in doc.plan.routes)),
                     teams={"T1": doc.teams["T1"]})
    with session_scope(engine) as s:
        # The seed's plan of these letters is finished: a letter is on one unfinished plan at a time.
        s.execute(update(PlanRow).values(status="done"))
        before = authz.visible_case_nos(actor, s)
        if role in ("admin", "coordinator"):
            save_plan(s, forged, name="改派", who=actor.username, actor=actor)
            return
        with pytest.raises(PermissionDenied):
            save_plan(s, forged, name="改派", who=actor.username, actor=actor)
    with session_scope(engine) as s:
        assert authz.visible_case_nos(actor, s) == before
        assert len(list_plans(s)) == 1


# --- CLI ----------------------------------------------------------------------------------------------------------


def _cli(argv: list[str], url: str, monkeypatch: pytest.MonkeyPatch, capsys) -> tuple[int, str]:
    from planner.cli import main

    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("XIAFANG_PASSWORD", PASSWORD)
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("role", ROLES)
def test_cli_user_commands(engine: Engine, role: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                           capsys) -> None:
    team_of = seed(engine, users=True)
    url = engine.url.render_as_string(hide_password=False)
    actor = ACCOUNTS[role]
    foreign = foreign_cases(role, team_of)
    plan = tmp_path / "plan.json"
    plan.write_text(PLAN_JSON(), encoding="utf-8")
    rows = {n: r for n, r in _rows("cli").items() if r.runs_as == "user"}
    assert set(rows) == {"export", "select_cases", "stats"}

    # export: with contacts, unmasked when the account may, scoped to the account's teams
    out = tmp_path / "x.xlsx"
    argv = ["export", str(plan), "--format", "xlsx", "--db", url, "--contacts", "--user", actor.username,
            "--out", str(out)]
    if actor.can_unmask:
        argv += ["--unmask", "--reason", "核实走访情况"]
    code, msg = _cli(argv, url, monkeypatch, capsys)
    if role == "stranger" or not authz.is_allowed(actor, "export"):  # officers attach no contacts
        assert code == 2 and "无权" in msg
        assert not out.exists()
    else:
        assert code == 0, msg
        text = texts(out.read_bytes())
        assert sorted(no for no in foreign if no in text) == []
        assert not names_of(foreign, team_of) & {n for n in names_of(set(team_of), team_of) if n in text}
    if not actor.can_unmask:
        code, msg = _cli([*argv, "--unmask", "--reason", "核实走访情况"], url, monkeypatch, capsys)
        assert code == 2 and "无权" in msg

    # select: planners only, from the cases the account may plan
    visits = tmp_path / "visits.csv"
    code, msg = _cli(["select", "--top", "40", "--today", DAY.isoformat(), "--user", actor.username,
                      "--out", str(visits)], url, monkeypatch, capsys)
    if not authz.is_allowed(actor, "plan"):
        assert code == 2 and "无权" in msg
        assert not visits.exists()
    else:
        assert code == 0, msg
        text = visits.read_text(encoding="utf-8-sig")
        assert sorted(no for no in foreign if no in text) == []

    # stats: everyone, limited to the account's teams (the stranger's team has no figures: nothing, not all)
    _record_outcomes(engine, team_of)
    code, msg = _cli(["stats", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "team", "--user",
                      actor.username], url, monkeypatch, capsys)
    assert code == 0, msg
    shown = {t for t in ("第一检查组", "第二检查组") if t in msg}
    expected = {"admin": {"第一检查组", "第二检查组"}, "coordinator": {"第一检查组", "第二检查组"},
                "leader": {"第一检查组"}, "officer": {"第一检查组"}, "stranger": set()}[role]
    assert shown == expected, msg


def test_cli_wrong_password_is_refused(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys) -> None:
    seed(engine, users=True)
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("XIAFANG_PASSWORD", "wrong-Password-1")
    from planner.cli import main

    monkeypatch.setenv("DATABASE_URL", url)
    code = main(["stats", "--user", "a_coord"])
    assert code == 2
    assert "用户名或密码错误" in capsys.readouterr().err


@pytest.mark.parametrize("name", sorted(_rows("cli")))
def test_system_commands_are_batch_jobs_of_the_server(name: str) -> None:
    """A system command acts as SYSTEM: allowed what its row says, never unmasking (that needs a person)."""
    row = _rows("cli")[name]
    if row.action is not None:
        authz.authorise(SYSTEM, row.action)
    assert not authz.is_allowed(SYSTEM, "unmask")


def PLAN_JSON() -> str:  # noqa: N802 - the fixture file's text
    return (ROOT / "tests" / "data" / "plan_zhangzhou.json").read_text(encoding="utf-8")


def _record_outcomes(engine: Engine, team_of: dict[str, str]) -> None:
    """One visited outcome per routed case, on its team and the plan's first day."""
    from planner.store.models import CaseRow, VisitOutcomeRow

    with session_scope(engine) as s:
        ids = dict(s.execute(select(CaseRow.case_no, CaseRow.id)).all())
        for no, team in team_of.items():
            if team:
                s.add(VisitOutcomeRow(case_id=ids[no], team_id=team, visit_date=DAY, result="visited",
                                      households_visited=3, recorded_by="a_coord"))


@pytest.mark.parametrize("role", ROLES)
def test_navigation_offers_each_role_only_its_pages(role: str) -> None:
    from pages.common import PAGES, pages_for

    offered = {p[1] for p in pages_for(ACCOUNTS[role])}
    allowed = {p[1] for p in PAGES if _may(role, _rows("page")[p[1]])}
    assert offered == allowed
    assert {p[1] for p in pages_for(None)} == {p[1] for p in PAGES}  # before sign-in: all routed, nav hidden
    if ACCOUNTS[role].role == "officer":
        assert not offered & {"pages/planning.py", "pages/selection.py", "pages/import_register.py", "pages/users.py"}


def test_a_link_to_a_page_the_role_may_not_open_says_so() -> None:
    """Walk J: an officer's /planning link landed elsewhere with only "没有这个页面", as if it did not exist."""
    from pages.common import refused_page_text
    from planner.office.security import Actor

    officer = Actor(username="li", role="officer", team_ids=("T1",))
    text = refused_page_text(officer, "http://10.0.0.5:8501/planning")
    assert text.startswith("“路线规划”页面不对干部开放，已打开“首页”")
    assert refused_page_text(officer, "http://10.0.0.5:8501/itinerary") == ""  # its own page
    assert refused_page_text(officer, "http://10.0.0.5:8501/no_such_page") == ""  # Streamlit's own note covers it
    assert refused_page_text(officer, "http://10.0.0.5:8501/") == ""
    assert refused_page_text(Actor(username="boss", role="admin"), "http://x/planning") == ""
    assert "组长" in refused_page_text(Actor(username="z", role="leader", team_ids=("T1",)), "http://x/users")
