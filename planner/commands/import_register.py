"""``python -m planner import register.xlsx``: import a letter register into the database and print the summary."""

from __future__ import annotations

import argparse
import json
import sys


def register(subparsers) -> None:
    """Add the ``import`` subcommand."""
    p = subparsers.add_parser(
        "import",
        help="把信访件登记表（.xlsx/.xls/.csv）导入数据库",
        description="导入信访件登记表（xlsx、xls、csv；CSV 可为 UTF-8、UTF-8 BOM 或 GBK）。"
        "同一登记表重复导入不会产生重复记录；修改过的行会更新并保留历史。",
    )
    p.add_argument("register", help="登记表文件")
    p.add_argument(
        "--map", action="append", default=[], metavar="字段=列名",
        help="指定列映射，如 --map case_no=信访件编号 --map address=发生地（字段名见 planner.intake.register.FIELDS）",
    )
    p.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
    p.add_argument("--json", action="store_true", help="以 JSON 格式输出汇总")
    p.add_argument("--who", default="cli", help="记录在导入记录中的操作人")
    p.add_argument(
        "--update-edited", action="append", default=[], metavar="编号",
        help="无编号列的登记表（或编号为空的行）中“可能是已导入的信改过内容”的行"
        "（导入前会列出，可先用 --dry-run 查看）："
        "用本行更新已导入的这封信（编号不变，保留修改历史），而不是按新信导入。写原信编号或本行编号，可多次使用",
    )
    p.add_argument(
        "--take-file", action="append", default=[], metavar="编号",
        help="导入后在系统中人工更正过的字段（问题类别、地图上校准的位置），登记表的行要改动时默认保留系统中的值"
        "（导入前会列出，可先用 --dry-run 查看）。确要改用登记表的值：写信访件编号（该件所有列出的字段）、"
        "编号=问题类别 或 编号=位置，或 all（全部），可多次使用",
    )
    p.set_defaults(func=run)


def _mapping(items: list[str]) -> dict[str, str | None]:
    from planner.errors import InputError

    out: dict[str, str | None] = {}
    for item in items:
        if "=" not in item:
            raise InputError(f"--map：应写作 字段=列名，收到 {item!r}")
        key, header = item.split("=", 1)
        out[key.strip()] = header.strip() or None
    return out


def _edited_rows(register: str, mapping: dict[str, str | None]):
    """The register read as the import reads it, and its rows that are or may be letters imported before with other
    words (:func:`planner.intake.edited_letters.edited_letters`, as the 导入 page lists them); () with numbers."""
    from planner.intake import edited_letters as edits
    from planner.intake import register as ingest
    from planner.store.database import get_engine, session_scope

    # Read against the letters already imported, as the import and the 导入 page read it: a numbered register too,
    # or a letter imported under a 自编 number whose 编号 was filled in later is not found (walk H1).
    with session_scope(get_engine()) as session:
        preview = ingest.read_register(register, mapping=mapping,
                                       known_letters=lambda: ingest.known_letters(session))
        return preview, edits.edited_letters(session, preview)  # () for numbered rows: matched by number


def _notes(preview) -> list[str]:
    """The 导入 page's notes on the register's numbers, as lines: cases that take a 编号 filled in later, rows
    refused as letters already counted, rows entered or numbered twice (each names the file)."""
    from planner.intake.numbered_later import numbered_later_note
    from planner.intake.twin_rows import twin_rows_note

    notes = (numbered_later_note(preview.rows, preview.filename), preview.same_letter_note(),
             twin_rows_note(preview.rows, preview.filename))
    return [n for n in notes if n]


