"""Calls from Rasa to the action server: a short timeout, and failures a turn can notice.

Rasa 3.6 waits up to 300 s for the action server (``DEFAULT_REQUEST_TIMEOUT``, read by
``RemoteAction.run`` at each call) and, when a call fails, logs it and carries on as if the
action had said nothing, so the patient gets no answer. ``install()`` sets the timeout to
``ACTION_TIMEOUT_SECONDS`` (default and maximum 10) and wraps ``RemoteAction.run`` so that a
failed call is recorded on the turn being watched (``watch()``); the channel guard then tells
the patient that something went wrong. Both hooks are checked against the Rasa version they
were written for: on another version ``install()`` refuses to start instead of silently
leaving the 300 s timeout in place.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MAX_TIMEOUT_SECONDS = 10.0
SUPPORTED_RASA = "3.6."


@dataclass
class ActionCalls:
    """What happened to the action calls of one turn."""

    failed: bool = False


_CURRENT: contextvars.ContextVar[ActionCalls | None] = contextvars.ContextVar("action_calls", default=None)


@contextlib.contextmanager
def watch() -> Iterator[ActionCalls]:
    """Record whether an action call fails within this block (and the tasks it awaits)."""
    calls = ActionCalls()
    token = _CURRENT.set(calls)
    try:
        yield calls
    finally:
        _CURRENT.reset(token)


def timeout_seconds(env: dict | None = None) -> float:
    """ACTION_TIMEOUT_SECONDS, a number of seconds above 0 and at most 10 (default 10)."""
    raw = (env if env is not None else os.environ).get("ACTION_TIMEOUT_SECONDS", "").strip()
    try:
        value = float(raw) if raw else MAX_TIMEOUT_SECONDS
    except ValueError:
        raise ValueError(f"ACTION_TIMEOUT_SECONDS must be a number of seconds, not {raw!r}") from None
    if not 0 < value <= MAX_TIMEOUT_SECONDS:
        raise ValueError(
            f"ACTION_TIMEOUT_SECONDS must be above 0 and at most {MAX_TIMEOUT_SECONDS:g}, not {raw}"
        )
    return value


def install() -> None:
    """Shorten the action-call timeout and record failed calls (idempotent)."""
    import rasa
    import rasa.core.actions.action as rasa_action
    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction

    version = getattr(rasa, "__version__", "")
    if not version.startswith(SUPPORTED_RASA) or not isinstance(
        getattr(rasa_action, "DEFAULT_REQUEST_TIMEOUT", None), (int, float)
    ):
        raise RuntimeError(
            f"server/action_calls.py was written for Rasa {SUPPORTED_RASA}x, where "
            f"rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT sets the action-call timeout; "
            f"this is Rasa {version}: check how it times out action calls and update this file."
        )
    rasa_action.DEFAULT_REQUEST_TIMEOUT = timeout_seconds()
    if getattr(RemoteAction.run, "records_failures", False):
        return
    original_run = RemoteAction.run

    @functools.wraps(original_run)
    async def run(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
        try:
            return await original_run(self, *args, **kwargs)
        except ActionExecutionRejection:  # a form rejecting an answer: not a failure
            raise
        except Exception:
            calls = _CURRENT.get()
            if calls is not None:
                calls.failed = True
            raise

    run.records_failures = True  # type: ignore[attr-defined]
    RemoteAction.run = run  # type: ignore[method-assign]
