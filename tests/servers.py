"""Start the real servers on free ports: the action server, Rasa, and the web page (web/).

Used by the session fixtures in tests/conftest.py (REST conversations in tests/integration,
the chat widget in tests/browser, tests/security). Rasa allows CORS and socket.io from the web
page's origin (CORS_ORIGINS), so the browser tests talk to it exactly as a hospital page would.
HOSPITAL_CONTACT carries a link, so the widget's link rendering can be checked.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from harness.processes import free_port, start_server, terminate

REPO = Path(__file__).resolve().parents[1]
MODEL = REPO / "models" / "hepb-assistant.tar.gz"
BIN = Path(sys.executable).parent
WEB_BUNDLE = REPO / "web" / "dist" / "hepb-chat.js"
HOSPITAL_CONTACT = (
    "the liver nurses on 01234 567890 or [hospital.example/liver](https://hospital.example/liver)"
)


@dataclass
class Servers:
    """Processes started for the test session; ``web_url`` is known before the page is served."""

    tmp: Path
    env: dict[str, str]
    rasa_url: str = ""
    web_port: int = field(default_factory=free_port)
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def web_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def start(self, name: str, command: list[str], health_url: str, env: dict[str, str]) -> None:
        try:
            self.processes.append(
                start_server(command, health_url, self.tmp / f"{name}.log", env, timeout=180)
            )
        except RuntimeError as error:
            pytest.fail(str(error))

    def start_backend(self) -> None:
        """The action server and Rasa (REST and socket.io, CORS for the web page's origin)."""
        if not MODEL.exists():
            pytest.fail(f"no trained model at {MODEL}: run `make train` first")
        action_port, rasa_port = free_port(), free_port()
        origins = [self.web_url, f"http://localhost:{self.web_port}"]
        env = {
            **self.env,
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
            "CORS_ORIGINS": " ".join(origins),
        }
        self.start(
            "actions",
            [
                str(BIN / "python"),
                "-m",
                "server.action_server",
                "--actions",
                "actions",
                "--port",
                str(action_port),
            ],
            f"http://127.0.0.1:{action_port}/health",
            env,
        )
        self.start(
            "rasa",
            [
                str(BIN / "python"),
                "-m",
                "server.rasa",
                "run",
                "--model",
                str(MODEL),
                "--port",
                str(rasa_port),
                "--interface",
                "127.0.0.1",
                "--credentials",
                "credentials.yml",
                "--endpoints",
                "endpoints.yml",
                "--cors",
                *origins,
            ],
            f"http://127.0.0.1:{rasa_port}/",
            env,
        )
        self.rasa_url = f"http://127.0.0.1:{rasa_port}"

    def start_web(self) -> None:
        """The page with the chat widget (scripts/serve_web.py), pointed at this Rasa."""
        if not WEB_BUNDLE.exists():
            pytest.fail(f"the chat widget is not built ({WEB_BUNDLE.relative_to(REPO)}): run `make web`")
        port = self.rasa_url.rsplit(":", 1)[1]
        self.start(
            "web",
            [
                str(BIN / "python"),
                "scripts/serve_web.py",
                "--port",
                str(self.web_port),
                "--bind",
                "127.0.0.1",
            ],
            f"{self.web_url}/",
            {**self.env, "RASA_PORT": port, "RASA_PUBLIC_URL": ""},
        )

    def stop(self) -> None:
        terminate(self.processes)


def servers_for_session(tmp: Path) -> Servers:
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TRACKER_DB": str(tmp / "tracker.db"),
        "HOSPITAL_CONTACT": HOSPITAL_CONTACT,
    }
    return Servers(tmp=tmp, env=env)
