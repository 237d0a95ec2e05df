"""An older copy of a register imported again keeps what people corrected in the app (walk W10).

A coordinator imported a register, corrected a letter's 问题类别 and set another letter's point on 案件地图; an older
export of the register imported again put the old values back while the preview said only 更新 3 件. Now each such
field is named before the import, kept by default, replaced only when chosen, and the import's history, audit and
summary say which; a field nobody corrected still takes the file's value.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from planner.intake.correction_checks import corrections_preview
from planner.intake.register import import_register, read_register
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import AuditRow, CaseHistory, CaseRow
from planner.store.places import correct_point
from planner.store.register_fields import set_category

TODAY = dt.date(2026, 12, 7)
COORD = Actor("lin", "coordinator", display_name="林协调")
HEADER = "编号,收件日期,问题类别,反映内容,地址\n"
OLD = (HEADER
       + "H2-1,2026-11-02,林业,反映村里修路款被截留，路修一半停工。,平和县山格镇土田村\n"
       + "H2-2,2026-11-03,低保,反映低保名额优亲厚友。,漳浦县旧镇镇浯江村\n"
       + "H2-3,2026-11-04,危房改造,反映危房改造补助没有发到户。,诏安县四都镇西潭村\n").encode()
NEW = OLD.replace("停工。".encode(), "停工。（补充：仍未复工）".encode()).replace(
    "优亲厚友。".encode(), "优亲厚友。（补充）".encode()).replace("到户。".encode(), "到户。（补充）".encode())


def _row(engine, no: str) -> CaseRow:
    with session_scope(engine) as s:
        row = s.scalars(select(CaseRow).where(CaseRow.case_no == no)).one()
        s.expunge(row)
        return row


def _corrected(engine) -> None:
    """The newer register in, then H2-1's category and H2-2's point corrected in the app."""
    import_register(engine, NEW, filename="登记表.csv", today=TODAY, actor=COORD)
    with session_scope(engine) as s:
        set_category(s, "H2-1", "征地拆迁", who="lin", note="核实为征地补偿问题")
        correct_point(s, COORD, lon=117.30, lat=24.30, case_no="H2-2")


def test_h2_an_older_register_keeps_the_corrections_and_applies_the_rest(engine) -> None:
    _corrected(engine)
    with session_scope(engine) as s:
        found = corrections_preview(s, read_register(OLD, filename="登记表（旧）.csv", today=TODAY))
    assert {(c.case_no, c.label) for c in found} == {("H2-1", "问题类别"), ("H2-2", "位置（人工校准）")}
    category = next(c for c in found if c.case_no == "H2-1")
    assert (category.app_value, category.file_value, category.who, category.taken) == ("征地拆迁", "林业", "lin", False)
    assert "117.30000" in next(c for c in found if c.case_no == "H2-2").app_value

    summary = import_register(engine, OLD, filename="登记表（旧）.csv", today=TODAY, actor=COORD)
    assert (summary.imported, summary.updated) == (0, 3)
    assert "保留了 2 件信访件在系统中的人工更正 2 处" in summary.text()
    one, two, three = (_row(engine, n) for n in ("H2-1", "H2-2", "H2-3"))
    assert (one.category, one.category_source) == ("征地拆迁", "corrected")
    assert one.content == "反映村里修路款被截留，路修一半停工。"  # nobody corrected the content: the file's is taken
    assert (two.lon, two.lat, two.point_source) == (117.30, 24.30, "case_corrected")
    assert three.content == "反映危房改造补助没有发到户。"
    with session_scope(engine) as s:
        kept = s.scalars(select(CaseHistory.detail).where(CaseHistory.action == "import_update",
                                                          CaseHistory.case_id == one.id)).all()[-1]
        assert kept["kept"] == {"问题类别": {"old": "征地拆迁", "new": "林业"}}
        audit = s.scalars(select(AuditRow).where(AuditRow.action == "import").order_by(AuditRow.id.desc())).first()
        assert any("H2-1 问题类别" in line and "保留系统中的值" in line for line in audit.detail["corrections_kept"])
        assert s.scalar(select(func.count()).select_from(CaseRow)) == 3
    again = import_register(engine, OLD, filename="登记表（旧）.csv", today=TODAY, actor=COORD)
    assert (again.imported, again.updated, again.unchanged, again.corrections) == (0, 0, 3, ())


def test_h2_the_files_value_is_taken_only_where_chosen(engine) -> None:
    _corrected(engine)
    summary = import_register(engine, OLD, filename="登记表（旧）.csv", today=TODAY, actor=COORD,
                              take_file={("H2-1", "category")})
    assert {(c.case_no, c.taken) for c in summary.corrections} == {("H2-1", True), ("H2-2", False)}
    assert (_row(engine, "H2-1").category, _row(engine, "H2-1").category_source) == ("林业", "")
    assert _row(engine, "H2-2").point_source == "case_corrected"
    assert "1 件按选择改用了登记表的值 1 处（问题类别 1）" in summary.text()


def test_h2_taking_every_files_value(engine) -> None:
    _corrected(engine)
    import_register(engine, OLD, filename="登记表（旧）.csv", today=TODAY, take_file=True)
    assert _row(engine, "H2-1").category == "林业"
    assert _row(engine, "H2-2").point_source != "case_corrected"


def test_h2_the_cli_names_the_corrections_keeps_them_and_takes_the_file_only_when_told(engine, monkeypatch, tmp_path,
                                                                                        capsys) -> None:
    from planner.cli import main

    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:00")
    _corrected(engine)
    old = tmp_path / "登记表（旧）.csv"
    old.write_bytes(OLD)
    capsys.readouterr()
    assert main(["import", "--dry-run", str(old)]) == 0
    out = capsys.readouterr().out
    assert "2 件信访件导入后在系统中人工更正过" in out and "--take-file" in out
    assert "第 2 行 H2-1 问题类别：系统中为 征地拆迁（lin" in out and "登记表为 林业，将保留系统中的值" in out
    assert main(["import", "--take-file", "H2-3", str(old)]) != 0  # no corrected field of H2-3 is listed
    assert "--take-file H2-3" in capsys.readouterr().err and _row(engine, "H2-1").content.endswith("（补充：仍未复工）")
    assert main(["import", "--take-file", "H2-2=位置", str(old)]) == 0
    out = capsys.readouterr().out
    assert "保留了 1 件信访件在系统中的人工更正 1 处（问题类别 1）" in out
    assert "H2-1 问题类别：系统中为 征地拆迁" in out and "已保留系统中的值" in out and "已改用登记表的值" in out
    assert _row(engine, "H2-1").category == "征地拆迁" and _row(engine, "H2-2").point_source != "case_corrected"


def test_h2_the_letters_history_says_what_the_import_kept(engine) -> None:
    from planner.followup.common import case_history, describe_history

    _corrected(engine)
    import_register(engine, OLD, filename="登记表（旧）.csv", today=TODAY, actor=COORD)
    with session_scope(engine) as s:
        lines = [describe_history(e)[1] for e in case_history(s, "H2-1") if e.action == "import_update"]
    assert "保留系统中的人工更正 问题类别 征地拆迁（登记表为 林业）" in lines[-1]
    assert lines[-1].startswith("登记表 登记表（旧）.csv 第 2 行：反映内容")
