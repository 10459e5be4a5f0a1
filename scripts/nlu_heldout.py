"""Evaluate the trained model on the held-out NLU set and enforce the accuracy target.

The held-out set (tests/nlu/heldout.yml) is never used for training. Prints intent accuracy
and macro F1 (and response-selection accuracy); exits 1 when intent accuracy is below 95%.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "results" / "nlu-heldout"
TARGET = 0.95


def main() -> int:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
    subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "python"),
            "-m",
            "server.rasa",
            "test",
            "nlu",
            "--nlu",
            "tests/nlu/heldout.yml",
            "--model",
            "models/hepb-assistant.tar.gz",
            "--out",
            str(OUT),
        ],
        cwd=REPO,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    intents = json.loads((OUT / "intent_report.json").read_text())
    accuracy, macro_f1 = intents["accuracy"], intents["macro avg"]["f1-score"]
    selection_file = OUT / "response_selection_report.json"
    selection = json.loads(selection_file.read_text())["accuracy"] if selection_file.exists() else None
    print(
        f"held-out NLU: intent accuracy {accuracy:.1%}, macro F1 {macro_f1:.3f}"
        + (f", response selection accuracy {selection:.1%}" if selection is not None else "")
        + f" (target: intent accuracy >= {TARGET:.0%})"
    )
    errors = (
        json.loads((OUT / "intent_errors.json").read_text()) if (OUT / "intent_errors.json").exists() else []
    )
    for error in errors[:15]:
        print(f"  misread: {error['text']!r}: {error['intent']} -> {error['intent_prediction']['name']}")
    return 0 if accuracy >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
