"""Consistent backup of the database to one zip of JSON-lines tables; authenticated, all-or-nothing restore."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import io
import json
import logging
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, Table, event, func, inspect, select, text
from sqlalchemy import types as satypes
from sqlalchemy.exc import SQLAlchemyError

from planner.errors import InputError
from planner.office import clock_anchor
from planner.office.clock import utc_now
from planner.office.logs import mask_personal_text

log = logging.getLogger(__name__)

FORMAT = "xiafang-backup"
FORMAT_VERSION = 1
# Browser sign-ins are not data: a restored backup must not revive them.
_SKIP_TABLES = frozenset({"alembic_version", "browser_sessions"})
_MAX_MANIFEST_BYTES = 1_000_000
KEY_FILE = "backup.key"
_KEY_BYTES = 32
# An audit row is stamped when it is written but seen by the snapshot only once its transaction commits, so rows
# stamped a little before the snapshot may be missing from it; restore looks back this far for rows the backup
# lacks (rows the backup has are recognised and not carried twice).
_CARRY_LOOKBACK = dt.timedelta(minutes=10)


def key_path() -> Path:
    """Where the server keeps the key that signs its backups: ``backup.key`` in the data folder (never in a backup)."""
    from planner.store.database import data_dir

    return data_dir() / KEY_FILE


def backup_key(path: str | os.PathLike[str] | None = None, *, create: bool = True) -> bytes:
    """The server's backup-signing key, created (random, owner-only file) on first use.

    Parameters
    ----------
    path
        Key file (default :func:`key_path`); another server's key file restores that server's backups.
    create
        Create the file when missing (backups); restoring never creates one.

    Raises
    ------
    InputError
        The key file is missing (and ``create`` is false) or unreadable.
    """
    path = Path(path) if path is not None else key_path()
    if not path.exists():
        if not create:
            raise InputError(
                f"找不到备份密钥文件 {str(path)!r}，无法校验备份："
                "请用 --key 指定做备份的服务器数据文件夹中的 backup.key"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(_KEY_BYTES).hex().encode())
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError) as exc:
        raise InputError(f"backup key {str(path)!r}: 备份密钥文件无法读取 ({type(exc).__name__})") from None
    if len(key) < 16:
        raise InputError(f"backup key {str(path)!r}: 备份密钥文件内容太短")
    return key


def _signature(manifest: dict, key: bytes) -> str:
    """HMAC-SHA256 of the manifest (which holds each table file's SHA-256), so it authenticates every byte."""
    body = {k: v for k, v in manifest.items() if k != "hmac"}
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, canonical, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """What a backup holds: schema revisions, row counts per table, creation time."""

    path: Path
    revisions: tuple[str, ...]
    rows: dict[str, int]
    created_at: str
    backend: str
    #: Audit rows written after the backup that a restore kept (0 for a backup).
    carried_over: int = 0

    @property
    def total_rows(self) -> int:
        """Rows in all tables."""
        return sum(self.rows.values())


# --- value encoding ------------------------------------------------------------------------------------------------


def _encode(value: object) -> object:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def _decode(value: object, column_type: satypes.TypeEngine) -> object:
    if value is None:
        return None
    if isinstance(value, dict) and set(value) == {"$b64"} and isinstance(column_type, satypes.LargeBinary):
        return base64.b64decode(value["$b64"])
    if isinstance(column_type, satypes.DateTime) and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if isinstance(column_type, satypes.Date) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(column_type, satypes.Time) and isinstance(value, str):
        return dt.time.fromisoformat(value)
    return value


# --- snapshot transactions ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _transaction(engine: Engine, *, write: bool) -> Iterator[Connection]:
    """One transaction on ``engine``: a single consistent snapshot for reads, all-or-nothing for writes."""
    if engine.dialect.name == "sqlite":
        # pysqlite does not BEGIN before SELECTs, so each statement would see the latest commit. A private
        # engine that issues BEGIN itself gives one WAL snapshot (or, with IMMEDIATE, the write lock up front).
        from planner.store.database import make_engine

        private = make_engine(engine.url.render_as_string(hide_password=False))

        @event.listens_for(private, "connect")
        def _autocommit_driver(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None

        @event.listens_for(private, "begin")
        def _begin(conn) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        try:
            with private.connect() as conn, conn.begin():
                yield conn
        finally:
            private.dispose()
        return
    opts = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**opts) as conn, conn.begin():
        if engine.dialect.name == "postgresql" and not write:
            conn.execute(text("SET TRANSACTION READ ONLY"))
        yield conn


def _revisions(conn: Connection) -> tuple[str, ...]:
    if not inspect(conn).has_table("alembic_version"):
        return ()
    return tuple(sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars()))


