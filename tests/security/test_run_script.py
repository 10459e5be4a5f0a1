"""`make run` (scripts/run): servers on 127.0.0.1, a dead server restarted, a clear answer
when the action server does not answer, and Ctrl-C stopping everything."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from channels.guard import SOMETHING_WENT_WRONG
from harness.processes import pid_listening_on, stop_group
from tests.integration.rest import send, texts
from tests.servers import REPO, free_port

pytestmark = pytest.mark.servers


def listening() -> dict[int, set[str]]:
    """Listening TCP ports of this machine and the addresses they are bound to."""
    ports: dict[int, set[str]] = {}
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] != "0A":  # LISTEN
                continue
            address, port = fields[1].split(":")
            if width == 8:
                host = socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1])
            else:
                host = socket.inet_ntop(
                    socket.AF_INET6,
                    b"".join(bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, 32, 8)),
                )
            ports.setdefault(int(port, 16), set()).add(host)
    return ports


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.5)


def test_make_run_binds_localhost_restarts_a_dead_server_and_answers_when_actions_hang(tmp_path):
    silent = socket.socket()  # an "action server" that accepts calls and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)
    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "WEB_PORT": free_port()}
    state = tmp_path / "state"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("HOST", "CORS_ORIGINS")},
        **{name: str(port) for name, port in ports.items()},
        "TRACKER_DB": str(state / "tracker.db"),
        "SESSION_SECRET": "test-session-secret",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{silent.getsockname()[1]}/webhook",
        "ACTION_TIMEOUT_SECONDS": "2",
    }
    log = tmp_path / "run.log"
    run = subprocess.Popen(
        ["scripts/run"],
        cwd=REPO,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    rasa = f"http://127.0.0.1:{ports['RASA_PORT']}"
    try:
        wait_until(
            lambda: "The assistant is running" in log.read_text() or run.poll() is not None,
            240,
            "scripts/run did not start",
        )
        assert run.poll() is None, log.read_text()[-3000:]

        bound = listening()
        for port in ports.values():
            assert bound.get(port) == {"127.0.0.1"}, (port, bound.get(port))

        started = time.monotonic()
        replies = send(rasa, "me", "talk to a person")  # a custom action: its call hangs
        assert SOMETHING_WENT_WRONG in texts(replies)
        assert 2 <= time.monotonic() - started < 10

        rasa_pid = pid_listening_on(ports["RASA_PORT"])
        os.kill(rasa_pid, signal.SIGKILL)
        wait_until(lambda: not answers(f"{rasa}/"), 10, "the Rasa server did not stop")
        assert answers(f"http://127.0.0.1:{ports['ACTION_PORT']}/health")
        assert answers(f"http://127.0.0.1:{ports['WEB_PORT']}/")
        wait_until(lambda: answers(f"{rasa}/"), 180, "the Rasa server was not restarted")
        assert pid_listening_on(ports["RASA_PORT"]) != rasa_pid
        assert "the Rasa server exited" in log.read_text()
        assert "Hello" in texts(send(rasa, "after-restart", "hello"))
    finally:
        stop_group(run)
        silent.close()
    still = listening()
    assert not [port for port in ports.values() if port in still], "a server outlived Ctrl-C"


def test_a_server_that_fails_at_start_up_stops_its_supervisor():
    started = time.monotonic()
    result = subprocess.run(
        ["scripts/supervise", "test server", f"http://127.0.0.1:{free_port()}/", "sh", "-c", "exit 3"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 3 and "exited during start-up" in result.stderr
    assert time.monotonic() - started < 10