def _choices(preview, found, wanted: list[str]) -> dict[int, str]:
    """Row -> letter for the ``--update-edited`` numbers (the earlier letter's or the row's own).

    Raises
    ------
    InputError
        A number that names no row listed as perhaps an earlier letter.
    """
    from planner.errors import InputError

    own = {r.row: str(r.values.get("case_no") or "") for r in preview.rows}
    unsure = [e for e in found if not e.certain]
    choices: dict[int, str] = {}
    for no in (w.strip() for w in wanted):
        match = next((e for e in unsure if no in (e.case_no, own.get(e.row))), None)
        if match is None:
            listed = "、".join(e.case_no for e in unsure) or "无"
            raise InputError(f"--update-edited {no}：本表没有列为“可能是已导入的信改过内容”的这一行或这封信"
                             f"（可指定的原信编号：{listed}）。请先用 --dry-run 查看列出的行")
        choices[match.row] = match.case_no
    return choices


def _edited_text(preview, found, updates: dict[int, str], *, dry_run: bool) -> list[str]:
    """What the 导入 page shows of the edited rows, as lines: the note, then each uncertain row with both numbers
    and both texts (identities masked)."""
    from planner.intake import edited_letters as edits

    shown = edits.worth_showing(found)
    if not shown:
        return []
    own = {r.row: str(r.values.get("case_no") or "") for r in preview.rows}
    sure = [e for e in shown if e.certain]
    unsure = [e for e in shown if not e.certain]
    lines = [edits.updates_note(sure, updates)] if sure else []  # the page's words for the rows it updates unasked
    if unsure:
        chosen = sum(1 for e in unsure if updates.get(e.row) == e.case_no)
        lines.append(f"{len(unsure):,} 行可能是已导入的信改过内容，但不能确定；未用 --update-edited 指定的行"
                     f"按新信导入（已指定更新 {chosen:,} 行）：")
    for e in unsure:
        ref = f"（{preview.row_ref} {e.ref}）" if preview.row_ref and e.ref else ""
        verdict = "更新原信" if updates.get(e.row) == e.case_no else "按新信导入"
        lines += [f"  第 {e.row} 行{ref}，本行编号 {own.get(e.row, '')}，可能是已导入的信访件 {e.case_no}"
                  f"（收件日期 {e.received.isoformat()}）：{e.why}。{'将' if dry_run else '已'}{verdict}",
                  f"    原信内容：{e.old_text}", f"    本行内容：{e.new_text}"]
        if e.change:
            lines.append(f"    改动：{e.change}")
    if dry_run and any(updates.get(e.row) != e.case_no for e in unsure):
        lines.append("  确是原信改过内容的行，导入时加 --update-edited 原信编号（可多次使用），"
                     "该行即更新原信而不按新信导入。")
    return lines


def _edited_json(preview, found, updates: dict[int, str]) -> list[dict[str, object]]:
    from planner.intake import edited_letters as edits

    own = {r.row: str(r.values.get("case_no") or "") for r in preview.rows}
    return [{"row": e.row, "case_no": own.get(e.row, ""), "earlier_case_no": e.case_no,
             "received_date": e.received.isoformat(), "certain": e.certain, "why": e.why,
             "earlier_text": e.old_text, "row_text": e.new_text, "change": e.change,
             "updates_earlier": updates.get(e.row) == e.case_no} for e in edits.worth_showing(found)]


def _corrections(preview, updates: dict[int, str], wanted: list[str]):
    """The fields corrected in the app that the register's rows would change (as the 导入 page lists them), with
    the ``--take-file`` choices applied, and the choices as the import takes them.

    Raises
    ------
    InputError
        A ``--take-file`` that names no listed letter, or a field other than 问题类别 and 位置.
    """
    from dataclasses import replace

    from planner.errors import InputError
    from planner.intake.app_corrections import GROUPS
    from planner.intake.app_corrections import wanted as chosen
    from planner.intake.correction_checks import corrections_preview
    from planner.store.database import get_engine, session_scope

    names = {**{k: k for k in GROUPS}, "问题类别": "category", "类别": "category", "位置": "place"}
    take: set[tuple[str, str]] | bool = set()
    with session_scope(get_engine()) as session:
        listed = corrections_preview(session, preview, updates)
    for item in (w.strip() for w in wanted):
        if item.lower() == "all":
            take = True
            continue
        no, _, field = item.partition("=")
        if field and field.strip() not in names:
            raise InputError(f"--take-file {item}：字段应为 问题类别 或 位置，收到 {field.strip()!r}")
        hits = [c for c in listed if c.case_no == no.strip() and (not field or c.field == names[field.strip()])]
        if not hits:
            shown = "、".join(dict.fromkeys(f"{c.case_no}={c.label.split('（')[0]}" for c in listed)) or "无"
            raise InputError(f"--take-file {item}：本表没有改动这封信在系统中更正过的这一字段（列出的：{shown}）。"
                             "请先用 --dry-run 查看")
        if take is not True:
            take |= {(c.case_no, c.field) for c in hits}
    return tuple(replace(c, taken=chosen(c.case_no, c.field, take)) for c in listed), take


