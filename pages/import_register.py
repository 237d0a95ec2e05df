"""导入: upload a letter register, check the detected columns and every row, import, download rejected rows."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from pages.common import (
    PAGE_CASE_MAP,
    PAGE_HOME,
    PAGE_IMPORT,
    Key,
    actor_name,
    clear_after,
    encode_meaning,
    engine,
    live_download,
    page_actor,
    page_link,
    show_db_failure,
    show_error,
    sign_in,
)
from planner.errors import USER_ERRORS
from planner.intake import edited_letters as edits
from planner.intake import register as ingest
from planner.intake.address_checks import CASE_MAP_CHECKS, WRITTEN_ADDRESS, address_preview
from planner.intake.blank_numbers import blank_numbers_note
from planner.intake.columns import row_ref_note
from planner.intake.correction_checks import choice_key, corrections_preview, preview_note
from planner.intake.dropped_letters import dropped_text
from planner.intake.import_history import SHOWN, import_history, refused_rows_xlsx
from planner.intake.imported_meaning import written_texts
from planner.intake.note_groups import kind_lines
from planner.intake.numbered_later import numbered_later_note, renumbered
from planner.intake.outside_city import OUTSIDE, OUTSIDE_LABEL
from planner.intake.plan_moves_preview import moves_before_import, moves_text
from planner.intake.register_levels import stored_levels_note
from planner.intake.register_sheets import WorkbookPreview, import_workbook, read_workbook, sheet_label
from planner.intake.twin_rows import twin_rows_note
from planner.intake.uploads import check_upload
from planner.intake.withheld import withheld_note
from planner.office import security
from planner.office.privacy import md_text
from planner.store import demo_data
from planner.store.database import session_scope

# The uploaded file (name, bytes) is kept while the user adjusts the mapping; AppTests inject it here.
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")
_NOT_MAPPED = "（不导入）"
# 校验结果: 说明 takes the width the other columns leave; rows of three lines wrap a long explanation (a row
# taller than 4rem wraps its text). Walk H1: at its default height the table showed about four rows of four lines.
_ONE_LINE_CHARS = 38  # 说明: characters a line holds on a 1366-px screen
_ISSUE_ROW_HEIGHT = 96  # 改过内容的信: the words of both letters in full
_ISSUE_ROWS_SHOWN = 15  # 校验结果 shows up to this many rows before it scrolls …
_ISSUE_TABLE_PX = 700  # … in at most this height: the table and the 导入 button stay within a 900-px screen
_CHECK_LINE_CHARS = 26  # 地址核对's 说明: characters a line of its 400 px holds
# 系统中更正过的字段: 900 px on a 1366-px screen, the preview's 改用登记表的值 box included; both values keep 176 px
# (two lines), who and when stay in sight (更正人 is the person as every page names them, 林协调（lin）: two lines of
# 80 px). Walk W13: at 90 px 更正时间 read 2026-12-06 16 (a time does not wrap): it has the width of one line.
_CORRECTION_COLUMNS = {
    "行": st.column_config.NumberColumn(width=40), "编号": st.column_config.TextColumn(width=85),
    "字段": st.column_config.TextColumn(width=88), "导入时": st.column_config.TextColumn(width=110),
    "系统中的值（人工更正）": st.column_config.TextColumn(width=176),
    "登记表的值": st.column_config.TextColumn(width=176),
    "更正人": st.column_config.TextColumn(width=80), "更正时间": st.column_config.TextColumn(width=120),
}

st.title("导入")
st.caption("上传信访件登记表（xlsx、xls 或 csv；CSV 可为 UTF-8 或 GBK 编码）。先预览、核对列映射，再导入。"
           "同一登记表重复导入不会产生重复记录；修改过的行会更新并保留历史。")

actor = page_actor(PAGE_IMPORT)

if security.is_demo(actor):
    # From the demo to real data: a real register closes demo sign-in, so the visitor first creates the office's
    # administrator and goes on as that account — never signed out in the middle of an import.
    st.info("当前是演示模式（虚构数据，无需登录）。导入本单位真实登记表之前，请先创建首个管理员账户："
            "创建后演示模式结束，您将以该管理员身份继续，接着即可在本页导入。")
    with session_scope(engine()) as session:
        demo_letters = len(demo_data.demo_case_ids(session))
    if demo_letters:
        st.warning(f"创建管理员时，演示数据（{demo_letters:,} 件演示信访件及其办理记录）将被清除，"
                   "不影响之后导入的登记表。")
    with st.form("demo_first_admin"):
        new_user = st.text_input("管理员用户名", key="demo_admin_username")
        new_name = st.text_input("姓名（显示用）", key="demo_admin_display")
        new_pw = st.text_input("密码（至少 10 位，含大小写字母、数字、符号中的三类）", type="password",
                               key="demo_admin_password")
        new_pw2 = st.text_input("再次输入密码", type="password", key="demo_admin_password2")
        create = st.form_submit_button("创建管理员并继续导入", type="primary")
    if create:
        if new_pw != new_pw2:
            st.error("两次输入的密码不一致。")
        else:
            try:
                with session_scope(engine()) as session:
                    admin = security.end_demo(session, actor, new_user.strip(), new_pw, display_name=new_name)
                    removed = dict(session.info.get("demo_data_removed") or {})
            except USER_ERRORS as exc:
                show_error(exc)
            else:
                sign_in(admin)  # remembered in this browser like any sign-in
                clear_after("import")  # pages must not show figures cached from the demo letters
                st.session_state[Key.FLASH] = md_text(
                    f"已创建管理员 {admin.username}，演示模式已结束；您已用该账户登录，现在可以导入本单位的登记表。"
                    f"已清除的演示数据：{demo_data.removed_text(removed)}。"
                )
                st.rerun()
    st.stop()

if flash := st.session_state.pop(Key.FLASH, None):
    st.success(flash)


def _detach_result() -> None:
    """The last 导入结果 belongs to no file shown any more (walk T: the same file uploaded again after 换一个文件
    previewed 未变 40 with the earlier 新增 40 under it); it is still shown while no file is chosen."""
    if done := st.session_state.get(Key.IMPORT_RESULT):
        st.session_state[Key.IMPORT_RESULT] = done | {"file_id": None}


# A new uploader key empties the widget when the user picks "换一个文件" (a widget's file cannot be cleared).
UPLOAD_GEN_KEY = getattr(Key, "IMPORT_UPLOAD_GEN", "import_upload_gen")
upload = st.file_uploader(
    "信访件登记表", type=["xlsx", "xls", "csv"], key=f"import_upload_{st.session_state.get(UPLOAD_GEN_KEY, 0)}"
)
UPLOAD_ID_KEY = "import_upload_id"
if upload is not None:
    if st.session_state.get(UPLOAD_ID_KEY) != upload.file_id:  # a new upload, even of the same file
        st.session_state[UPLOAD_ID_KEY] = upload.file_id
        _detach_result()
    st.session_state[FILE_KEY] = (upload.name, upload.getvalue())
pending = st.session_state.get(FILE_KEY)


def _issue_table_size(messages: list[str]) -> tuple[int | None, int]:
    """Row height (None: one line) and height of the 校验结果 table, so that four 说明 in five read in full in as few
    lines as they need (one: 15 rows shown; two or three: 10 or 8 within :data:`_ISSUE_TABLE_PX`); a longer one is
    double-clicked, or read under 逐行说明."""
    lengths = sorted(len(m) for m in messages)
    typical = lengths[(4 * len(lengths)) // 5] if lengths else 0
    lines = min(3, -(-typical // _ONE_LINE_CHARS))
    row = 35 if lines <= 1 else max(65, 14 + 21 * lines)  # a row of 4rem or less never wraps its text
    return (None if row == 35 else row), min(_ISSUE_TABLE_PX, 40 + row * min(len(lengths), _ISSUE_ROWS_SHOWN))


def _shown_total(seconds: float, meaning: float) -> float:
    """The whole wait as the sum of its parts rounded to tenths, so that the line adds up as the user reads it."""
    return round(seconds, 1) + round(meaning, 1)


def _forget_file() -> None:
    _detach_result()
    st.session_state[FILE_KEY] = None
    st.session_state[UPLOAD_GEN_KEY] = st.session_state.get(UPLOAD_GEN_KEY, 0) + 1


def _moved_note(written: tuple[str, ...]) -> str:
    """:func:`planner.store.moved_letters.moved_by_import` of this import's letters ("" when none moved on a plan)."""
    from planner.store.moved_letters import moved_by_import

    try:
        with session_scope(engine()) as s:
            return moved_by_import(s, written)
    except SQLAlchemyError:  # the letters are in (committed): the result stands without the note
        return ""


