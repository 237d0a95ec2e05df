"""Storage: a SQLite file by default, PostgreSQL through ``DATABASE_URL``; schema managed by Alembic."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
REPO_ROOT = Path(__file__).resolve().parents[2]


#: Modes of what the app creates for the database: it holds petitioners' names, phones and ID numbers, so only the
#: account running the app may read it (not every local user, as the umask's usual 0644/0755 would allow).
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_SQLITE_SIBLINGS = ("-wal", "-shm", "-journal")


def data_dir() -> Path:
    """The folder for the default database, backups and uploads (``XIAFANG_DATA_DIR``, default ``./data``).

    A folder created here is made 0700; an existing folder keeps its mode (the user chose it).
    """
    path = Path(os.environ.get("XIAFANG_DATA_DIR") or REPO_ROOT / "data")
    if not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:  # created meanwhile by another process: keep what it made
            pass
        else:
            _chmod(path, PRIVATE_DIR_MODE)  # mkdir's mode is filtered by the umask
    return path


def _chmod(path: Path, mode: int) -> None:
    if os.name != "posix":  # Windows has no such modes; the file inherits the folder's ACL
        return
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, mode)


def _sqlite_file(engine: Engine) -> Path | None:
    """The database file of a SQLite engine (None for in-memory databases and ``file:`` URIs)."""
    name = engine.url.database or ""
    if not name or name == ":memory:" or name.startswith("file:") or engine.url.query.get("mode") == "memory":
        return None
    return Path(name).expanduser().absolute()


def _private_sqlite_file(engine: Engine) -> None:
    """Have the SQLite file created 0600 (SQLite itself would make it 0644 under the usual umask).

    Just before the first connection (SQLAlchemy's ``do_connect``, so a file still appears only when the database is
    first used) the file is created empty with mode 0600 — SQLite takes a 0-byte file for an empty database — and
    SQLite then gives its -wal/-shm/-journal files the same mode. After each connection (the pragmas have made the
    WAL files by then) any sibling still readable by others, e.g. left by an older version, is tightened.

    Choice: a database file that already exists in the app's data folder (:func:`data_dir`) is tightened to 0600 —
    older versions created it 0644 there. A file that already exists anywhere else was placed there by the user
    (``DATABASE_URL``, ``--db``) and keeps its mode, as do its siblings; only a file created here is made 0600.
    """
    path = _sqlite_file(engine)
    if path is None or os.name != "posix":
        return
    owned: list[bool] = []  # decided once, at the first connection

    def before_connect(_dialect, _record, _cargs, _cparams) -> None:
        if owned or not path.parent.is_dir():
            return
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
        except FileExistsError:
            owned.append(path.parent.resolve() == _app_data_dir().resolve())
        else:
            os.close(fd)
            owned.append(True)

    def after_connect(_conn, _record) -> None:
        if owned and owned[0]:
            _tighten_sqlite_files(path)

    event.listen(engine, "do_connect", before_connect)
    event.listen(engine, "connect", after_connect)  # after _sqlite_pragmas (registered first)


def _app_data_dir() -> Path:
    """:func:`data_dir`'s path without creating it."""
    return Path(os.environ.get("XIAFANG_DATA_DIR") or REPO_ROOT / "data").expanduser().absolute()


def _tighten_sqlite_files(path: Path) -> None:
    for p in (path, *(path.with_name(path.name + suffix) for suffix in _SQLITE_SIBLINGS)):
        if p.exists() and p.stat().st_mode & 0o077:
            _chmod(p, PRIVATE_FILE_MODE)


def database_url() -> str:
    """The database URL: ``DATABASE_URL`` if set, else a SQLite file in :func:`data_dir`.

    ``postgresql://`` URLs are given the psycopg 3 driver.
    """
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{data_dir() / 'xiafang.db'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    # WAL lets the app read while an import writes; busy_timeout makes concurrent writers wait, not fail.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """Create an engine for ``url`` (default :func:`database_url`) with the project's connection settings."""
    url = url or database_url()
    engine = create_engine(url, future=True, pool_pre_ping=True, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        _private_sqlite_file(engine)
    return engine


def alembic_config(engine: Engine):
    """An Alembic config pointing at the project's migrations and ``engine``'s URL."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the schema of ``engine``'s database up to ``revision`` (all heads by default)."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Take the schema of ``engine``'s database down to ``revision``."""
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


#: What a driver's connection error says -> the words an office reads (the driver's own text is English).
_CONNECT_REASONS = (
    ("connection refused", "连接被拒绝，数据库服务可能没有运行或端口不对"),
    ("does not exist", "数据库或用户不存在"),
    ("password authentication failed", "用户名或密码不对"),
    ("no password supplied", "需要密码"),
    ("timeout", "连接超时"),
    ("timed out", "连接超时"),
    ("could not translate host name", "找不到该主机名"),
    ("name or service not known", "找不到该主机名"),
    ("unable to open database file", "无法打开数据库文件（文件夹不存在或没有权限）"),
)


def unreachable_text(url: str, err: BaseException) -> str:
    """One Chinese line saying which database could not be reached and why, never the password."""
    from sqlalchemy.engine import make_url

    try:
        u = make_url(url)
        where = f"{u.host or 'localhost'}:{u.port or 5432}/{u.database or ''}" if u.host or u.port else str(u.database)
    except Exception:  # the URL itself is what is wrong
        return "数据库地址 DATABASE_URL 无法解析：请按 postgresql://用户@主机:端口/数据库 的格式填写"
    text = str(getattr(err, "orig", None) or err).lower()
    if isinstance(err, ImportError) or "no module named" in text or "can't load plugin" in text:
        return f"数据库地址 DATABASE_URL 指定的驱动不可用（{u.drivername}）：请写 postgresql://用户@主机:端口/数据库"
    reason = next((zh for en, zh in _CONNECT_REASONS if en in text), "连接失败")
    return f"无法连接数据库 {where}：{reason}。请检查 DATABASE_URL 与数据库服务"


@functools.cache
def _default_engine(url: str) -> Engine:
    from sqlalchemy import exc

    from planner.errors import InputError

    try:
        engine = make_engine(url)  # parses the URL and loads the driver
    except (exc.ArgumentError, exc.NoSuchModuleError, ValueError, ImportError) as err:
        raise InputError(unreachable_text(url, err)) from None
    try:
        upgrade(engine)  # the first connection
    except (exc.OperationalError, exc.InterfaceError) as err:
        raise InputError(unreachable_text(url, err)) from None
    return engine


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default :func:`database_url`), migrated on first use.

    An engine is a thread-safe connection pool, so one per URL is shared by all users of the app.
    """
    return _default_engine(url or database_url())


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine`` (objects stay usable after commit)."""
    return sessionmaker(engine, expire_on_commit=False, future=True)


@contextlib.contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A transaction: commits on success, rolls back on any exception (all-or-nothing)."""
    session = session_factory(engine or get_engine())()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def has_schema(engine: Engine) -> bool:
    """True when the database already has the cases table."""
    return inspect(engine).has_table("cases")
