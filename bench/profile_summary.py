"""Summarise a py-spy raw (collapsed-stack) profile: inclusive and self share per function.

    python bench/profile_summary.py PROFILE.raw [--under FUNCTION] [--top N]

Only the samples whose stack contains FUNCTION (default: `handle_text`, one chat turn) count,
so start-up and idle time are left out. Inclusive = share of those samples in which the
function is on the stack; self = share in which it is the innermost frame.
"""
from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

# Where a chat turn's time goes: label -> frame-name prefix (indented labels are parts of the one above).
KEY_FUNCTIONS = {
    "NLU pipeline (all components)": "parse_message (rasa/core/processor.py)",
    "  DIETClassifier (intents)": "process (rasa/nlu/classifiers/diet_classifier.py)",
    "  ResponseSelector (general answers)": "process (rasa/nlu/selectors/response_selector.py)",
    "  TensorFlow graph execution (in both)": "quick_execute (tensorflow/python/eager/execute.py)",
    "  the project's components": "process (components/",
    "dialogue policies (once per predicted action)": "_predict_next_with_tracker (rasa/core/processor.py)",
    "running actions (forms, custom actions, responses)": "_run_action (rasa/core/processor.py)",
    "  call to the action server": "request (rasa/utils/endpoints.py)",
    "  action-response validation": "_validate_action_result",
    "  response templating (interpolator)": "interpolate (rasa/core/nlg/interpolator.py)",
    "tracker store: load the conversation": "retrieve (rasa/core/tracker_store.py)",
    "tracker store: save it": "save (rasa/core/tracker_store.py)",
    "  SQLite commit": "commit (sqlalchemy/orm/session.py)",
}
FRAME = re.compile(r"^(?P<name>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def short(frame: str) -> str:
    """`function (package/module.py)` without the site-packages prefix and line number."""
    match = FRAME.match(frame)
    if not match:
        return frame
    path = match["file"]
    for marker in ("site-packages/", "/work/main/", "lib/python3.10/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{match['name']} ({path})"


def samples(raw: str, under: str = ""):
    """(short frame names, sample count) of each stack in a py-spy raw profile that contains `under`."""
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [short(f) for f in stack.split(";")]
        if under and not any(f.startswith(under + " ") for f in frames):
            continue
        yield frames, int(count)


def shares(raw: str, names, under: str = "") -> dict:
    """Inclusive share (0..1) of each function in `names` (prefixes of the short frame names)
    among the samples whose stack contains `under`."""
    counts = dict.fromkeys(names, 0)
    total = 0
    for frames, count in samples(raw, under):
        total += count
        for name in names:
            if any(f.startswith(name) for f in frames):
                counts[name] += count
    return {name: (n / total if total else 0.0) for name, n in counts.items()}


def summarise(raw: str, under: str = "handle_text", top: int = 30) -> str:
    inclusive: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    total = 0
    for frames, n in samples(raw, under):
        total += n
        for frame in set(frames):
            inclusive[frame] += n
        own[frames[-1]] += n
    if not total:
        return f"no samples under {under!r}\n"
    lines = [f"{total} samples under `{under}`", "", "inclusive  function", "---------  --------"]
    lines += [f"{100 * n / total:8.1f}%  {name}" for name, n in inclusive.most_common(top)]
    lines += ["", "self       function", "---------  --------"]
    lines += [f"{100 * n / total:8.1f}%  {name}" for name, n in own.most_common(top)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--under", default="handle_text")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    print(summarise(args.profile.read_text(), args.under, args.top), end="")


if __name__ == "__main__":
    main()
