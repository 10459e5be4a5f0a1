"""The guard of the offline tests refuses outside connections (and allows the test server)."""

from __future__ import annotations

import socket

import pytest


def test_outside_connections_and_lookups_are_refused(no_network):
    with pytest.raises(OSError):
        socket.create_connection(("api.telegram.org", 443), timeout=1)
    with pytest.raises(OSError):
        socket.socket().connect(("203.0.113.5", 443))
    assert len(no_network) == 2
    no_network.clear()  # expected attempts: do not fail this test at teardown


def test_loopback_is_allowed(no_network):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=1):
            pass
