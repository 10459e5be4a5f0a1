"""Serve web/ (the chat widget page and the kiosk) for local use: `make run` starts it.

GET /config.js tells the page where the Rasa server is (RASA_PUBLIC_URL, or the page's host on
RASA_PORT). A hospital serves web/ from its own web server and passes serverUrl to
HepBChat.init in its own page instead. Requests are not logged (no message texts pass here).

    python scripts/serve_web.py [--port 8080] [--bind 0.0.0.0]
"""
import argparse
import functools
import json
import os
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEB = Path(__file__).resolve().parents[1] / "web"


class Handler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path.split("?")[0] == "/config.js":
            config = {"serverUrl": os.environ.get("RASA_PUBLIC_URL") or None,
                      "rasaPort": int(os.environ.get("RASA_PORT", "5005"))}
            body = f"window.HEPB_CHAT_CONFIG = {json.dumps(config)};\n".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument("--bind", default="0.0.0.0")
    args = parser.parse_args()
    if not (WEB / "vendor" / "rasa-webchat.js").exists():
        raise SystemExit("error: web/vendor/rasa-webchat.js is missing: run `make web` first")
    server = ThreadingHTTPServer((args.bind, args.port),
                                 functools.partial(Handler, directory=str(WEB)))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
