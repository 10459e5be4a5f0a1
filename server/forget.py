"""Erase one conversation from the conversation store: ``make forget SENDER=<id>``.

    python -m server.forget rest:me            # the store at $TRACKER_DB (default var/tracker.db)
    make forget SENDER=rest:me CLUSTER=1       # `make cluster`'s PostgreSQL (.cluster/store.env)

Conversation ids are stored with their channel's prefix (``channels.guard``): ``rest:<sender>``,
``socketio:<session>``, ``telegram:<chat id>``, ``twilio:<phone number>`` (WhatsApp:
``twilio:whatsapp:+44...``). Exits 1 when there was no such conversation.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from server.tracker_store import engine_for, forget, store_url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sender", help="the conversation id, with its channel prefix")
    parser.add_argument(
        "--db",
        type=Path,
        help="a SQLite store (default: PostgreSQL when PG_HOST is set, else $TRACKER_DB or var/tracker.db)",
    )
    args = parser.parse_args(argv)
    url = store_url({"TRACKER_DB": str(args.db)} if args.db else None)
    where = url.render_as_string(hide_password=True) if url.drivername != "sqlite" else url.database
    if url.drivername == "sqlite" and not Path(url.database).exists():
        print(f"error: no conversation store at {where} (set TRACKER_DB)", file=sys.stderr)
        return 2
    deleted = forget(engine_for(url), args.sender)
    if not deleted:
        hint = (
            ""
            if ":" in args.sender
            else (" (ids carry their channel's prefix, e.g. rest:<sender> or twilio:+447700900123)")
        )
        print(f"no conversation {args.sender!r} in {where}{hint}", file=sys.stderr)
        return 1
    print(f"erased conversation {args.sender!r}: {deleted} event(s) deleted from {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
