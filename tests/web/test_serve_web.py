"""scripts/serve_web.py: what it serves, compressed, and under which security headers."""

from __future__ import annotations

import gzip
import importlib.util
import threading
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("serve_web", REPO / "scripts" / "serve_web.py")
serve_web = importlib.util.module_from_spec(spec)
spec.loader.exec_module(serve_web)


@pytest.fixture
def site(tmp_path, monkeypatch):
    """serve_web's handler on a free port, serving a small dist folder."""
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>" + "x" * 2000)
    (tmp_path / "hepb-chat.js").write_text("console.log('widget');\n" * 100)
    (tmp_path / "secret.py").write_text("not for the browser")
    monkeypatch.setattr(serve_web, "DIST", tmp_path)
    monkeypatch.delenv("RASA_PUBLIC_URL", raising=False)
    monkeypatch.setenv("RASA_PORT", "5005")
    server = ThreadingHTTPServer(("127.0.0.1", 0), serve_web.Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def get(url, **headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_pages_are_sent_gzipped_with_a_strict_content_security_policy(site):
    status, headers, body = get(f"{site}/", **{"Accept-Encoding": "gzip, deflate"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body).startswith(b"<!doctype html>")
    policy = dict(part.split(" ", 1) for part in headers["Content-Security-Policy"].split("; "))
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == policy["style-src"] == "'self'"
    assert policy["connect-src"] == "'self' http://127.0.0.1:5005 ws://127.0.0.1:5005"
    assert policy["frame-ancestors"] == "'self'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Server"] == "hepb-web"

    status, headers, body = get(f"{site}/hepb-chat.js")  # no Accept-Encoding: plain
    assert status == 200 and headers["Content-Encoding"] is None
    assert headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert body.startswith(b"console.log")


def test_only_the_text_files_of_the_dist_folder_are_served(site):
    for path in ["/secret.py", "/../Makefile", "/%2e%2e/Makefile", "/nothing.js", "/.hidden.js"]:
        status, headers, _ = get(site + path)
        assert status == 404, path
        assert headers["Content-Security-Policy"], path


def test_config_js_points_the_page_at_rasa_on_the_host_the_browser_used(site, monkeypatch):
    _, _, body = get(f"{site}/config.js", Host="assistant.example:8080")
    assert body == b'window.HEPB_CHAT_CONFIG = {"serverUrl": "http://assistant.example:5005"};\n'
    _, headers, _ = get(f"{site}/config.js", Host="evil.example; script-src *")
    assert "script-src *" not in headers["Content-Security-Policy"]
    assert "http://localhost:5005" in headers["Content-Security-Policy"]
    monkeypatch.setenv("RASA_PUBLIC_URL", "https://assistant.hospital.example/")
    _, headers, body = get(f"{site}/config.js")
    assert b'"serverUrl": "https://assistant.hospital.example"' in body
    assert (
        "https://assistant.hospital.example wss://assistant.hospital.example"
        in headers["Content-Security-Policy"]
    )


def test_frame_ancestors_comes_from_the_environment_and_is_checked():
    assert (
        serve_web.frame_ancestors("'self' https://www.hospital.example")
        == "'self' https://www.hospital.example"
    )
    for bad in ["", "'self'; script-src *", "'unsafe-inline'", "https://a.example\r\nX: y"]:
        with pytest.raises(SystemExit, match="FRAME_ANCESTORS"):
            serve_web.frame_ancestors(bad)
