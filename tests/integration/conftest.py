"""Start the real action server and Rasa server on free ports, once per test session."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "models" / "hepb-assistant.tar.gz"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} server exited during start-up:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"{url} did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def rasa_url(tmp_path_factory):
    """Base URL of a Rasa server backed by a real action server and a SQLite tracker store."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` first")
    tmp = tmp_path_factory.mktemp("servers")
    action_port, rasa_port = free_port(), free_port()
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
        "TRACKER_DB": str(tmp / "tracker.db"),
    }
    commands = {
        "actions": ([str(BIN / "python"), "-m", "rasa_sdk", "--actions", "actions",
                     "--port", str(action_port)], f"http://127.0.0.1:{action_port}/health"),
        "rasa": ([str(BIN / "rasa"), "run", "--model", str(MODEL), "--port", str(rasa_port),
                  "--credentials", "credentials.yml", "--endpoints", "endpoints.yml"],
                 f"http://127.0.0.1:{rasa_port}/"),
    }
    processes = []
    try:
        for name, (command, health_url) in commands.items():
            log = tmp / f"{name}.log"
            process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log.open("w"),
                                       stderr=subprocess.STDOUT)
            processes.append(process)
            wait_until_up(health_url, process, log)
        yield f"http://127.0.0.1:{rasa_port}"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