def _dropped_note(previews) -> str:
    """:func:`planner.intake.dropped_letters.dropped_text` of the registers just imported ("" when none)."""
    with session_scope(engine()) as s:
        return dropped_text(s, previews)


def _render_result(result: dict) -> None:
    st.subheader("导入结果")
    cols = st.columns(5)
    for col, (label, key) in zip(
        cols, (("读取", "rows_read"), ("新增", "imported"), ("更新", "updated"), ("未变", "unchanged"),
               ("拒收", "rejected")), strict=True,
    ):
        col.metric(label, f"{result[key]:,}")
    meaning = result.get("meaning_seconds") or 0.0
    # The total is the sum of the parts as shown (walk T: 用时 7.8 秒 over parts 0.1 + 7.8 秒).
    took = f"用时 {_shown_total(result['seconds'], meaning):.1f} 秒"
    if meaning >= 0.05:
        took += f"（读入、校验与入库 {result['seconds']:.1f} 秒，计算新信件的内容含义 {meaning:.1f} 秒）"
    st.caption(f"{md_text(result['filename'])}，{took}")
    if result.get("duplicates"):
        st.info(f"{result['duplicates']:,} 行是已导入的信（收信日期、信访人、反映内容与已有信访件相同，只是编号不同），"
                "未重复导入；下载“未导入的行”可看每行对应的信访件编号。", icon=":material/content_copy:")
    if note := result.get("withheld_note"):  # an exported register (已隐去) read back: the stored identity kept
        st.info(md_text(note), icon=":material/visibility_off:")
    if note := result.get("corrections_note"):  # what people corrected in the app and the file would have undone
        st.info(note, icon=":material/history_edu:")
        st.dataframe(pd.DataFrame(result.get("corrections") or []), hide_index=True, width="stretch",
                     key="import_corrections_result", row_height=65,  # two lines: a place and its point
                     column_config=_CORRECTION_COLUMNS)
    if note := result.get("dropped_note"):  # walk W20: stored letters within this register's dates that it lacks
        st.warning(md_text(note), icon=":material/playlist_remove:")
    if note := result.get("moved_note"):  # walk W11: a letter on an issued plan moved and the result said 更新 3 件
        st.warning(md_text(note), icon=":material/wrong_location:")
    if result.get("renumbered"):
        st.info(f"{result['renumbered']:,} 件原按空编号自编的信访件改用登记表补填的编号（计入“更新”），"
                "办理记录、走访结果和行程都保留。", icon=":material/tag:")
    if result.get("repeats"):
        st.info(f"{result['repeats']:,} 行与本表前面的行是同一封信（收信日期、信访人、反映内容相同，只是编号不同），"
                "未重复导入；下载“未导入的行”可看每行对应本表哪一行、哪个编号。", icon=":material/content_copy:")
    placed = result.get("geocoded") or {}
    if placed:
        words = {"village": "到村", "town": "到乡镇", "county": "只到县区", "none": "未定位", OUTSIDE: OUTSIDE_LABEL}
        st.markdown("**定位**（新增和更新的信访件）：" + "、".join(
            f"{w} {placed[k]:,} 件" for k, w in words.items() if placed.get(k)))
        if placed.get("check") or placed.get("none"):
            st.warning(f"{placed.get('check', 0):,} 件地址需核对（乡镇与村不符、村名重名等），"
                       f"{placed.get('none', 0):,} 件未定位：{CASE_MAP_CHECKS}",
                       icon=":material/wrong_location:")
        if placed.get(OUTSIDE):  # not a place the office failed to find: a letter to pass on
            st.info(f"{placed[OUTSIDE]:,} 件地址不在漳州市，为{OUTSIDE_LABEL}：单独计数，不列入走访候选。",
                    icon=":material/forward_to_inbox:")
    if sheets := result.get("sheets"):  # a workbook of registers: each sheet's counts
        st.dataframe(pd.DataFrame([{"工作表": s["sheet"], "读取": s["rows_read"], "新增": s["imported"],
                                    "更新": s["updated"], "未变": s["unchanged"], "拒收": s["rejected"]}
                                   for s in sheets]), hide_index=True, key="import_sheet_results")
    if result.get("rejected") and result.get("batch_id") is not None:
        eng, batch_id = engine(), result["batch_id"]
        batch_ids = result.get("batch_ids") or [batch_id]

        def _rejected() -> bytes:  # built when clicked, after the live session is re-checked
            with session_scope(eng) as session:  # 来源文件 names the sheet of a workbook's row
                return ingest.rejected_rows_xlsx([r for b in batch_ids for r in ingest.rejected_rows(session, b)])

        st.download_button(
            "下载未导入的行（含原因，个人信息已遮蔽）",
            live_download(_rejected, actor, st.session_state.get(Key.SESSION_TOKEN), eng),
            file_name=f"未导入的行-{Path(str(result['filename'])).stem}-{batch_id}.xlsx", on_click="ignore",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="import_rejected_download",
        )
    page_link(PAGE_HOME, label="查看首页统计", icon=":material/home:")
    page_link(PAGE_CASE_MAP, label="在案件地图上查看", icon=":material/map:")