def _corrections_text(listed, *, dry_run: bool) -> list[str]:
    """The corrected fields as lines: the note, then each letter's field with both values and what the import does."""
    from planner.intake.correction_checks import preview_note

    if not listed:
        return []
    if dry_run:
        lines = [preview_note(listed).replace("勾选该行的“改用登记表的值”", "导入时加 --take-file 编号[=字段] 或 all")]
    else:
        lines = [f"系统中人工更正过、登记表的行要改动的字段 {len(listed)} 处："]
    done = "将" if dry_run else "已"
    return lines + [f"  第 {c.row} 行 {c.line().removesuffix('保留系统中的值').removesuffix('改用登记表的值')}"
                    f"{done}{'改用登记表的值' if c.taken else '保留系统中的值'}" for c in listed]


def _moved(written: tuple[str, ...]) -> str:
    """:func:`planner.store.moved_letters.moved_by_import` of the imported letters ("" when no plan's letter moved)."""
    from planner.store.database import get_engine, session_scope
    from planner.store.moved_letters import moved_by_import

    with session_scope(get_engine()) as session:
        return moved_by_import(session, written)


def _dropped(preview) -> str:
    """:func:`planner.intake.dropped_letters.dropped_letters` of the register (walk W20: letters it lacks, unsaid)."""
    from planner.intake.dropped_letters import dropped_letters
    from planner.store.database import get_engine, session_scope

    with session_scope(get_engine()) as session:
        return dropped_letters(session, preview.rows, preview.filename).text()


def _encode(written: tuple[str, ...]) -> int:
    """The meaning of the letters this import added or changed, encoded now as the app's 导入登记表 does it (stop 48:
    an import by command line left them to the first 关联分析, which then spent about 0.03 s a letter on them);
    progress on stderr. Returns how many were encoded (0 without the model: 关联分析 judges by words and says so)."""
    from planner.intake.imported_meaning import written_texts
    from planner.store import vectors
    from planner.store.database import get_engine, session_scope

    engine = get_engine()
    with session_scope(engine) as session:
        texts = written_texts(session, written)
        todo = vectors.missing(session, texts)
    if not todo:
        return 0
    print(f"正在理解 {todo:,} 件新信件的内容，供关联分析使用（本机计算，只需一次）……", file=sys.stderr)
    return vectors.encode_missing(engine, texts, progress=lambda done, total: print(
        f"  已完成 {done:,} / {total:,} 件", file=sys.stderr))


def _workbook(register: str, mapping: dict[str, str | None]):
    """The register sheets of the file and the sheets left (:func:`planner.intake.register_sheets.read_workbook`)."""
    from planner.intake import register as ingest
    from planner.intake.register_sheets import read_workbook
    from planner.store.database import get_engine, session_scope

    with session_scope(get_engine()) as session:
        return read_workbook(register, mappings={"": mapping}, known_letters=lambda: ingest.known_letters(session))


def _system() -> object:
    """The actor a batch import runs as (SYSTEM): the import is audited."""
    from planner.office.security import SYSTEM

    return SYSTEM


