"""Session fixtures shared by the server tests: the real servers on free ports (tests/servers.py),
and `figures`: lines that the test session prints at its end (accuracy and right-verdict rates)."""

from __future__ import annotations

import pytest

from tests.servers import servers_for_session


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    """The action server and Rasa, started once per test session."""
    servers = servers_for_session(tmp_path_factory.mktemp("servers"))
    try:
        servers.start_backend()
        yield servers
    finally:
        servers.stop()


@pytest.fixture(scope="session")
def rasa_url(servers) -> str:
    """Base URL of a Rasa server backed by a real action server and a SQLite tracker store."""
    return servers.rasa_url


@pytest.fixture(scope="session")
def web_url(servers) -> str:
    """URL of the page with the chat widget (web/), talking to that Rasa server."""
    servers.start_web()
    return servers.web_url


_FIGURES: list[str] = []


@pytest.fixture(scope="session")
def figures() -> list[str]:
    """Lines to print in the session's summary, whether the tests pass or fail."""
    return _FIGURES


def pytest_terminal_summary(terminalreporter) -> None:
    if _FIGURES:
        terminalreporter.section("figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
