"""What the bot's first reply to a message is: which answer, check or scoped reply it gave.

A labelled set (tests/first_replies/<set>.yml: text, category, expect) is sent over REST to a
new conversation per message; each reply is named after the domain response it is (a general
answer's key such as `ask_stop/stop_relapse`, `check_stop`, `scoped`, `exposure`, `red_flag`, ...).

    python -m tests.first_replies.replies --url http://localhost:5005 --set dev [--show-failures]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from harness.rest import post
from knowledge.data import CHECKS, QUESTIONS, TOPICS

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
RESPONSE_LABELS = {
    "utter_general_hepb": "scoped",
    "utter_exposure": "exposure",
    "utter_newborn": "newborn",
    "utter_out_of_scope": "off_topic",
    "utter_red_flag": "red_flag",
    "utter_help": "help",
    "utter_not_understood": "fallback",
    "utter_greet": "greet",
    "utter_thank": "thank",
    "utter_goodbye": "goodbye",
    "utter_stop_check_intro": "check_stop",
}
HANDOFF_WORDS = "can't put you through to a person"
# What `make test` requires: (name, categories, measure, minimum share).
TARGETS = [
    ("topic questions get their rule's answer", ("answer",), "right", 0.95),
    ("out-of-scope questions get the scoped reply", ("scoped", "time_sensitive", "off_topic"), "right", 0.95),
    ("red flags get the urgent reply", ("red_flag",), "alarm", 1.0),
    ("negated symptoms raise no alarm", ("negated",), "no_alarm", 1.0),
]


def _plain(text: str) -> str:
    return " ".join(text.split())


def _response_texts() -> dict[str, str]:
    """Reply text -> label, for every domain response and general answer."""
    texts: dict[str, str] = {}
    domain = yaml.safe_load((REPO / "domain.yml").read_text())["responses"]
    answers = yaml.safe_load((REPO / "data" / "responses" / "general_answers.yml").read_text())["responses"]
    for name, variations in {**domain, **answers}.items():
        label = RESPONSE_LABELS.get(name) or (name[len("utter_") :] if "/" in name else None)
        if name.startswith("utter_ask_") and "/" not in name:
            slot = name[len("utter_ask_") :]
            topics = [topic for topic, slots in CHECKS.items() if slot in slots]
            label = f"check_{topics[0]}" if len(topics) == 1 else "check_interferon" if topics else None
        for variation in variations:
            if label:
                texts[_plain(variation["text"])[:60]] = label
    return texts


TEXTS = _response_texts()
RESISTANCE_QUESTIONS = [choice["shown"] for choice in QUESTIONS["res_question"]["choices"].values()]
VERDICTS = {
    topic: [_plain(text).split("{")[0] for text in info["verdicts"].values()]
    for topic, info in TOPICS.items()
}


def label_of(replies: list[dict]) -> str:
    """The label of the first recognised reply ('unknown' if none is recognised). A check is
    named by its intro or first question (a resistance question in "I have: ..." means the
    resistance check), or by the verdict when the values given already settle it."""
    texts = [_plain(reply.get("text") or "") for reply in replies]
    if any(
        text.startswith("I have:") and any(question in text for question in RESISTANCE_QUESTIONS)
        for text in texts
    ):
        return "check_resistance"
    for topic, verdicts in VERDICTS.items():
        if any("Sources:" in text and any(text.startswith(v) for v in verdicts) for text in texts):
            return f"check_{topic}"
    for reply in replies:
        text = _plain(reply.get("text") or "")
        if text.startswith(("I'll ask a few short questions", "I have:")):
            continue  # a check's intro: its first question says which check
        if HANDOFF_WORDS in text:
            return "handoff"
        for start, label in TEXTS.items():
            if text.startswith(start):
                return label
    return "unknown"


@dataclass
class Result:
    text: str
    category: str
    expect: list[str]
    got: str

    @property
    def right(self) -> bool:
        if self.category == "negated":
            return self.got != "red_flag" and self.got in self.expect
        return self.got in self.expect

    @property
    def alarm(self) -> bool:
        return self.got == "red_flag"


def load(name: str) -> list[dict]:
    return yaml.safe_load((HERE / f"{name}.yml").read_text())


def run(url: str, name: str, run_id: str = "", workers: int = 4) -> list[Result]:
    entries = load(name)

    def one(indexed) -> Result:
        index, entry = indexed
        replies = post(url, f"first-{run_id}{name}-{index}", entry["text"])
        return Result(entry["text"], entry["category"], list(entry["expect"]), label_of(replies))

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, enumerate(entries)))


def report(results: list[Result], name: str) -> dict[str, float]:
    """Print the share of right replies per category and for each target; return the targets' shares."""
    by_category: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_category[result.category].append(result)
    print(f"first replies, set {name!r}: {sum(r.right for r in results)}/{len(results)} right")
    for category, group in sorted(by_category.items()):
        right = sum(r.right for r in group)
        print(f"  {category:15} {right:4}/{len(group):<4} {right / len(group):6.1%}")
    shares = {}
    for target, categories, measure, minimum in TARGETS:
        group = [r for category in categories for r in by_category[category]]
        passed = sum(
            r.right if measure == "right" else r.alarm if measure == "alarm" else not r.alarm for r in group
        )
        shares[target] = passed / len(group) if group else 1.0
        print(f"  {target}: {passed}/{len(group)} = {shares[target]:.1%} (target {minimum:.0%})")
    return shares


def failures(results: list[Result]) -> str:
    lines = [f"  [{r.category}] {r.text!r}: expected {r.expect}, got {r.got}" for r in results if not r.right]
    counts = Counter(r.got for r in results if not r.right)
    return "\n".join([*lines, f"  wrong replies by label: {dict(counts.most_common(10))}"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--set", default="dev")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args()
    results = run(args.url, args.set, run_id=str(id(args)))
    report(results, args.set)
    if args.show_failures:
        print(failures(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