def _history() -> None:
    """导入记录: every import the account may see, newest first, and the rows one of them refused to download at any
    time (walk W33: after 导入 → 首页 → 导入 the refused rows were stored but no page offered them)."""
    try:
        with session_scope(engine()) as session:
            records = import_history(session, actor)
    except SQLAlchemyError:
        st.caption("导入记录暂时无法读取（数据库忙或不可用），请稍后刷新本页。")
        return
    with st.expander(f"导入记录（{len(records):,} 次）" if records else "导入记录", expanded=pending is None):
        if not records:
            st.caption("还没有导入过登记表。")
            return
        st.caption(f"最近 {len(records):,} 次导入，新的在前；工作簿中每张登记表工作表各记一次。"
                   + ("" if len(records) < SHOWN else f"只列最近 {SHOWN} 次。"))
        st.dataframe(pd.DataFrame([r.as_row() for r in records]), hide_index=True, width="stretch",
                     key="import_history", column_config={
                         # 900 px: 拒收 stays in sight beside a long file name (double-click a cell for all of it)
                         "导入时间": st.column_config.TextColumn(width=125),
                         "导入人": st.column_config.TextColumn(width=110),
                         "文件": st.column_config.TextColumn(width=250),
                         "工作表": st.column_config.TextColumn(width=90),
                         **{c: st.column_config.NumberColumn(width=55) for c in ("读取", "新增", "更新", "未变",
                                                                                 "拒收")}})
        refused = {r.batch_id: r for r in records if r.rejected}
        if not refused:
            st.caption("这些导入都没有拒收的行。")
            return
        batch_id = st.selectbox("下载某次导入未导入的行", list(refused), format_func=lambda b: refused[b].label(),
                                key="import_history_pick")
        pick, eng = refused[batch_id], engine()

        def _rows() -> bytes:  # built when clicked, after the live session is re-checked
            with session_scope(eng) as session:
                return refused_rows_xlsx(session, actor, pick.batch_id)

        st.download_button(
            f"下载未导入的 {pick.rejected:,} 行（含文件、工作表、行号、列和原因，个人信息已遮蔽）",
            live_download(_rows, actor, st.session_state.get(Key.SESSION_TOKEN), eng),
            file_name=f"未导入的行-{Path(pick.file).stem}{'-' + pick.sheet if pick.sheet else ''}-{pick.batch_id}.xlsx",
            on_click="ignore", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="import_history_download",
        )


