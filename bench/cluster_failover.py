"""Right verdicts of simulated patients on `make cluster` while one of its two servers is killed.

    python -m bench.cluster_failover [--bank final] [--kill-after 0.3] [--workers 6]

Starts scripts/cluster with 2 Rasa servers (free ports, data in a temporary folder; in
`make cluster` the first server is the one on :5006) and runs the simulated patients of
tests/conversations/patient.py (every rule-test case in every style, answers from a phrasing
bank: conversations that are not in the repository) against HAProxy, twice: once undisturbed (the
reference: a typed answer the reader misreads fails there too), then again with new sender ids,
killing the first server (SIGKILL) when ``--kill-after`` of the first round's turns have been
answered. A patient's client
sends each message with an id and, when a request fails or the answer is "something went
wrong", sends it once more with the same id, as the README asks REST clients to. Prints, for
both rounds, the share of conversations that ended with the rule module's verdict (target: at
least 98%), how many conversations the kill changed, how many requests were sent again and how
many turns failed even then.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import signal
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from channels.guard import SOMETHING_WENT_WRONG  # noqa: E402
from tests.cluster.conftest import new_cluster  # noqa: E402
from tests.conversations.patient import STYLES, converse, load_bank, report  # noqa: E402
from tests.knowledge.knowledge_cases import ALL_CASES  # noqa: E402
from tests.security.test_run_script import pid_listening_on  # noqa: E402

class RetryingClient:
    """REST with a message id per message; a failed request is sent once more with the same id."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.numbers: Dict[str, itertools.count] = {}
        self.answered = self.retried = self.failed = 0
        self.lock = threading.Lock()

    def post(self, sender: str, message: str, message_id: str) -> List[Dict]:
        body = json.dumps({"sender": sender, "message": message, "message_id": message_id}).encode()
        request = urllib.request.Request(f"{self.url}/webhooks/rest/webhook", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            replies = json.load(response)
        if any(SOMETHING_WENT_WRONG in (reply.get("text") or "") for reply in replies):
            raise OSError("something went wrong")
        return replies

    def send(self, sender: str, message: str) -> List[Dict]:
        with self.lock:
            message_id = str(next(self.numbers.setdefault(sender, itertools.count())))
        for attempt in range(2):
            try:
                replies = self.post(sender, message, message_id)
                with self.lock:
                    self.answered += 1
                return replies
            except (OSError, urllib.error.HTTPError):
                if attempt == 0:
                    with self.lock:
                        self.retried += 1
        with self.lock:
            self.failed += 1
        return []  # the patient sees no answer: the conversation ends without a verdict


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", default="final")
    parser.add_argument("--kill-after", type=float, default=0.3, help="share of the expected turns")
    parser.add_argument("--workers", type=int, default=6, help="patients talking at once")
    args = parser.parse_args()
    bank = load_bank(args.bank)
    jobs = [(case, style, index) for style in STYLES for index, case in enumerate(ALL_CASES)]
    with tempfile.TemporaryDirectory(prefix="bench-failover-") as folder:
        cluster = new_cluster(Path(folder), replicas=2, TICKET_LOCK_LIFETIME="20")
        cluster.start("The assistant is running")
        try:
            rounds = []
            for name, kill_after in (("undisturbed", None), ("server 1 killed", args.kill_after)):
                client = RetryingClient(cluster.url())
                run = f"{name.split()[0]}-{time.time():.0f}"
                with ThreadPoolExecutor(args.workers) as pool:
                    outcomes = pool.map(lambda job: converse(client.send, job[0], job[1], bank, job[2],
                                                             f"failover-{run}-{job[1]}-{job[2]}"), jobs)
                    if kill_after is not None:
                        while client.answered < kill_after * rounds[0][1].answered:
                            time.sleep(0.2)
                        os.kill(pid_listening_on(int(cluster.env["FIRST_REPLICA_PORT"])), signal.SIGKILL)
                        name += f" after {client.answered} of about {rounds[0][1].answered} turns"
                    rounds.append((name, client, list(outcomes)))
        finally:
            cluster.stop()
    for name, client, outcomes in rounds:
        right = sum(outcome.right for outcome in outcomes)
        print(f"{name}: {client.answered} turns answered, {client.retried} request(s) sent again, "
              f"{client.failed} turn(s) failed twice")
        report(outcomes)
        print(f"  right verdict: {right}/{len(outcomes)} = {right / len(outcomes):.1%} (target 98%)")
    changed = sum(a.verdict != b.verdict for a, b in zip(rounds[0][2], rounds[1][2]))
    print(f"conversations whose verdict the kill changed: {changed}/{len(jobs)}")
    right = sum(outcome.right for outcome in rounds[1][2])
    return 0 if right / len(jobs) >= 0.98 else 1

if __name__ == "__main__":
    sys.exit(main())
