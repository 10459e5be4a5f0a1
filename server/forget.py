"""Erase one conversation from the conversation store: ``make forget SENDER=<id>``.

    python -m server.forget rest:me            # the store at $TRACKER_DB (default var/tracker.db)

Conversation ids are stored with their channel's prefix (``channels.guard``): ``rest:<sender>``,
``socketio:<session>``, ``telegram:<chat id>``, ``twilio:<phone number>`` (WhatsApp:
``twilio:whatsapp:+44...``). Exits 1 when there was no such conversation.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import List, Optional

from server.tracker_store import engine_for, forget


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sender", help="the conversation id, with its channel prefix")
    parser.add_argument("--db", type=Path,
                        default=Path(os.environ.get("TRACKER_DB") or "var/tracker.db"))
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"error: no conversation store at {args.db} (set TRACKER_DB)", file=sys.stderr)
        return 2
    deleted = forget(engine_for(f"sqlite:///{args.db}"), args.sender)
    if not deleted:
        hint = "" if ":" in args.sender else (
            " (ids carry their channel's prefix, e.g. rest:<sender> or twilio:+447700900123)")
        print(f"no conversation {args.sender!r} in {args.db}{hint}", file=sys.stderr)
        return 1
    print(f"erased conversation {args.sender!r}: {deleted} event(s) deleted from {args.db}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