if pending is None:
    result = st.session_state.get(Key.IMPORT_RESULT)
    if result:
        _render_result(result)
    else:
        st.info("请选择要导入的登记表文件。")
    _history()
    st.stop()

name, data = pending
# Column choices belong to one file: a different file starts again from the detected mapping.
MAP_FOR_KEY = getattr(Key, "IMPORT_MAPPING_FOR", "import_mapping_for")
file_id = hashlib.sha256(data).hexdigest()
# Walk W23: a workbook of several registers (one sheet a county) is imported whole; each sheet keeps its own 列映射.
SHEET_MAPS: dict[str, dict[str, str | None]] = st.session_state.setdefault(
    "import_sheet_maps", {}).setdefault(file_id, {})


def _mapping_for(sheet: str | None) -> None:
    """The 列映射 boxes belong to one file and, in a workbook of registers, to one sheet."""
    if st.session_state.get(MAP_FOR_KEY) != f"{file_id}:{sheet}":
        for spec in ingest.FIELDS:
            st.session_state.pop(f"import_map_{spec.key}", None)
        st.session_state[MAP_FOR_KEY] = f"{file_id}:{sheet}"


def _viewed_sheet(book: WorkbookPreview) -> str | None:
    """The register sheet shown in full below (None: a file with one register, read as before)."""
    if not book.several:
        return None
    st.info(md_text(book.note()), icon=":material/table_view:")  # the office's sheet names: shown as text
    st.dataframe(pd.DataFrame(book.sheet_rows()), hide_index=True, key="import_sheets")
    return st.selectbox("逐张查看工作表（列映射、校验结果按所选工作表显示；导入时所有登记表工作表一并导入）",
                        [p.sheet for p in book.read], key=f"import_view_{file_id[:16]}")


