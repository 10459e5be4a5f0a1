"""Offline connector tests: webhooks through Sanic's test client, outbound calls captured.

Nothing may leave the machine: `no_network` (autouse) refuses every connection and name lookup
that is not to the loopback interface (the Sanic test client talks to 127.0.0.1) and fails the
test that tried one.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import pytest


def _is_loopback(host: Any) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode()
    if host in ("localhost", "mockserver"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Refuse (and record) any connection or DNS lookup that is not to this machine."""
    attempts: list[Any] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def allowed(address: Any) -> bool:
        return isinstance(address, (str, bytes)) or _is_loopback(address[0])  # str: a unix socket

    def connect(self, address):
        if not allowed(address):
            attempts.append(address)
            raise OSError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    def connect_ex(self, address):
        if not allowed(address):
            attempts.append(address)
            raise OSError(f"test tried to reach the network: {address!r}")
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_loopback(host):
            attempts.append(host)
            raise socket.gaierror(f"test tried to look up {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    assert not attempts, f"a test tried to reach the network: {attempts}"
