"""Write the credentials file Rasa uses at run time.

Rasa refuses to start when credentials.yml names an environment variable that is not set, so
the committed credentials.yml holds only the channels that need no secrets (REST, socket.io)
and this script adds a messaging channel only when its variables are set. Secrets stay in the
environment: the file written refers to them as ``${VAR}`` and Rasa reads them at start-up.

    python -m channels.credentials --out .run/credentials.yml

prints the enabled messaging channels and exits 2 when a channel is only partly configured.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Channel:
    """A messaging channel: its credentials key, and which option comes from which variable."""

    title: str
    key: str
    required: dict[str, str]  # option -> environment variable
    optional: dict[str, str] = field(default_factory=dict)
    webhook_path: str = ""


MESSAGING: tuple[Channel, ...] = (
    Channel(
        "Telegram",
        "channels.telegram.SecureTelegramInput",
        {
            "access_token": "TELEGRAM_TOKEN",
            "webhook_url": "TELEGRAM_WEBHOOK_URL",
            "secret_token": "TELEGRAM_SECRET_TOKEN",
        },
        webhook_path="/webhooks/telegram/webhook",
    ),
    Channel(
        "Twilio (SMS, WhatsApp)",
        "channels.twilio_signed.SignedTwilioInput",
        {
            "account_sid": "TWILIO_ACCOUNT_SID",
            "auth_token": "TWILIO_AUTH_TOKEN",
            "twilio_number": "TWILIO_NUMBER",
            "webhook_url": "TWILIO_WEBHOOK_URL",
        },
        {"whatsapp_number": "TWILIO_WHATSAPP_NUMBER", "allow_http": "TWILIO_ALLOW_HTTP"},
        webhook_path="/webhooks/twilio/webhook",
    ),
)


class PartialConfiguration(ValueError):
    """Some but not all of a channel's required variables are set."""


def is_set(env: Mapping[str, str], name: str) -> bool:
    return bool(env.get(name, "").strip())


def section(channel: Channel, env: Mapping[str, str]) -> dict[str, str] | None:
    """The channel's credentials (as ${VAR} references), None when none of its variables is set."""
    present = [name for name in channel.required.values() if is_set(env, name)]
    if not present:
        return None
    missing = [name for name in channel.required.values() if not is_set(env, name)]
    if missing:
        raise PartialConfiguration(
            f"{channel.title}: {', '.join(present)} set but {', '.join(missing)} not; "
            f"set all of {', '.join(channel.required.values())} or none."
        )
    options = {
        **channel.required,
        **{option: name for option, name in channel.optional.items() if is_set(env, name)},
    }
    return {option: "${" + name + "}" for option, name in options.items()}


def build(base: Path, env: Mapping[str, str]) -> tuple[dict, list[Channel]]:
    """credentials.yml plus the messaging channels whose variables are set."""
    credentials = yaml.safe_load(base.read_text()) or {}
    enabled = []
    for channel in MESSAGING:
        options = section(channel, env)
        if options is not None:
            credentials[channel.key] = options
            enabled.append(channel)
    return credentials, enabled


def write(base: Path, out: Path, env: Mapping[str, str]) -> list[Channel]:
    credentials, enabled = build(base, env)
    out.parent.mkdir(parents=True, exist_ok=True)
    header = (
        f"# Written by `python -m channels.credentials` from {base.name} and the environment; do not edit.\n"
    )
    out.write_text(header + yaml.safe_dump(credentials, sort_keys=False))
    return enabled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, default=REPO / "credentials.yml")
    parser.add_argument("--out", type=Path, default=REPO / ".run" / "credentials.yml")
    args = parser.parse_args(argv)
    try:
        enabled = write(args.base, args.out, os.environ)
    except PartialConfiguration as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for channel in enabled:
        print(f"    {channel.title}: webhook {channel.webhook_path}")
    if not enabled:
        print("    Messaging channels: none (set the TELEGRAM_* or TWILIO_* variables to add them)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