def _mapping_from_widgets(headers: tuple[str, ...]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for spec in ingest.FIELDS:
        choice = st.session_state.get(f"import_map_{spec.key}")
        if choice is None:
            continue
        if choice == _NOT_MAPPED:
            out[spec.key] = None
        elif choice in headers:
            out[spec.key] = choice
    return out


try:
    # Size, type by content, zip bombs and path tricks are refused before the parser sees the bytes.
    name = check_upload(name, data).safe_name
    with session_scope(engine()) as session:
        # Letters already imported (from another register, under another number) show as rejected in the preview.
        known = ingest.known_letters(session)
    book = read_workbook(data, filename=name, known_letters=known, mappings=SHEET_MAPS)
    view = _viewed_sheet(book)
    _mapping_for(view)
    label = sheet_label(name, view) if view else name
    # A one-sheet file (a CSV) is read once for both (a big register: a second read is seconds on every rerun).
    detected = book.read[0] if len(book.all_sheets) == 1 and book.read else \
        ingest.read_register(data, filename=label, known_letters=known, sheet=view)
    mapping = {**SHEET_MAPS.get(view or "", {}), **_mapping_from_widgets(detected.headers)} if view else \
        _mapping_from_widgets(detected.headers)
    preview = ingest.read_register(data, filename=label, mapping=mapping, known_letters=known,
                                   sheet=view) if mapping else detected
    if view:
        SHEET_MAPS[view] = {spec.key: preview.mapping.get(spec.key) for spec in ingest.FIELDS}  # as imported
        if {spec.key: book.sheet(view).mapping.get(spec.key) for spec in ingest.FIELDS} != SHEET_MAPS[view]:
            book = read_workbook(data, filename=name, known_letters=known, mappings=SHEET_MAPS)  # another 列映射
        # Walk W33: a sheet is imported after the sheets before it (a 编号 of 东山县's sheet again on 云霄县's is
        # refused or kept as the import decides); the preview reads it so, not against the stored letters alone.
        preview = book.sheet(view)
except USER_ERRORS as exc:
    show_error(exc)
    if st.button("换一个文件", key="import_clear_bad"):
        _forget_file()
        st.rerun()
    st.stop()

# Walk 1: a register without numbers with a note added to 2 letters came in as 2 new letters beside the old ones.
# Its rows that are letters imported before, with other words, update them; the coordinator decides the uncertain.
edited: tuple[edits.EditedLetter, ...] = ()
if edits.may_hold_edits(preview):  # no number column, or an empty 编号 cell (walk H1)
    with session_scope(engine()) as session:
        edited = edits.edited_letters(session, preview)
EDITED_KEY = f"import_edited_{file_id[:16]}_{edits.choice_key(edited)}"  # the choices of this list of rows
unsure = [e for e in edited if not e.certain]
ticked = (st.session_state.get(EDITED_KEY) or {}).get("edited_rows", {})
choices = {e.row: e.case_no for i, e in enumerate(unsure)
           if (ticked.get(i) or ticked.get(str(i)) or {}).get("更新原信")}
choice_error = ""
try:
    updates = edits.chosen_updates(edited, choices)
except USER_ERRORS as exc:
    updates, choice_error = edits.chosen_updates(edited), str(exc)


def _edited_row(e: edits.EditedLetter) -> dict[str, object]:
    return {"行": e.row, **({"序号": e.ref} if preview.row_ref else {}), "已导入的信访件": e.case_no,
            "收件日期": e.received.isoformat(), "改动": e.change, "原信内容": e.old_text, "本行内容": e.new_text,
            "说明": e.why}


# The edit first (a note added at the end of a letter was cut off), the words in full on rows of four lines.
_EDITED_COLUMNS = {
    "行": st.column_config.NumberColumn(width="small"), "序号": st.column_config.TextColumn(width="small"),
    "已导入的信访件": st.column_config.TextColumn(width=170), "收件日期": st.column_config.TextColumn(width=95),
    "改动": st.column_config.TextColumn(width=220), "原信内容": st.column_config.TextColumn(width=260),
    "本行内容": st.column_config.TextColumn(width=260), "说明": st.column_config.TextColumn(width=260),
    "更新原信": st.column_config.CheckboxColumn(
        width=100, help="勾选：本行更新右侧已导入的信访件（编号不变，保留修改历史）；不勾选：按新信导入"),
}


st.subheader(f"预览：{md_text(preview.filename)}")
c1, c2, c3, c4 = st.columns(4)
# With a required column missing no row is read as a letter yet: the rows found under the header are counted.
c1.metric("数据行", f"{preview.rows_read or preview.rows_found:,}")
c2.metric("可导入", f"{preview.valid_rows:,}")
c3.metric("将拒收", f"{preview.rejected_rows:,}")
c4.metric("表头所在行", f"第 {preview.header_row} 行")
# Walk S: a register imported again previewed as 可导入 66 and only the result said 未变 66. The rows are counted
# (and placed, for 地址核对 below) as the import will count and place them.
places = None
if not preview.missing_required and preview.valid_rows:
    with session_scope(engine()) as session:
        later = {row: old for row, (old, _new) in renumbered(preview.rows).items()}  # counted as the case they are
        places = address_preview(session, dataclasses.replace(  # rows that update a letter, under its number
            preview, rows=tuple(edits.with_numbers(preview.rows, {**updates, **later}))))
        # Walk W18: the app's own export (已隐去) imported back replaced every petitioner by 已隐去.
        kept_note = withheld_note(session, edits.with_numbers(preview.rows, {**updates, **later}))
        # Walk W19: a later register with other 紧急程度 levels — what stored letters keep, said before importing.
        levels_note = stored_levels_note(session, edits.with_numbers(preview.rows, {**updates, **later}))
        # Walk W20: letters already imported, within this register's 收件日期, that it lacks (told, never deleted).
        dropped_note = dropped_text(session, book.read if view else (preview,))  # every sheet (walk W24)
    if places.new or places.changed:
        st.caption(places.counts_text())
    else:
        st.info(places.counts_text(), icon=":material/published_with_changes:")
    if kept_note:
        st.info(md_text(kept_note), icon=":material/visibility_off:")  # names case numbers: shown as text
    if levels_note:
        st.info(md_text(levels_note), icon=":material/priority_high:")  # the office's own words: shown as text
    if dropped_note:
        st.warning(md_text(dropped_note), icon=":material/playlist_remove:")
if not book.several and (sheets := book.note()):  # walk W23: the sheets read and those left, with the reason
    st.info(md_text(sheets), icon=":material/table_view:")
if reading := preview.reading_note():  # which sheet of several, a two-row header, no 办理期限 column
    st.info(md_text(reading), icon=":material/table_view:")
if preview.datum_hint and preview.datum_hint != "wgs84":
    st.caption(f"坐标列标题表明坐标系为 {preview.datum_hint.upper()}，导入时将转换为 WGS-84。")

with st.expander("列映射（自动识别，可修改）", expanded=bool(preview.missing_required)):
    options = [_NOT_MAPPED, *preview.headers]
    cols = st.columns(3)
    for i, spec in enumerate(ingest.FIELDS):
        current = preview.mapping.get(spec.key)
        required = "（无此列时自动生成）" if spec.key == "case_no" else "（必填）" if spec.required else ""
        cols[i % 3].selectbox(
            f"{spec.label}{required}{'（个人信息）' if spec.personal else ''}",
            options, index=options.index(current) if current in options else 0, key=f"import_map_{spec.key}",
        )
    if ref_note := row_ref_note(preview.row_ref):  # 顺序, 序号 …: no field of a case, so the boxes cannot show it
        st.caption(md_text(ref_note))  # names the office's own header: shown as text
    own = preview.unmapped_headers()
    if own:
        # Not "unused": every cell of the register lands somewhere (README), these on the letter as written.
        st.caption("登记表自有的列（不对应上方字段，原样保存在信访件上，导出登记表时一并导出）："
                   + md_text("、".join(own)))  # the office's own headers, shown as text

if severity_note := preview.severity_note():
    # 特急/紧急/一般 -> the severity 选件 ranks on; names the office's own header and words: shown as text.
    st.info(md_text(severity_note), icon=":material/priority_high:")

if note := preview.case_no_note():
    st.info(md_text(note), icon=":material/tag:")  # names the office's own 序号 header: shown as text
# Walk W8: letters with an empty 编号 cell were refused (编号为空); they are numbered from the letter and said so.
if blank_note := blank_numbers_note(preview.rows, preview.mapping.get("case_no")):
    st.info(md_text(blank_note), icon=":material/tag:")  # names the office's own 编号 header: shown as text

if later_note := numbered_later_note(preview.rows, preview.filename):  # 编号 filled in later: walk H1
    st.info(md_text(later_note), icon=":material/tag:")  # names the office's file and numbers: shown as text
if same_note := preview.same_letter_note():
    st.warning(same_note, icon=":material/content_copy:")
if twin_note := twin_rows_note(preview.rows, preview.filename):  # rows entered or numbered twice: walk G1
    st.warning(md_text(twin_note), icon=":material/content_copy:")  # names the file and its numbers: as text

if shown := edits.worth_showing(edited):
    st.subheader("改过内容的信")
    st.info(edits.updates_note(shown, updates), icon=":material/edit_note:")
    if sure := [e for e in shown if e.certain]:
        st.dataframe(pd.DataFrame([_edited_row(e) for e in sure]), hide_index=True, width="stretch",
                     key="import_edited_sure", row_height=_ISSUE_ROW_HEIGHT, column_config=_EDITED_COLUMNS)
    if unsure:
        table = pd.DataFrame([{"更新原信": False} | _edited_row(e) for e in unsure])
        st.data_editor(table, hide_index=True, width="stretch", key=EDITED_KEY, row_height=_ISSUE_ROW_HEIGHT,
                       disabled=[c for c in table.columns if c != "更新原信"], column_config=_EDITED_COLUMNS)
    if choice_error:
        st.error(choice_error)

# Walk W10: an older copy of the register imported again put back what people had corrected in the app (更新 3 件).
# Each corrected field a row would change is listed; the app's value is kept unless the coordinator ticks the row.
corrections: tuple = ()
if not preview.missing_required and preview.valid_rows:
    with session_scope(engine()) as session:  # rows that update a letter, under its number, as 地址核对 counts them
        corrections = corrections_preview(session, preview, {
            **updates, **{row: old for row, (old, _new) in renumbered(preview.rows).items()}})
CORRECTIONS_KEY = f"import_corrections_{file_id[:16]}_{choice_key(corrections)}"  # the choices of this list
take_all = bool(corrections) and bool(st.session_state.get(f"{CORRECTIONS_KEY}_all"))
picked = (st.session_state.get(CORRECTIONS_KEY) or {}).get("edited_rows", {})
take_file = True if take_all else {(c.case_no, c.field) for i, c in enumerate(corrections)
                                   if (picked.get(i) or picked.get(str(i)) or {}).get("改用登记表的值")}
if corrections:
    st.subheader("系统中更正过的字段")
    st.warning(preview_note(tuple(dataclasses.replace(c, taken=take_all or (c.case_no, c.field) in take_file)
                                  for c in corrections)), icon=":material/history_edu:")
    st.checkbox("全部改用登记表的值（撤销上表所有人工更正）", key=f"{CORRECTIONS_KEY}_all")
    table = pd.DataFrame([{"改用登记表的值": take_all} | {k: v for k, v in row.items() if k != "导入时"}
                          for row in (c.as_row() for c in corrections)])
    st.data_editor(table, hide_index=True, width="stretch", key=CORRECTIONS_KEY, row_height=65, disabled=take_all or [
        c for c in table.columns if c != "改用登记表的值"], column_config={
        "改用登记表的值": st.column_config.CheckboxColumn(
            width=135, help="勾选：导入时该字段改用登记表的值；不勾选：保留系统中的人工更正"),
        **_CORRECTION_COLUMNS})

if preview.missing_required:
    st.error(f"找不到必需的列：{'、'.join(preview.missing_required)}。请在上方“列映射”中指定对应的列。")

# Cells as text: a column mixing numbers and text (a 序号 of 12 and of １２) made pyarrow log a traceback on every run.
st.dataframe(pd.DataFrame(preview.sample(20)).fillna("").astype(str), hide_index=True, width="stretch",
             key="import_sample")
st.caption("前 20 行（信访人、电话、身份证号已遮蔽）")

if preview.issues:
    st.subheader("校验结果")
    # Walk W12: some 280 notes of one kind (身份证号位数或校验位不对) buried the 7 that mattered. One line per kind,
    # the refused rows first, then the rare kinds; the table and 逐行说明（全文） keep every row.
    if kinds := kind_lines(preview.issues):
        st.markdown("**按类汇总**（拒收的在前，少见的在前）\n\n" + "\n".join(f"- {md_text(k)}" for k in kinds))
    issue_df = pd.DataFrame(preview.issue_rows())
    for col in ("序号", "编号"):  # the clerk's own numbers, as text (walk D: １２ among 12 made pyarrow complain)
        if col in issue_df:
            issue_df[col] = issue_df[col].fillna("").astype(str)
    # The rows that will not be imported first, with their reasons; then the rows to look at, then the other 提示
    # (walk H1: they were lost among them), as 逐行说明 lists them.
    issue_df = (issue_df.assign(_order=[i.listing_order() for i in preview.issues])
                .sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True))
    row_height, table_height = _issue_table_size([str(m) for m in issue_df["说明"]])
    if refused := preview.rejected_rows:
        st.caption(f"将拒收 {refused:,} 行，排在最前（级别“错误”），说明列写明原因；其后是照常导入的行的提示。")
    st.dataframe(
        issue_df, hide_index=True, width="stretch", key="import_issues", height=table_height,
        # Rows taller than 4rem wrap their text: a long 说明 reads in full instead of ending in "…".
        row_height=row_height,
        column_config={
            # Narrow, so that 说明 keeps about 550 of the 906 px of a 1366-px screen.
            "行": st.column_config.NumberColumn(width=50),
            "序号": st.column_config.TextColumn(width=55),
            "编号": st.column_config.TextColumn(width=120),
            "列": st.column_config.TextColumn(width=90),
            "级别": st.column_config.TextColumn(width=50),
            # The rest of the width: the grid spreads space left over across every column, so 说明 names it.
            "说明": st.column_config.TextColumn(width=540, help="双击单元格可看整段说明"),
        },
    )
    cut = "；说明显示不全的，双击单元格或展开下方“逐行说明（全文）”" if max(
        len(str(m)) for m in issue_df["说明"]) > _ONE_LINE_CHARS * ((row_height or 35) - 14) // 21 else ""
    st.caption(f"“错误”的行不会导入，可在导入后下载；“提示”的行照常导入{cut}。")
    with st.expander("逐行说明（全文）"):
        # Walk W11: the 2 rows refused came after some 230 提示; they lead here too, as in the table above.
        st.text("\n".join(preview.error_lines(limit=len(preview.issues), refused_first=True)))  # headers: as text