def _run_workbook(args: argparse.Namespace, book, mapping: dict[str, str | None]) -> int:
    """A workbook of several register sheets: each sheet read and counted, the others named, all imported at once."""
    from planner.errors import InputError
    from planner.intake.register_sheets import import_workbook
    from planner.store.database import get_engine

    if args.update_edited or [w for w in args.take_file if w.strip().lower() != "all"]:
        raise InputError("多张登记表的工作簿：--update-edited 和逐件的 --take-file 暂不支持（--take-file all 可用）；"
                         "请把要这样处理的工作表单独另存后导入")
    if args.dry_run:
        print(f"{book.filename}：读取 {book.rows_read} 行，可导入 {book.valid_rows}，拒收 {book.rejected_rows}"
              "（未写入数据库）")
        print(book.note())
        for p in book.read:
            for line in [*_notes(p), *filter(None, [_dropped(p)])]:
                print(line)
        for line in book.error_lines(40):
            print("  " + line, file=sys.stderr)
        return 0
    summary = import_workbook(get_engine(), args.register, mappings={"": mapping}, who=args.who, actor=_system(),
                              take_file=bool(args.take_file))
    moved = _moved(summary.written)
    _encode(summary.written)
    if args.json:
        print(json.dumps(summary.as_dict() | ({"moved_on_plans": moved} if moved else {}), ensure_ascii=False))
    else:
        print(summary.text())
        if moved:
            print(moved)
    for line in summary.issues[:40]:
        print("  " + line, file=sys.stderr)
    if len(summary.issues) > 40:
        print(f"  ……另有 {len(summary.issues) - 40} 条提示", file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    """Import (or validate) the register; print the summary, the rows that may be earlier letters, and up to 20
    issues."""
    from planner.intake import edited_letters as edits
    from planner.intake import register as ingest

    mapping = _mapping(args.map)
    book = _workbook(args.register, mapping)  # walk W23: every register sheet of a workbook, the others named
    if book.several:
        return _run_workbook(args, book, mapping)
    preview, found = _edited_rows(args.register, mapping)
    if note := book.note():
        print(note)
    choices = _choices(preview, found, args.update_edited)
    updates = edits.chosen_updates(found, choices)  # refuses two rows chosen for one letter
    # Walk W10: an older register imported again must not silently put back what people corrected in the app.
    corrected, take_file = _corrections(preview, updates, args.take_file)
    if args.dry_run:
        print(f"{preview.filename}：读取 {preview.rows_read} 行，可导入 {preview.valid_rows}，"
              f"拒收 {preview.rejected_rows}"
              "（未写入数据库）")
        for line in [*_notes(preview), *_edited_text(preview, found, updates, dry_run=True),
                     *_corrections_text(corrected, dry_run=True), *filter(None, [_dropped(preview)])]:
            print(line)
        for line in preview.error_lines(20):
            print("  " + line, file=sys.stderr)
        return 0
    from planner.store.database import get_engine

    actor = _system()
    dropped = _dropped(preview)  # read before the import moves the letters it rewrites to itself (walk W25)
    summary = ingest.import_register(get_engine(), args.register, mapping=mapping, who=args.who, actor=actor,
                                     choices=choices, take_file=take_file)
    moved = _moved(summary.written)  # walk W11: a letter on an issued plan moved, and only 更新 3 件 was said
    _encode(summary.written)
    if args.json:
        print(json.dumps(summary.as_dict() | {"possibly_edited": _edited_json(preview, found, updates)}
                         | ({"moved_on_plans": moved} if moved else {})
                         | ({"not_in_register": dropped} if dropped else {}), ensure_ascii=False))
    else:
        print(summary.text())
        for line in [*_notes(preview), *_edited_text(preview, found, updates, dry_run=False),
                     *_corrections_text(summary.corrections, dry_run=False), *([moved] if moved else []),
                     *([dropped] if dropped else [])]:
            print(line)
    for issue in summary.issues[:20]:
        print("  " + issue.text(summary.filename), file=sys.stderr)
    if len(summary.issues) > 20:
        print(f"  ……另有 {len(summary.issues) - 20} 条提示", file=sys.stderr)
    return 0
