"""Right verdicts of simulated patients on `make cluster` while one of its two servers is killed.

    python -m bench.cluster_failover [--bank final] [--kill-after 0.3] [--workers 6]

The simulated patients of harness/patient.py (every rule-test case in every style, answers from a phrasing
bank) talk to 2 Rasa servers behind HAProxy twice: undisturbed, then with new sender ids while the first server
is killed (SIGKILL) after --kill-after of the turns; their client (harness/client.py) sends a failed message
once more. Prints each round's right verdicts (target 98%), requests sent again, turns lost, changed verdicts.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness.client import send
from harness.cluster import new_cluster
from harness.patient import STYLES, converse, load_bank, report
from harness.processes import pid_listening_on
from harness.verdict_cases import ALL_CASES


class RetryingClient:
    """harness/client.py's REST client, counting the turns answered, sent again and lost."""

    def __init__(self, url: str) -> None:
        self.url, self.numbers, self.lock = url, collections.defaultdict(itertools.count), threading.Lock()
        self.counts: collections.Counter = collections.Counter()

    def send(self, sender: str, message: str) -> list[dict]:
        with self.lock:
            message_id = str(next(self.numbers[sender]))
        replies, problems = send(self.url, sender, message, message_id)
        with self.lock:
            self.counts.update(answered=replies is not None, retried=bool(problems), failed=replies is None)
        return replies or []  # no answer: the conversation ends without a verdict


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", default="final")
    parser.add_argument("--kill-after", type=float, default=0.3, help="share of the expected turns")
    parser.add_argument("--workers", type=int, default=6, help="patients talking at once")
    args = parser.parse_args()
    bank = load_bank(args.bank)
    jobs = [(case, style, bank, index) for style in STYLES for index, case in enumerate(ALL_CASES)]
    rounds: list = []
    with (
        tempfile.TemporaryDirectory(prefix="bench-failover-") as folder,
        new_cluster(Path(folder), replicas=2, TICKET_LOCK_LIFETIME="20") as cluster,
    ):
        for name, kill_after in (("undisturbed", None), ("server 1 killed", args.kill_after)):
            client = RetryingClient(cluster.url())
            run = f"{name.split()[0]}-{time.time():.0f}"
            senders = [f"failover-{run}-{style}-{index}" for _, style, _, index in jobs]
            with ThreadPoolExecutor(args.workers) as pool:
                outcomes = pool.map(lambda job, sender, send=client.send: converse(send, *job, sender), jobs, senders)
                if kill_after is not None:
                    while client.counts["answered"] < kill_after * rounds[0][1].counts["answered"]:
                        time.sleep(0.2)
                    os.kill(pid_listening_on(int(cluster.env["FIRST_REPLICA_PORT"])), signal.SIGKILL)
                    name += f" after {client.counts['answered']} of about {rounds[0][1].counts['answered']} turns"
                rounds.append((name, client, list(outcomes)))
    for name, client, outcomes in rounds:
        right = sum(outcome.right for outcome in outcomes)
        print(f"{name}:", "{answered} turns answered, {retried} sent again, {failed} failed twice".format_map(client.counts))
        report(outcomes)
        print(f"  right verdict: {right}/{len(outcomes)} = {right / len(outcomes):.1%} (target 98%)")
    changed = sum(a.verdict != b.verdict for a, b in zip(rounds[0][2], rounds[1][2], strict=True))
    print(f"conversations whose verdict the kill changed: {changed}/{len(jobs)}")
    return 0 if right / len(jobs) >= 0.98 else 1  # the round with the kill


if __name__ == "__main__":
    sys.exit(main())
