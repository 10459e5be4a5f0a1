"""Servers started from the repository root, free ports, the process listening on a port."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def consecutive_free_ports(count: int) -> int:
    """The first of `count` consecutive free ports on 127.0.0.1."""
    for _ in range(100):
        first, sockets = free_port(), []
        try:
            for port in range(first, first + count):
                sockets.append(socket.socket())
                sockets[-1].bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError(f"no {count} consecutive free ports")


def pid_listening_on(port: int) -> int:
    """The process listening on a TCP port of 127.0.0.1 (from /proc)."""
    inodes = {
        line.split()[9]
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
        if line.split()[3] == "0A" and int(line.split()[1].split(":")[1], 16) == port
    }
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            links = {os.readlink(fd) for fd in (proc / "fd").iterdir()}
        except OSError:
            continue
        if any(f"socket:[{inode}]" in links for inode in inodes):
            return int(proc.name)
    raise LookupError(f"nothing listens on {port}")


def stop_group(process: subprocess.Popen, timeout: float = 60) -> None:
    """Ctrl-C to a process started with start_new_session=True; its whole group is killed if it
    has not stopped within `timeout` seconds."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def start_server(
    command: list[str], health_url: str, log: Path, env: dict[str, str], timeout: float = 240
) -> subprocess.Popen:
    """Start a server, its output in `log`, and return once `health_url` answers; RuntimeError
    with the end of its log (the server stopped) when it exits or does not answer in time."""
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError), urllib.request.urlopen(health_url, timeout=2):
            return process
        time.sleep(0.1)
    failure = (
        "exited during start-up" if process.poll() is not None else f"did not answer within {timeout:.0f} s"
    )
    terminate([process])
    raise RuntimeError(f"{health_url}: the server {failure}:\n{log.read_text()[-3000:]}")


def terminate(processes: Iterable[subprocess.Popen]) -> None:
    """SIGTERM, then SIGKILL after 30 s."""
    processes = list(processes)
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