def _tables(conn: Connection) -> list[Table]:
    meta = MetaData()
    meta.reflect(conn)
    return [t for t in meta.sorted_tables if t.name not in _SKIP_TABLES]


def _order(table: Table) -> list:
    pk = list(table.primary_key.columns)
    return pk or list(table.columns)


# --- backup ----------------------------------------------------------------------------------------------------------


def backup(engine: Engine, out: str | os.PathLike[str], *, key: bytes | None = None) -> BackupInfo:
    """Write every table of ``engine``'s database to the zip file ``out`` from one consistent snapshot.

    The zip holds ``manifest.json`` (format, schema revisions, row counts, SHA-256 of each table file) and
    ``tables/<name>.jsonl``. It is written to a temporary file and renamed, so ``out`` is either complete or
    untouched, and made readable by its owner only: **a backup contains petitioners' identities**.

    Parameters
    ----------
    engine
        Source database.
    out
        Zip file to create (overwritten).
    key
        Signing key (default: the server's :func:`backup_key`). The manifest carries an HMAC over itself, and
        through the per-table SHA-256 over all content, so :func:`restore` refuses any edited backup.

    Returns
    -------
    BackupInfo
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    key = key if key is not None else backup_key()
    # On the clock the audit rows are stamped with (the office clock may be pinned), so restore can tell which of
    # the rows it replaces were written after this backup, and "备份于" reads on the clock of the 备份数据库 row.
    clock_anchor.share_engine(engine)  # XIAFANG_CLOCK: the database's clock, not this process's own (walk V)
    snapshot_at = utc_now().isoformat()
    created = dt.datetime.fromisoformat(snapshot_at).replace(tzinfo=dt.UTC, microsecond=0).isoformat()
    fd, tmp_name = tempfile.mkstemp(prefix=".xiafang-backup-", suffix=".zip", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o600)
        with (
            _transaction(engine, write=False) as conn,
            zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf,
        ):
            revisions = _revisions(conn)
            rows: dict[str, int] = {}
            digests: dict[str, str] = {}
            columns: dict[str, list[str]] = {}
            for table in _tables(conn):
                names = [c.name for c in table.columns]
                columns[table.name] = names
                digest = hashlib.sha256()
                count = 0
                with zf.open(f"tables/{table.name}.jsonl", "w") as fh:
                    result = conn.execution_options(stream_results=True).execute(select(table).order_by(*_order(table)))
                    for row in result:
                        line = (
                            json.dumps([_encode(v) for v in row], ensure_ascii=False, separators=(",", ":")) + "\n"
                        ).encode()
                        digest.update(line)
                        fh.write(line)
                        count += 1
                rows[table.name] = count
                digests[table.name] = digest.hexdigest()
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": created,
                "snapshot_at": snapshot_at,
                "backend": engine.dialect.name,
                "schema_revisions": list(revisions),
                "tables": {n: {"rows": rows[n], "sha256": digests[n], "columns": columns[n]} for n in rows},
            }
            manifest["hmac"] = _signature(manifest, key)
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    log.info("backup: %d tables, %d rows -> %s", len(rows), sum(rows.values()), out.name)
    return BackupInfo(out, revisions, rows, created, engine.dialect.name)


def backup_download(engine: Engine, actor: object, *, file_name: str = "") -> tuple[str, bytes]:
    """A backup of the whole database for the administrator to download (设置 › 备份), as :func:`backup` writes it
    for ``python -m planner backup``: its file name and bytes. Audited like the command (``备份数据库``).

    The file is built in a private temporary folder and removed once read; the bytes carry petitioners' identities.

    Parameters
    ----------
    engine
        Source database (SQLite or PostgreSQL).
    actor
        The signed-in ``planner.office.security.Actor``: it needs the ``backup`` right (administrators only).
    file_name
        The name the browser saves it under, for the audit row (default: from the snapshot's time).

    Returns
    -------
    tuple of (str, bytes)
        ``file_name`` or ``xiafang-backup-20261207-0800.zip`` (Beijing time of the snapshot), and the zip's bytes.

    Raises
    ------
    PermissionDenied
        If ``actor`` may not back up, or is the demo visitor.
    """
    from planner.errors import PermissionDenied
    from planner.office import audit
    from planner.office.clock import to_local
    from planner.office.security import is_demo, require
    from planner.store.database import session_scope

    if is_demo(actor):
        raise PermissionDenied("演示模式下不能备份数据库：请在“导入”页创建首个管理员账户、结束演示后，由管理员备份")
    require(actor, "backup")
    with tempfile.TemporaryDirectory(prefix=".xiafang-download-") as folder:
        info = backup(engine, Path(folder) / "backup.zip")
        data = info.path.read_bytes()
    taken = to_local(dt.datetime.fromisoformat(info.created_at))
    name = file_name or f"xiafang-backup-{taken:%Y%m%d-%H%M}.zip"
    with session_scope(engine) as session:
        audit.record(session, actor, "backup", detail={"file": name, "rows": info.total_rows, "via": "page"})
    return name, data


# --- restore ---------------------------------------------------------------------------------------------------------


def read_manifest(path: str | os.PathLike[str]) -> dict:
    """The validated manifest of a backup file.

    Raises
    ------
    InputError
        Not a zip, not a Xiafang backup, or an unsupported format version.
    """
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"备份文件 {str(path)!r} 不是可读取的 zip 文件（{exc}）") from None
    with zf:
        try:
            info = zf.getinfo("manifest.json")
        except KeyError:
            raise InputError(f"备份文件 {str(path)!r} 中没有 manifest.json，不是本系统的备份") from None
        if info.file_size > _MAX_MANIFEST_BYTES:
            raise InputError(f"备份文件 {str(path)!r} 的 manifest.json 有 {info.file_size} 字节，"
                             "过大，不是本系统的备份")
        try:
            manifest = json.loads(zf.read(info))
        except (ValueError, UnicodeDecodeError) as exc:
            raise InputError(f"备份文件 {str(path)!r} 的 manifest.json 不是有效的 JSON（{exc}）") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(
            f"备份文件 {str(path)!r} 的格式 "
            f"{manifest.get('format') if isinstance(manifest, dict) else None!r} 不是 {FORMAT!r}，不是本系统的备份"
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise InputError(f"备份文件 {str(path)!r} 的格式版本 {manifest.get('format_version')!r} 不受支持，请先升级程序")
    if not isinstance(manifest.get("tables"), dict):
        raise InputError(f"备份文件 {str(path)!r} 的清单（manifest.json）没有数据表列表，文件已损坏")
    return manifest


def _row_count(conn: Connection, tables: list[Table]) -> int:
    """The rows of data in ``tables``: the office clock's anchors (``XIAFANG_CLOCK``) are bookkeeping, not data —
    the restore command itself writes one before it looks (walk W27: a new database was refused as holding 1 row)."""
    total = 0
    for t in tables:
        stmt = select(func.count()).select_from(t)
        if t.name == "settings" and "key" in t.columns:
            stmt = stmt.where(t.c.key.not_like(clock_anchor.ANCHOR_KEY + "%"))
        total += conn.scalar(stmt) or 0
    return total


def verify(path: str | os.PathLike[str], *, key: bytes | None = None) -> dict:
    """The manifest of a backup whose signature and table checksums are all correct; nothing else is trusted.

    Raises
    ------
    InputError
        Unreadable, unsigned, signed with another key, or any table file not matching its checksum.
    """
    path = Path(path)
    manifest = read_manifest(path)
    key = key if key is not None else backup_key(create=False)
    signature = manifest.get("hmac")
    if not isinstance(signature, str) or not hmac.compare_digest(signature, _signature(manifest, key)):
        raise InputError(
            f"备份文件 {str(path)!r} 未通过真实性校验——不是本服务器生成的备份，或内容被改过；"
            f"若备份来自另一台服务器，请用 --key 指定那台服务器数据目录中的 {KEY_FILE}"
        )
    with zipfile.ZipFile(path) as zf:
        for name, meta in manifest["tables"].items():
            if not isinstance(meta, dict) or not isinstance(meta.get("columns"), list):
                raise InputError(f"备份清单中数据表 {str(name)!r} 的条目格式有误，文件已损坏")
            digest = hashlib.sha256()
            try:
                with zf.open(f"tables/{name}.jsonl") as fh:
                    for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                        digest.update(chunk)
            except KeyError:
                raise InputError(f"备份中缺少数据表 {name!r} 的文件 tables/{name}.jsonl，文件已损坏") from None
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise InputError(f"备份中的数据表 {name!r} 无法读取（{type(exc).__name__}），文件已损坏") from None
            if digest.hexdigest() != meta.get("sha256"):
                raise InputError(f"备份中的数据表 {name!r} 校验值不符，文件已损坏")
    return manifest


def restore(
    engine: Engine,
    path: str | os.PathLike[str],
    *,
    replace: bool = False,
    who: str = "system",
    key: bytes | None = None,
    audit_detail: dict[str, str] | None = None,
) -> BackupInfo:
    """Load a backup into ``engine``'s database in one transaction: either all of it or nothing.

    Nothing is read into the database before the backup is authenticated (:func:`verify`: HMAC with the
    server's key, then every table file's checksum). The schema is then brought up to date; the backup must
    hold **every** table of this schema (a backup lacking one would silently empty it under ``replace``) and
    no table or column the schema does not have. Existing rows are deleted first when ``replace`` is true; a
    database that already holds data is refused otherwise (the office clock's anchors are not data). PostgreSQL
    sequences are moved past the restored ids. Error messages never quote row data. With ``XIAFANG_CLOCK`` the
    restored database runs the backup's office clock (:func:`planner.office.clock_anchor.follow_restored`).

    The audit trail survives the restore: audit rows written after the backup was taken (and not in it) are
    carried over unchanged under new ids, after the backup's own rows, so the log reads backup's log, later
    rows, then the ``restore`` row, which names ``who``, the rows the database held before and the number and
    time span of the rows carried over.

    Parameters
    ----------
    engine
        Target database (SQLite or PostgreSQL; need not be the backend the backup came from).
    path
        A file written by :func:`backup`.
    replace
        Allow replacing existing data.
    who
        Who restores: the user name of the audit row (phone- or ID-like text is masked).
    key
        The key the backup was signed with (default: this server's :func:`backup_key`).
    audit_detail
        Extra facts for the audit row, such as the operating-system account that ran the command.

    Returns
    -------
    BackupInfo

    Raises
    ------
    InputError
        Unreadable, unauthenticated or damaged file, schema mismatch, or a non-empty database without
        ``replace``.
    """
    from planner.store.database import upgrade

    path = Path(path)
    manifest = verify(path, key=key)
    upgrade(engine)
    clock_anchor.share_engine(engine)  # XIAFANG_CLOCK: the restore row on the database's clock (walk V)
    try:
        rows, carried = _restore_verified(
            engine, path, manifest, replace=replace, who=who, extra=dict(audit_detail or {})
        )
    except SQLAlchemyError as exc:  # e.g. a constraint checked at commit: name the class, never the row
        orig = getattr(exc, "orig", None) or exc
        raise InputError(
            f"备份文件 {path.name!r}：数据库拒绝了备份内容（{type(orig).__name__}），数据库保持原样"
        ) from None
    clock_anchor.share_engine(engine, again=True)  # an anchor the backup lacked is stored again
    log.info("restore: %d rows from %s, %d later audit rows kept", sum(rows.values()), path.name, carried)
    return BackupInfo(
        path,
        tuple(manifest.get("schema_revisions") or ()),
        rows,
        str(manifest.get("created_at")),
        str(manifest.get("backend")),
        carried,
    )


def _restore_verified(
    engine: Engine, path: Path, manifest: dict, *, replace: bool, who: str, extra: dict[str, str]
) -> tuple[dict[str, int], int]:
    with _transaction(engine, write=True) as conn:
        if engine.dialect.name == "sqlite":
            # Self-references (plans.parent_id) and cross-table links are checked at commit, not per row.
            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        tables = {t.name: t for t in _tables(conn)}
        target_revisions = set(_revisions(conn))
        unknown_revisions = set(manifest.get("schema_revisions") or ()) - target_revisions
        for name, meta in manifest["tables"].items():
            table = tables.get(name)
            if table is None:
                raise InputError(
                    f"备份中的数据表 {name!r} 不在本数据库的结构中"
                    f"（结构版本 {sorted(unknown_revisions or target_revisions)}），请先升级程序"
                )
            missing = [c for c in meta.get("columns", ()) if c not in table.columns]
            if missing:
                raise InputError(
                    f"备份中的数据表 {name!r} 有本数据库没有的列 {missing!r}，请先升级程序"
                )
        absent = sorted(set(tables) - set(manifest["tables"]))
        if absent:
            raise InputError(
                f"备份文件 {path.name!r} 缺少数据表 {absent!r}，恢复会清空它们，已拒绝"
            )
        existing = _row_count(conn, list(tables.values()))
        if existing and not replace:
            raise InputError(
                f"数据库中已有 {existing} 行数据，未恢复；如需覆盖请使用 --replace（请先另做一次备份）"
            )
        audit = tables.get("audit_log")
        cutoff = _taken_at(manifest) - _CARRY_LOOKBACK
        later = _audit_since(conn, audit, cutoff) if audit is not None and existing else []
        for table in reversed(list(tables.values())):
            conn.execute(table.delete())
        rows: dict[str, int] = {}
        carried: list[dict] = []
        with zipfile.ZipFile(path) as zf:
            for table in tables.values():
                rows[table.name] = _load_table(conn, zf, table, manifest["tables"][table.name])
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn, list(tables.values()))
        clock_anchor.follow_restored(conn)  # the backup's office clock, which its rows were stamped on
        if audit is not None:
            carried = _carry_over(conn, audit, later, cutoff)
            detail = {**{str(k): mask_personal_text(str(v)) for k, v in extra.items()},
                      "file": path.name, "rows": sum(rows.values()), "rows_before": existing,
                      "backup_created_at": manifest.get("created_at"), "carried_over": len(carried)}
            if carried:
                detail |= {"carried_from": carried[0]["at"].isoformat(), "carried_to": carried[-1]["at"].isoformat()}
            conn.execute(
                audit.insert(),
                {"at": utc_now(), "username": mask_personal_text(who)[:100], "action": "restore",
                 "case_nos": [], "reason": "", "detail": detail},
            )  # fmt: skip
    return rows, len(carried)


def _taken_at(manifest: dict) -> dt.datetime:
    """When the backup's snapshot was taken, as the audit log stamps rows (naive UTC on the office clock).

    Backups made before ``snapshot_at`` was recorded give their ``created_at`` (then on the real clock).
    """
    for key in ("snapshot_at", "created_at"):
        try:
            taken = dt.datetime.fromisoformat(str(manifest.get(key)))
        except ValueError:
            continue
        return taken.astimezone(dt.UTC).replace(tzinfo=None) if taken.tzinfo is not None else taken
    # A signed manifest without either time: nothing in the database can be shown to be later than it.
    return dt.datetime.max - _CARRY_LOOKBACK


def _audit_since(conn: Connection, audit: Table, since: dt.datetime) -> list[dict]:
    """The audit rows stamped at or after ``since``, oldest first, without their ids (they get new ones)."""
    stmt = select(audit).where(audit.c.at >= since).order_by(audit.c.at, audit.c.id)
    return [{k: v for k, v in row._mapping.items() if k != "id"} for row in conn.execute(stmt)]


def _carry_over(conn: Connection, audit: Table, later: list[dict], since: dt.datetime) -> list[dict]:
    """Insert the rows of ``later`` that the restored log does not already hold; return those inserted.

    A row is the same row when its time (to the microsecond), user and action match: ids cannot tell, as the
    backup's ids and the replaced database's ids need not be the same rows (an earlier restore renumbered).
    """
    if not later:
        return []
    stmt = select(audit.c.at, audit.c.username, audit.c.action).where(audit.c.at >= since)
    held = {tuple(r) for r in conn.execute(stmt)}
    carried = [r for r in later if (r["at"], r["username"], r["action"]) not in held]
    if carried:
        conn.execute(audit.insert(), carried)
    return carried


def _refused(table: Table, lineno: int, exc: BaseException) -> InputError:
    """An error naming the table, line and the database's error class, never the values (they hold identities)."""
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or ""
    return InputError(
        f"备份中的数据表 {table.name!r} 第 {lineno} 行附近：数据库拒绝写入这些行（{type(orig).__name__}"
        + (f" {code}" if code else "")
        + "）；备份内容与本数据库的结构不符"
    )


def _load_table(conn: Connection, zf: zipfile.ZipFile, table: Table, meta: dict) -> int:
    names = list(meta["columns"])
    col_types = [table.columns[n].type for n in names]
    digest = hashlib.sha256()
    batch: list[dict] = []
    count = 0
    lineno = 0

    def flush() -> None:
        try:
            conn.execute(table.insert(), batch)
        except SQLAlchemyError as exc:
            raise _refused(table, lineno, exc) from None

    with zf.open(f"tables/{table.name}.jsonl") as fh:
        for lineno, line in enumerate(io.BufferedReader(fh), start=1):
            digest.update(line)
            try:
                values = json.loads(line)
            except ValueError:
                raise InputError(f"备份中的数据表 {table.name!r} 第 {lineno} 行不是 JSON，文件已损坏") from None
            if not isinstance(values, list) or len(values) != len(names):
                raise InputError(f"备份中的数据表 {table.name!r} 第 {lineno} 行应有 {len(names)} 个值，文件已损坏")
            try:
                batch.append({n: _decode(v, t) for n, v, t in zip(names, values, col_types, strict=True)})
            except (ValueError, TypeError, OverflowError) as exc:
                raise InputError(
                    f"备份中的数据表 {table.name!r} 第 {lineno} 行有值类型不符（{type(exc).__name__}）"
                ) from None
            count += 1
            if len(batch) >= 1000:
                flush()
                batch = []
        if batch:
            flush()
    if digest.hexdigest() != meta.get("sha256") or count != meta.get("rows"):
        raise InputError(f"备份中的数据表 {table.name!r} 校验值或行数不符，文件已损坏")
    return count


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    for table in tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, satypes.Integer):
                continue
            seq = conn.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name})
            if seq:
                conn.execute(
                    text(
                        f'SELECT setval(:s, COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false)'
                    ),
                    {"s": seq},
                )
