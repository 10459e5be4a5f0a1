"""Log records above DEBUG carry no message text, lab value, phone number or secret."""

from __future__ import annotations

import json
import logging

import pytest

from server import redaction

TEXT = "my ALT is 137 U/L and my number is +44 7700 900123"


@pytest.fixture
def records(monkeypatch):
    """The records of a capturing handler, with the redaction installed for this test."""
    monkeypatch.setenv("TELEGRAM_TOKEN", "123456789:AAE-secret-bot-token")
    monkeypatch.setattr(redaction, "_installed", False)
    previous = logging.getLogRecordFactory()
    redaction.install()
    captured = []

    class Capture(logging.Handler):
        def emit(self, record):
            captured.append(self.format(record))

    handler = Capture(level=logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    yield captured
    root.removeHandler(handler)
    root.setLevel(old_level)
    logging.setLogRecordFactory(previous)
    logging.captureWarnings(False)


def test_the_turns_text_and_sender_are_hidden_in_every_escaped_form(records):
    log = logging.getLogger("rasa.core.processor")
    with redaction.sensitive(TEXT, "whatsapp:+447700900123"):
        log.warning("Received '%s' from %s", TEXT, "whatsapp:+447700900123")
        log.error(json.dumps({"event": "message.parsing.failed", "user_text": TEXT + ' "quoted"'}))
        log.error(repr({"text": TEXT}))
    assert all("ALT" not in line and "7700" not in line and "137" not in line for line in records)
    assert records[0] == "Received '[text]' from [text]"


def test_digits_are_hidden_outside_urls_ip_addresses_and_source_paths(records):
    log = logging.getLogger("sqlalchemy.engine")
    log.error("value 137.5 at http://127.0.0.1:5055/webhook from 10.1.2.3 in /x/python3.10/a.py")
    assert records == ["value #.# at http://127.0.0.1:5055/webhook from 10.1.2.3 in /x/python3.10/a.py"]


def test_tracebacks_keep_their_frames_and_lose_their_values(records):
    try:
        raise ValueError(f"could not store {TEXT}")
    except ValueError:
        logging.getLogger("rasa.core.tracker_store").exception("failed")
    [line] = records
    assert 'File "' in line and ", line " in line  # where it happened is kept
    assert "ValueError: could not store my ALT is # U/L" in line and "137" not in line


def test_secrets_are_hidden_and_debug_records_are_left_alone(records):
    log = logging.getLogger("aiogram")
    log.error("POST https://api.telegram.org/bot123456789:AAE-secret-bot-token/sendMessage failed")
    log.debug("debug keeps %s", TEXT)
    assert records == ["POST https://api.telegram.org/bot[secret]/sendMessage failed", f"debug keeps {TEXT}"]


def test_warnings_go_through_the_same_redaction(records):
    import warnings

    warnings.warn(f"Failed to parse arguments in line '{TEXT}'", stacklevel=1)
    assert records and "137" not in records[-1] and "7700" not in records[-1]


def test_the_projects_own_log_lines_keep_their_figures(records):
    logging.getLogger("server.tracker_store").info("deleted 3 conversation(s) after 30 days")
    assert records == ["deleted 3 conversation(s) after 30 days"]


def test_short_texts_are_not_hidden_inside_other_words(records):
    with redaction.sensitive("me", "yes"):
        logging.getLogger("rasa").warning("message for yes-man: yes")
    assert records == ["message for [text]-man: [text]"]


def test_a_long_line_such_as_a_quoted_http_body_is_cut(records):
    body = json.dumps({"request_body": {"events": [{"text": f"earlier message {n}"} for n in range(500)]}})
    logging.getLogger("rasa.core.processor").error("action failed: body=%s", body)
    [line] = records
    assert len(line) < 520 and line.endswith("[cut]") and "earlier message" in line
    assert line.count("earlier message") < 20