else:
    st.success("全部行校验通过。")

# Coordinator's walk: a village the table lacks (平和县山格镇龙凤岗村) showed only in the result, as 1 件地址需核对,
# after the letters were in. The rows are placed here as the import will place them, and listed before it.
if places is not None:
    if places.checks:
        st.subheader("地址核对")
        st.warning(places.text(), icon=":material/wrong_location:")
        # Walk 1: 说明 ended in "…" after a few words: rows of four lines wrap it, the other columns keep their width.
        # A row placed from its content adds 登记表写的地址: the two address columns and 说明 then share the width.
        table = pd.DataFrame(places.rows()).astype({"编号": str})
        both = WRITTEN_ADDRESS in table.columns
        # Walk W13: 导入后 (130 px) cut 「…可能在 48.9 km 以内），待核对」 after four lines and 编号 (90 px) read
        # 自编-2026090: 导入后 has a quarter of the width, 编号 one line of 自编-20260904-04c5e1a2, 信中写的村 its
        # heading, rows as tall as 导入后 or 说明 needs (up to 8 lines).
        address_px, village_px, after_px, note_px = (95, 82, 180, 238) if both else (115, 82, 213, 280)
        lines = min(8, max([2, *(-(-len(str(t)) * 400 // (_CHECK_LINE_CHARS * px)) for col, px in (
            ("导入后", after_px), ("说明", note_px)) if col in table.columns for t in table[col])]))
        st.dataframe(table, hide_index=True, width="stretch", key="import_address_checks", row_height=14 + 21 * lines,
                     column_config={  # 900 px in all
                         "行": st.column_config.NumberColumn(width=40),
                         "编号": st.column_config.TextColumn(width=170),
                         "问题发生地": st.column_config.TextColumn(
                             width=address_px, help="导入后定位到的地点：地址在市外、只写到县区或为空而反映内容写明"
                                                    "地点的，为反映内容中的地点，登记表写的地址另列"),
                         WRITTEN_ADDRESS: st.column_config.TextColumn(width=address_px),
                         "信中写的村": st.column_config.TextColumn(width=village_px),
                         "导入后": st.column_config.TextColumn(width=after_px),
                         "说明": st.column_config.TextColumn(width=note_px, help="双击单元格可看整段说明"),
                     })
        if unchanged := places.unchanged_text():
            st.caption(unchanged)

