"""Logging that can never carry a petitioner's phone or ID number: a masking filter on every handler."""

from __future__ import annotations

import logging
import re

from planner.errors import XiafangError
from planner.office.privacy import IDENTITY_PATTERNS, half_width

# Mobile (with optional separators), landline with area code, 18- and 15-digit ID numbers: the patterns that mask
# identities in free text everywhere else (``planner.office.privacy``), with the log's own placeholders.
_PLACEHOLDERS = {"id": "[身份证号已隐藏]", "phone": "[电话已隐藏]"}
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((p, _PLACEHOLDERS[kind]) for kind, p in IDENTITY_PATTERNS)


def mask_personal_text(text: str) -> str:
    """Replace anything that looks like a phone or ID number in ``text`` by a placeholder.

    Names cannot be recognised by pattern; code must never log them (use ``planner.office.privacy``).
    """
    if not text:
        return text
    if not text.isascii():
        text = half_width(text)  # a number typed full-width is the same number
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


def looks_personal(text: str) -> bool:
    """True when ``text`` contains something that looks like a phone or ID number."""
    text = half_width(text or "")
    return any(p.search(text) for p, _ in _PATTERNS)


def _user_error(exc: BaseException | None) -> XiafangError | None:
    """``exc`` itself when it is a :class:`~planner.errors.XiafangError`, or the first one it was raised from
    (``raise … from``; not one merely being handled when a bug struck: that keeps its traceback)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, XiafangError):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__
    return None


class MaskingFilter(logging.Filter):
    """Rewrites each record's message (and exception text) with :func:`mask_personal_text`."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        record.msg = mask_personal_text(message)
        record.args = None
        if record.exc_info and (exc := _user_error(record.exc_info[1])) is not None:
            # A refusal or a user's mistake (a download refused once the account was stopped, raised through
            # Streamlit's deferred download, which wraps it in its own error): one line says what, no traceback
            # (walk E: 30 lines per click; walk W4: still a traceback, the refusal being the wrapped error's cause).
            record.msg = f"{record.msg}：{type(exc).__name__}: {mask_personal_text(str(exc))}"
            record.exc_info = None
            record.exc_text = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_text(record.stack_info)
        return True


def install(logger: logging.Logger | None = None) -> None:
    """Attach :class:`MaskingFilter` to every handler of ``logger`` (root by default), once each.

    Filters on handlers (not loggers) also catch records propagated from child loggers. Call after
    ``logging.basicConfig``; handlers added later need another call.
    """
    logger = logger or logging.getLogger()
    for handler in logger.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())


def install_tree(name: str) -> None:
    """:func:`install` on the logger ``name`` and on every logger below it that exists now.

    Streamlit gives each of its modules' loggers a handler of its own and does not propagate, so a filter on
    ``streamlit``'s handler alone never sees, for example, the deferred download's error (walk W4: a refused download
    was still a traceback in the server log).
    """
    install(logging.getLogger(name))
    for other in list(logging.Logger.manager.loggerDict):
        if other.startswith(name + "."):
            logger = logging.getLogger(other)
            if isinstance(logger, logging.Logger):
                install(logger)
