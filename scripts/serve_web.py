"""Serve web/dist/ (the chat widget's page and the kiosk, built by `make web`): `make run` starts it.

Only the text files in web/dist/ are served (no listings, no subfolders), gzip-compressed when the
browser accepts it, under a strict Content-Security-Policy: scripts, styles and images from this
origin only, connections to this origin and the Rasa server, framing by FRAME_ANCESTORS (default
'self'). GET /config.js tells the page where the Rasa server is: RASA_PUBLIC_URL, or the page's
host on RASA_PORT. Requests are not logged (no message text passes here).

    python scripts/serve_web.py [--port 8080] [--bind 127.0.0.1]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

DIST = Path(__file__).resolve().parents[1] / "web" / "dist"
TEXT_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".txt": "text/plain"}
HOST_NAME = re.compile(r"[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]")
FRAME_SOURCE = re.compile(r"'self'|'none'|(https?://)?[A-Za-z0-9.*-]+(:[0-9]+)?")


def frame_ancestors(value: str) -> str:
    """FRAME_ANCESTORS checked source by source: origins, 'self' or 'none'."""
    sources = value.split()
    bad = [source for source in sources if not FRAME_SOURCE.fullmatch(source)]
    if not sources or bad:
        raise SystemExit(f"error: FRAME_ANCESTORS must be origins, 'self' or 'none'; not {bad or value!r}")
    return " ".join(sources)


def rasa_url(host_header: str | None) -> str:
    """RASA_PUBLIC_URL, or the host the browser used for this page on RASA_PORT."""
    public = os.environ.get("RASA_PUBLIC_URL")
    if public:
        return public.rstrip("/")
    try:
        host = urlsplit(f"//{host_header or ''}").hostname or ""
    except ValueError:  # e.g. an unclosed "[" in the Host header
        host = ""
    if ":" in host:
        host = f"[{host}]"
    if not HOST_NAME.fullmatch(host):
        host = "localhost"
    return f"http://{host}:{int(os.environ.get('RASA_PORT', '5005'))}"


def content_security_policy(rasa: str, ancestors: str) -> str:
    origin = urlsplit(rasa)
    socket_scheme = "wss" if origin.scheme == "https" else "ws"
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            f"connect-src 'self' {origin.scheme}://{origin.netloc} {socket_scheme}://{origin.netloc}",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {ancestors}",
        ]
    )


@lru_cache(maxsize=64)
def compressed(path: Path, modified_ns: int) -> bytes:  # modified_ns: a changed file is re-read
    return gzip.compress(path.read_bytes(), compresslevel=9)


class Handler(BaseHTTPRequestHandler):
    ancestors = "'self'"

    def version_string(self) -> str:
        return "hepb-web"  # no Python version in the Server header

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def respond(self, send_body: bool) -> None:
        rasa = rasa_url(self.headers.get("Host"))
        status, content_type, body, encoding = self.resolve(urlsplit(self.path).path, rasa)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Security-Policy", content_security_policy(rasa, self.ancestors))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def resolve(self, path: str, rasa: str) -> tuple[int, str, bytes, str | None]:
        """Status, content type, body and content encoding for a request path."""
        if path == "/config.js":
            body = f"window.HEPB_CHAT_CONFIG = {json.dumps({'serverUrl': rasa})};\n".encode()
            return 200, "text/javascript; charset=utf-8", body, None
        name = "index.html" if path == "/" else path.lstrip("/")
        file = DIST / name
        if "/" in name or name.startswith(".") or file.suffix not in TEXT_TYPES or not file.is_file():
            return 404, "text/plain; charset=utf-8", b"not found\n", None
        content_type = f"{TEXT_TYPES[file.suffix]}; charset=utf-8"
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            return 200, content_type, compressed(file, file.stat().st_mtime_ns), "gzip"
        return 200, content_type, file.read_bytes(), None

    def log_message(self, format: str, *args) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument("--bind", default=os.environ.get("HOST", "127.0.0.1"))
    args = parser.parse_args()
    if not (DIST / "hepb-chat.js").exists():
        raise SystemExit("error: web/dist/hepb-chat.js is missing: run `make web` first")
    Handler.ancestors = frame_ancestors(os.environ.get("FRAME_ANCESTORS", "'self'"))
    server = ThreadingHTTPServer((args.bind, args.port), Handler)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
