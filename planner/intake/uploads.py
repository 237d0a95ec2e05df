"""Checks on uploaded files before anything parses them: size, type by content, safe names, no path traversal."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from planner.errors import InputError

MAX_REGISTER_BYTES = 50 * 1024 * 1024
REGISTER_TYPES: tuple[str, ...] = (".xlsx", ".xls", ".csv")
# A real register expands ~5-20x when unzipped; far more means a zip bomb.
MAX_EXPANSION = 100
MAX_ZIP_MEMBERS = 10_000
MAX_NAME_CHARS = 200

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
_BAD_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
)


@dataclass(frozen=True, slots=True)
class UploadInfo:
    """An upload that passed :func:`check_upload`."""

    safe_name: str
    suffix: str
    size_bytes: int
    sha256: str
    encoding: str = ""  # for text files: the encoding that decoded it


def safe_filename(name: str) -> str:
    """A file name with any directory part, control characters and reserved names removed.

    Raises
    ------
    InputError
        When nothing usable is left (empty, ``..``, only forbidden characters).
    """
    raw = unicodedata.normalize("NFC", str(name or ""))
    # Browsers may send "C:\\Users\\x\\a.xlsx" or "../../a.xlsx": keep the last part under both conventions.
    base = PureWindowsPath(PurePosixPath(raw).name).name
    base = _BAD_NAME_CHARS.sub("_", base).strip().strip(".")
    if not base or base in {".", ".."} or set(base) <= {"_", " "}:
        raise InputError(f"文件名 {name!r} 不可用")
    stem, dot, ext = base.rpartition(".")
    if (stem if dot else base).lower() in _WINDOWS_RESERVED:
        base = "_" + base
    if len(base) > MAX_NAME_CHARS:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: MAX_NAME_CHARS - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else base[:MAX_NAME_CHARS]
    return base


def safe_path(base_dir: str | os.PathLike[str], name: str) -> Path:
    """A path for ``name`` that is guaranteed to lie inside ``base_dir`` (which is created).

    Raises
    ------
    InputError
        When the name would escape ``base_dir`` (after :func:`safe_filename`, only symlinks could).
    """
    base = Path(base_dir).resolve()
    base.mkdir(parents=True, exist_ok=True)
    target = (base / safe_filename(name)).resolve()
    if target.parent != base:
        raise InputError(f"文件名 {name!r} 会写到 {str(base)!r} 之外，已拒绝")
    return target


def _check_zip(data: bytes, name: str, max_bytes: int, *, need: tuple[str, ...] = ()) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(f"文件 {name!r} 已损坏，不是有效的 Excel 文件") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise InputError(f"文件 {name!r} 内含 {len(infos)} 个部件，超过 {MAX_ZIP_MEMBERS}")
        total = sum(i.file_size for i in infos)
        # Against the file's own size (not the size limit): a 2.9 MB file that unzips to 1 GB is a bomb.
        if total > max(len(data) * MAX_EXPANSION, 2**20):
            raise InputError(f"文件 {name!r} 解压后 {total} 字节，疑似压缩炸弹，已拒收")
        members = {i.filename for i in infos}
        for member in members:
            parts = PurePosixPath(member.replace("\\", "/")).parts
            if member.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", member):
                raise InputError(f"文件 {name!r} 含不安全路径 {member!r}")
        for needed in need:
            if needed not in members:
                raise InputError(f"文件 {name!r} 不是有效的 Excel 工作簿")


def check_upload(
    name: str,
    data: bytes,
    *,
    max_bytes: int = MAX_REGISTER_BYTES,
    allowed: tuple[str, ...] = REGISTER_TYPES,
) -> UploadInfo:
    """Check an uploaded file before parsing it.

    The type is checked by extension **and** content: ``.xlsx``/``.docx``/``.zip`` must be sound zip files
    (no zip bomb, no ``..`` members; workbooks must have their workbook part), ``.xls`` must be OLE2,
    ``.csv``/``.txt`` must decode as UTF-8 or GB18030 without NUL bytes, ``.json`` must parse.

    Parameters
    ----------
    name
        File name as sent by the browser (any directory part is dropped).
    data
        The file's bytes.
    max_bytes
        Size limit.
    allowed
        Accepted extensions, lower case with the dot.

    Returns
    -------
    UploadInfo

    Raises
    ------
    InputError
        Naming the file and what is wrong (empty, too large, wrong type, damaged, unsafe).
    """
    safe = safe_filename(name)
    suffix = Path(safe).suffix.lower()
    if suffix not in allowed:
        raise InputError(
            f"文件 {safe!r} 的类型 {suffix or '（无扩展名）'!r} 不受理，只接受 {'、'.join(allowed)}"
        )
    if not isinstance(data, bytes | bytearray | memoryview):
        raise InputError(f"文件 {safe!r} 的内容应为字节，收到 {type(data).__name__!r}")
    data = bytes(data)
    if not data:
        raise InputError(f"文件 {safe!r} 是空文件")
    if len(data) > max_bytes:
        raise InputError(f"文件 {safe!r} 大小 {len(data):,} 字节，超过上限 {max_bytes:,} 字节")
    encoding = ""
    if suffix in (".xlsx", ".xlsm"):
        if not data.startswith(_ZIP):
            hint = "（这是旧版 .xls 文件，请改扩展名或另存为 .xlsx）" if data.startswith(_OLE2) else ""
            raise InputError(f"文件 {safe!r} 不是有效的 Excel (.xlsx) 工作簿{hint}")
        _check_zip(data, safe, max_bytes, need=("[Content_Types].xml", "xl/workbook.xml"))
    elif suffix in (".docx",):
        if not data.startswith(_ZIP):
            raise InputError(f"文件 {safe!r} 不是 .docx 文档")
        _check_zip(data, safe, max_bytes, need=("[Content_Types].xml", "word/document.xml"))
    elif suffix == ".zip":
        if not data.startswith(_ZIP):
            raise InputError(f"文件 {safe!r} 不是 zip 文件")
        _check_zip(data, safe, max_bytes)
    elif suffix == ".xls":
        if not data.startswith(_OLE2):
            hint = "（内容是 .xlsx，请改扩展名）" if data.startswith(_ZIP) else ""
            raise InputError(f"文件 {safe!r} 不是有效的 Excel 97-2003 (.xls) 工作簿{hint}")
    elif suffix in (".csv", ".txt", ".json", ".geojson"):
        if b"\x00" in data:
            raise InputError(f"文件 {safe!r} 是二进制内容，不是文本")
        for enc in _TEXT_ENCODINGS:
            try:
                text = data.decode(enc)
                encoding = enc
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError(f"文件 {safe!r} 的编码既不是 UTF-8 也不是 GBK/GB18030")
        if suffix in (".json", ".geojson"):
            try:
                json.loads(text)
            except ValueError as exc:
                raise InputError(f"文件 {safe!r} 不是有效的 JSON（{exc}）") from None
    return UploadInfo(safe, suffix, len(data), hashlib.sha256(data).hexdigest(), encoding)