# Walk W12: a letter on an issued plan moved by this register showed only as 更新 1 件 until after 导入; the import
# is tried (and rolled back) to say, before it, which letters of live plans move, where to and on which plan and day.
# Not in the run that imports: the result below names the moved letters (the preview's 导入后… would read twice).
if places is not None and places.changed and not choice_error and not st.session_state.get("import_go") \
        and not book.several:  # a workbook of registers: the result names the moved letters
    try:
        moving = moves_before_import(
            engine(), data, filename=name, mapping={spec.key: preview.mapping.get(spec.key) for spec in ingest.FIELDS},
            case_nos=[*(str(r.values.get("case_no") or "") for r in preview.rows if r.ok), *updates.values(),
                      *(old for old, _new in renumbered(preview.rows).values())],
            choices=choices, take_file=take_file)
    except (*USER_ERRORS, SQLAlchemyError):  # the import itself says what is wrong; the result names moved letters
        moving = []
        st.caption("未能预先核对本表是否改动已排入计划的信访件的地点；导入后的结果会列出。")
    if moving:
        st.subheader("已排入计划的信访件")
        # walk W20: stops the plan left 未安排 are information, not a re-plan
        (st.warning if any(m.move.routed for m in moving) else st.info)(
            "\n".join(md_text(line) if not line.startswith("- ") else f"- {md_text(line[2:])}"
                      for line in moves_text(moving).splitlines()), icon=":material/wrong_location:")

