"""Keep message texts, lab values and phone numbers out of every log line above DEBUG.

``install()`` puts a log-record factory in front of every logger in the process (Rasa's,
rasa-sdk's, Sanic's, SQLAlchemy's, structlog's through the standard library, and Python
warnings, which it routes into logging). Each record above DEBUG is rewritten once, before any
handler sees it:

- the texts and sender ids of the conversation turn being handled (``sensitive(...)``, set by
  the channel guard for the duration of a turn) become ``[text]``, also JSON- or repr-escaped;
- every digit outside a URL, an IP address or a source file's path becomes ``#`` (lab values,
  phone numbers, dates);
- the secrets of the channels (``SECRET_VARIABLES``) become ``[secret]`` (a bot token is part
  of the Telegram API's URLs);
- tracebacks keep their ``File "...", line N`` lines and lose the rest in the same way;
- a line longer than ``MAX_LINE_CHARS`` is cut (an error can quote a whole HTTP body, such as a
  conversation sent to the action server).

DEBUG records are left as they are: debug logging is for a developer's own machine. Records
of this project's own loggers (``server``, ``channels``), whose messages are written to carry
no patient data, keep their digits.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import re
import traceback
from collections.abc import Iterator
from re import Pattern
from typing import Any

_SENSITIVE: contextvars.ContextVar[Pattern[str] | None] = contextvars.ContextVar(
    "redaction_sensitive", default=None
)
MAX_LINE_CHARS = 500
MIN_SENSITIVE_CHARS = 3  # shorter texts ("ok", "2") are not worth hiding inside other words
_KEEP = re.compile(
    r"[a-z][a-z0-9+.-]*://\S+|\b\d{1,3}(?:\.\d{1,3}){3}\b|(?:/[\w.@+-]+)+\.py\b", re.IGNORECASE
)
_DIGITS = re.compile(r"\d+")
_SURROGATES = re.compile("[\ud800-\udfff]")
_FRAME = re.compile(r'\s*File ".*", line \d+')
SECRET_VARIABLES = (
    "REST_TOKEN",
    "SESSION_SECRET",
    "TELEGRAM_TOKEN",
    "TELEGRAM_SECRET_TOKEN",
    "TWILIO_AUTH_TOKEN",
)
OWN_LOGGERS = ("server", "channels")
_secrets: tuple[str, ...] = ()
_installed = False


@contextlib.contextmanager
def sensitive(*values: Any) -> Iterator[None]:
    """Within this block (and the tasks it awaits), log records hide ``values`` (whole words)."""
    forms = {
        form
        for value in values
        if value and len(str(value)) >= MIN_SENSITIVE_CHARS
        for form in _escaped_forms(str(value))
    }
    outer = _SENSITIVE.get()
    alternatives = [re.escape(form) for form in sorted(forms, key=len, reverse=True)]
    if outer is not None:
        alternatives.append(outer.pattern)
    token = _SENSITIVE.set(
        re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)") if alternatives else None
    )
    try:
        yield
    finally:
        _SENSITIVE.reset(token)


def _escaped_forms(value: str) -> Iterator[str]:
    yield value
    yield json.dumps(value)[1:-1]
    yield json.dumps(value, ensure_ascii=False)[1:-1]
    yield repr(value)[1:-1]


def redact(text: str, digits: bool = True) -> str:
    """``text`` without secrets, the turn's sensitive values and (``digits``) digits outside URLs,
    each line cut at MAX_LINE_CHARS."""
    text = "\n".join(
        line if len(line) <= MAX_LINE_CHARS else line[:MAX_LINE_CHARS] + " [cut]" for line in text.split("\n")
    )
    for secret in _secrets:
        text = text.replace(secret, "[secret]")
    pattern = _SENSITIVE.get()
    if pattern is not None:
        text = pattern.sub("[text]", text)
    text = _SURROGATES.sub("\ufffd", text)
    if not digits:
        return text
    kept = _KEEP.split(text)
    urls = _KEEP.findall(text)
    parts = [_DIGITS.sub("#", kept[0])]
    for url, rest in zip(urls, kept[1:], strict=True):
        parts += [url, _DIGITS.sub("#", rest)]
    return "".join(parts)


def redact_traceback(text: str) -> str:
    """A traceback with its frame lines kept and everything else (values, messages) redacted."""
    return "\n".join(line if _FRAME.match(line) else redact(line) for line in text.split("\n"))


def redact_record(record: logging.LogRecord) -> None:
    """Rewrite ``record`` in place: message, exception and stack text redacted, no raw args."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed log call: keep its format string only
        message = str(record.msg)
    own = record.name.split(".")[0] in OWN_LOGGERS
    record.msg, record.args = redact(message, digits=not own), ()
    if record.exc_info:
        record.exc_text = redact_traceback("".join(traceback.format_exception(*record.exc_info)).rstrip())
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = redact_traceback(record.exc_text)
    if record.stack_info:
        record.stack_info = redact_traceback(record.stack_info)


def install() -> None:
    """Redact every log record above DEBUG created from now on in this process (idempotent)."""
    global _installed, _secrets
    _secrets = tuple(
        value for value in (os.environ.get(name, "").strip() for name in SECRET_VARIABLES) if len(value) >= 8
    )
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def redacting_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if record.levelno > logging.DEBUG:
            redact_record(record)
        return record

    logging.setLogRecordFactory(redacting_record)
    logging.captureWarnings(True)  # Rasa reports some problems (with the text) as warnings
    _installed = True
