"""Session fixtures shared by the server tests: the real servers on free ports (tests/servers.py)."""
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
