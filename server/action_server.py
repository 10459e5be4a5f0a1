"""Start the action server (rasa-sdk) on HOST (default 127.0.0.1) with the log redaction.

    python -m server.action_server --actions actions --port 5055

takes rasa-sdk's own arguments. rasa-sdk listens on SANIC_HOST (default 0.0.0.0, every
interface); this sets it from HOST unless SANIC_HOST is set.
"""

from __future__ import annotations

import os

from rasa_sdk.__main__ import main

from server import redaction

if __name__ == "__main__":
    os.environ.setdefault("SANIC_HOST", os.environ.get("HOST") or "127.0.0.1")
    redaction.install()
    main()
