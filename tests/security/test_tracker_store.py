"""The conversation store: private file, retention, `make forget`, no values in SQL errors."""

from __future__ import annotations

import asyncio
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server import forget as forget_cli
from server.tracker_store import PrivateTrackerStore, purge, retention_days

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOMAIN = Domain.empty()


def conversation(sender, text="my ALT is 137", age_days=0.0):
    stamp = time.time() - age_days * 86400
    return DialogueStateTracker.from_events(
        sender, [ActionExecuted("action_listen", timestamp=stamp), UserUttered(text, timestamp=stamp)]
    )


def store_in(folder, monkeypatch, days="30"):
    monkeypatch.setenv("RETENTION_DAYS", days)
    return PrivateTrackerStore(DOMAIN, db=str(folder / "tracker.db"))


def senders(store):
    return sorted(asyncio.run(store.keys()))


def test_the_store_is_a_0600_file_in_a_0700_folder(tmp_path, monkeypatch):
    folder = tmp_path / "private" / "state"
    store = store_in(folder, monkeypatch)
    asyncio.run(store.save(conversation("rest:me")))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "tracker.db").stat().st_mode) == 0o600


def test_a_folder_other_users_can_open_is_refused(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    with pytest.raises(PermissionError, match="chmod 700"):
        store_in(shared, monkeypatch)


def test_an_existing_world_readable_store_is_made_private(tmp_path, monkeypatch):
    folder = tmp_path / "state"
    folder.mkdir(mode=0o700)
    (folder / "tracker.db").touch(mode=0o644)
    store_in(folder, monkeypatch)
    assert stat.S_IMODE((folder / "tracker.db").stat().st_mode) == 0o600


def test_retention_deletes_conversations_older_than_retention_days_at_start(tmp_path, monkeypatch):
    store = store_in(tmp_path / "state", monkeypatch)
    for sender, age in [("rest:old", 31), ("rest:recent", 29), ("twilio:+447700900123", 45)]:
        asyncio.run(store.save(conversation(sender, age_days=age)))
    assert senders(store) == ["rest:old", "rest:recent", "twilio:+447700900123"]
    restarted = store_in(tmp_path / "state", monkeypatch)  # purges at start
    assert senders(restarted) == ["rest:recent"]
    assert purge(restarted.engine, days=1, now=time.time() + 30 * 86400) == 1
    assert senders(restarted) == []


def test_a_conversation_is_kept_while_it_goes_on(tmp_path, monkeypatch):
    store = store_in(tmp_path / "state", monkeypatch, days="10")
    tracker = conversation("rest:ongoing", age_days=40)
    tracker.update(UserUttered("still here", timestamp=time.time() - 86400))
    asyncio.run(store.save(tracker))
    assert purge(store.engine, days=10) == 0


@pytest.mark.parametrize("value", ["0", "-3", "soon"])
def test_retention_days_must_be_a_positive_number(value):
    with pytest.raises(ValueError, match="RETENTION_DAYS"):
        retention_days({"RETENTION_DAYS": value})
    assert retention_days({}) == 30


def test_make_forget_erases_one_conversation(tmp_path, monkeypatch, capsys):
    store = store_in(tmp_path / "state", monkeypatch)
    for sender in ["rest:me", "rest:someone-else"]:
        asyncio.run(store.save(conversation(sender)))
    db = str(tmp_path / "state" / "tracker.db")
    assert forget_cli.main(["rest:me", "--db", db]) == 0
    assert senders(store) == ["rest:someone-else"]
    assert forget_cli.main(["rest:me", "--db", db]) == 1
    assert forget_cli.main(["someone-else", "--db", db]) == 1
    assert "prefix" in capsys.readouterr().err
    content = Path(db).read_bytes()  # secure_delete: the erased rows are overwritten
    assert b"rest:me" not in content.replace(b"rest:someone-else", b"")


def test_make_forget_runs_from_the_makefile(tmp_path, monkeypatch):
    store = store_in(tmp_path / "state", monkeypatch)
    asyncio.run(store.save(conversation("socketio:0123456789abcdef0123456789abcdef")))
    result = subprocess.run(
        ["make", "--no-print-directory", "forget", "SENDER=socketio:0123456789abcdef0123456789abcdef"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "TRACKER_DB": str(tmp_path / "state" / "tracker.db")},
    )
    assert result.returncode == 0, result.stderr
    assert senders(store) == []


def test_a_database_error_reaches_the_caller_without_values_and_does_not_exit(tmp_path, monkeypatch):
    store = store_in(tmp_path / "state", monkeypatch)
    with pytest.raises(Exception) as raised:  # SQLite refuses a lone surrogate; Rasa's exits
        asyncio.run(store.save(conversation("rest:\ud800", text="my ALT is 137")))
    assert not isinstance(raised.value, SystemExit)
    with store.engine.connect() as connection, pytest.raises(sa.exc.SQLAlchemyError) as error:
        connection.execute(sa.text("INSERT INTO no_such_table VALUES (:value)"), {"value": "my ALT is 137"})
    assert "137" not in str(error.value) and "hidden" in str(error.value)


def test_forget_needs_an_existing_store(tmp_path):
    assert forget_cli.main(["rest:me", "--db", str(tmp_path / "none.db")]) == 2


def test_python_runs_forget_as_a_module(tmp_path, monkeypatch):
    store_in(tmp_path / "state", monkeypatch)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "server.forget",
            "rest:nobody",
            "--db",
            str(tmp_path / "state" / "tracker.db"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "no conversation 'rest:nobody'" in result.stderr