left, right = st.columns([1, 4])
go = left.button(
    f"导入全部 {len(book.read)} 张工作表" if book.several else "导入", type="primary", key="import_go",
    disabled=(book.valid_rows == 0 if book.several else bool(preview.missing_required) or preview.valid_rows == 0)
    or bool(choice_error),
)
if right.button("换一个文件", key="import_clear"):
    _forget_file()
    st.rerun()

if go:
    who = actor_name()
    if who in ("demo", "演示"):
        # Only the demo loader imports as "demo"; a visitor's own register must close demo sign-in
        # (planner.office.security.demo_sign_in_allowed counts batches by other importers as real data).
        who = "演示访客"
    # What the register lacks is read before the import: rewriting most of a register's letters moves them to this
    # import, and the earlier import they came from would no longer show the register is theirs (walk W25).
    try:
        dropped_note = _dropped_note(book.read if view else (preview,))
        with st.spinner("正在导入……"):
            summary = import_workbook(
                engine(), data, filename=name, who=who, mappings=SHEET_MAPS,
                actor=actor if hasattr(actor, "can") else None, choices={view: choices}, take_file=take_file,
            ) if view else ingest.import_register(
                engine(), data, filename=name, who=who,
                mapping={spec.key: preview.mapping.get(spec.key) for spec in ingest.FIELDS},
                actor=actor if hasattr(actor, "can") else None, choices=choices, take_file=take_file,
            )
    except USER_ERRORS as exc:
        show_error(exc)
        st.stop()
    except SQLAlchemyError as exc:  # walk W33: a database locked by another program showed an English error page
        show_db_failure(exc, "本次导入")  # one transaction: nothing of the register was written
        _history()
        st.stop()
    clear_after("import")
    # The letters are committed: their result stands even when the meaning step below is cut short.
    result = summary.as_dict() | {"file_id": file_id, "meaning_seconds": 0.0,
                                  "moved_note": _moved_note(summary.written),
                                  "dropped_note": dropped_note}
    st.session_state[Key.IMPORT_RESULT] = result
    began = time.perf_counter()
    try:  # this register's new and changed letters only, so that 关联分析 need not wait for them; older letters
        # still without a meaning are worked out by 关联分析 itself (walk on PostgreSQL: minutes for the whole table)
        with session_scope(engine()) as s:
            texts = written_texts(s, summary.written)
        encode_meaning(engine(), texts)
    except (RuntimeError, OSError, SQLAlchemyError):
        st.info("信件已导入；新信件的内容将在打开“关联分析”时再计算。")
    # The result belongs to this file: another file's preview must not show it (it named the previous file).
    # The time the user waited includes the meaning step (walk M: 用时 left it out).
    meaning = time.perf_counter() - began
    st.session_state[Key.IMPORT_RESULT] = result | {"meaning_seconds": meaning}
    # The line says the whole wait, as 导入结果 below does (walk S: 用时 0.0 秒 above 0.1 + 5.9 秒).
    if view:  # one line for the workbook, one a sheet (each names the sheet)
        st.success("  \n".join(md_text(line) for line in summary.text().splitlines()))
    else:
        # Walk W33: a file named …[点我](javascript:…).csv made a link of its name: the line is shown as text.
        st.success(md_text(dataclasses.replace(summary, seconds=_shown_total(summary.seconds, meaning)).text()))

if (done := st.session_state.get(Key.IMPORT_RESULT)) and done.get("file_id") == file_id:
    _render_result(done)
_history()
