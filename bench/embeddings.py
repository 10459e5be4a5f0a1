"""Sentence embeddings as NLU features: config.yml against bench/config-embeddings.yml, side by side.

    .venv/bin/python -m bench.embeddings          # trains what is not cached, measures, writes
                                                  # bench/embeddings.json and bench/embeddings.md

Both configs are trained on the same domain.yml and data/ (cached in bench/.cache/ like
`make bench`), one at a time. For each model: held-out intent accuracy, macro F1 and
response-selection accuracy (tests/nlu/heldout.yml); NLU latency per message in-process
(`Agent.parse_message` over the held-out and off-topic messages, one process per model, a
warm-up pass then 3 measured passes); per-turn latency in-process with the action server
(bench/inprocess.py, the scripted conversations of `make bench`); cold start of `rasa run` to
the first answer and the Rasa server's peak RSS. The timings alternate the two models. Out of scope: how well the
highest cosine similarity of a message to the in-scope training examples separates the held-out
in-scope messages from bench/offtopic.yml and the held-out out_of_scope ones, next to what the
trained models flag now (intent out_of_scope or nlu_fallback).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (BENCH, ENV, PYTHON, REPO, action_server, log, median, peak_rss_mb, percentile,  # noqa: E402
                          post_message, rasa_server, read_json, server_env, summary_ms, write_json)
from bench.run import TARGETS, inprocess_run, pool  # noqa: E402
from bench.training import heldout, train  # noqa: E402

CONFIGS = {"project": REPO / "config.yml", "embeddings": BENCH / "config-embeddings.yml"}
FLAGGED = {"out_of_scope", "nlu_fallback"}
KEEP_IN_SCOPE = 0.95  # cosine threshold: the one that keeps 95% of in-scope held-out messages in scope
REPEATS = 3  # alternating runs of each model for the timings


def nlu_examples(path: Path) -> List[tuple]:
    """(intent, text) of every example of a Rasa NLU file."""
    pairs = []
    for block in yaml.safe_load(path.read_text()).get("nlu", []):
        pairs += [(block["intent"], line.strip()[2:]) for line in (block.get("examples") or "").splitlines()
                  if line.strip().startswith("- ")]
    return pairs


def message_sets() -> Dict[str, List[str]]:
    """In-scope held-out messages (all, and the topic questions among them), the held-out
    out_of_scope ones, and each group of offtopic.yml."""
    held = nlu_examples(REPO / "tests" / "nlu" / "heldout.yml")
    sets = {"in_scope": [text for intent, text in held if intent not in FLAGGED],
            "in_scope_topic_questions": [text for intent, text in held if intent.startswith(("ask_", "check_"))],
            "heldout_out_of_scope": [text for intent, text in held if intent in FLAGGED]}
    return {**sets, **yaml.safe_load((BENCH / "offtopic.yml").read_text())}


# --- NLU latency, in a process of its own per model ------------------------------------------

async def parse_all(model: Path, texts: List[str], passes: int = 3) -> dict:
    from rasa.core.agent import Agent

    started = time.perf_counter()
    agent = Agent.load(str(model))
    await agent.parse_message(texts[0])
    load_s = time.perf_counter() - started
    parsed = {text: (await agent.parse_message(text))["intent"] for text in texts}  # warm-up pass
    seconds = []
    for _ in range(passes):
        for text in texts:
            wall = time.perf_counter()
            await agent.parse_message(text)
            seconds.append(time.perf_counter() - wall)
    return {"load_and_first_parse_s": load_s, "parse_s": seconds,
            "intents": {text: [intent["name"], intent["confidence"]] for text, intent in parsed.items()}}


def nlu_latency(model: Path, work: Path, label: str) -> dict:
    texts = sorted({text for group in message_sets().values() for text in group})
    out = work / f"nlu-latency-{label}.json"
    (work / "texts.json").write_text(json.dumps(texts))
    subprocess.run([str(PYTHON), "-m", "bench.embeddings", "--parse", str(model), str(work / "texts.json"),
                    str(out)], cwd=REPO, env={**ENV, **server_env()}, check=True, stdout=subprocess.DEVNULL)
    return read_json(out)


# --- serving: cold start and RSS of `rasa run` -------------------------------------------------

def cold_start(model: Path, action_url: str, work: Path) -> dict:
    with rasa_server(model, action_url, work) as rasa:
        for number, text in enumerate(message_sets()["in_scope"]):
            post_message(rasa["url"], f"rss-{number}", text)
        return {"cold_start_s": rasa["cold_start_s"], "peak_rss_mb": peak_rss_mb(rasa["pid"])}


# --- out of scope ----------------------------------------------------------------------------

def auc(inside: List[float], outside: List[float]) -> float:
    """Probability that a random in-scope message scores higher than a random outside one."""
    wins = sum((i > o) + 0.5 * (i == o) for i in inside for o in outside)
    return wins / (len(inside) * len(outside))


def out_of_scope(models: Dict[str, dict]) -> dict:
    from components import minilm

    encoder = minilm.load()
    training = [text for path in sorted((REPO / "data" / "nlu").glob("*.yml"))
                for intent, text in nlu_examples(path) if intent not in FLAGGED]
    reference = encoder.encode(training)
    sets = message_sets()
    score = {name: (encoder.encode(texts) @ reference.T).max(axis=1).tolist() for name, texts in sets.items()}
    threshold = percentile(score["in_scope"], 100 * (1 - KEEP_IN_SCOPE))
    lowest = sorted(zip(score["in_scope"], sets["in_scope"]))[:6]
    result = {"reference_examples": len(training), "threshold": threshold, "groups": {},
              "lowest_in_scope": [[text, value] for value, text in lowest]}
    for name, texts in sets.items():
        group = {"n": len(texts), "max_cosine_median": median(score[name]),
                 "below_threshold": sum(s < threshold for s in score[name]) / len(texts)}
        if not name.startswith("in_scope"):
            group["auc"] = auc(score["in_scope"], score[name])
        for config, figures in models.items():
            intents = figures["intents"]
            group[f"flagged_{config}"] = sum(intents[t][0] in FLAGGED for t in texts) / len(texts)
            group[f"flagged_{config}_or_below"] = sum(
                intents[t][0] in FLAGGED or s < threshold for t, s in zip(texts, score[name])) / len(texts)
        result["groups"][name] = group
    return result


# --- the run -----------------------------------------------------------------------------

def measure(work: Path) -> dict:
    """Train and evaluate each config, then time the models alternately (same machine load)."""
    results = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "loadavg_start": os.getloadavg(),
               "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                        text=True).stdout.strip(), "configs": {}}
    models = {}
    for name, config in CONFIGS.items():
        trained = train(name, config)
        models[name] = Path(trained["model"])
        results["configs"][name] = {"train_s": trained["train_s"], "train_loadavg": trained["loadavg_at_start"],
                                    "model_mb": trained["model_bytes"] / 1e6,
                                    "heldout": heldout(name, models[name], work / f"heldout-{name}")}
    parses: Dict[str, list] = {name: [] for name in models}
    turns: Dict[str, list] = {name: [] for name in models}
    starts: Dict[str, list] = {name: [] for name in models}
    with action_server(work) as actions:
        for repeat in range(REPEATS):
            for name, model in models.items():
                log(f"{name}: NLU latency, per-turn latency, cold start (run {repeat + 1}/{REPEATS})")
                parses[name].append(nlu_latency(model, work, f"{name}-{repeat}"))
                turns[name].append(inprocess_run(model, actions["url"], work, f"{name}-{repeat}", rounds=2))
                starts[name].append(cold_start(model, actions["url"], work))
    for name, figures in results["configs"].items():
        figures["nlu_parse"] = summary_ms([s for run in parses[name] for s in run["parse_s"]])
        figures["nlu_load_and_first_parse_s"] = median(run["load_and_first_parse_s"] for run in parses[name])
        figures["intents"] = parses[name][0]["intents"]
        figures["turns"] = {k: v for k, v in pool(turns[name]).items() if k != "turn_seconds"}
        figures["cold_start_s"] = median(s["cold_start_s"] for s in starts[name])
        figures["rasa_peak_rss_mb"] = max(s["peak_rss_mb"] for s in starts[name])
    results["out_of_scope"] = out_of_scope(results["configs"])
    results["loadavg_end"] = os.getloadavg()
    return results


# --- the report --------------------------------------------------------------------------

def report(results: dict) -> str:
    """bench/embeddings.md from the measured figures."""
    project, embeddings = results["configs"]["project"], results["configs"]["embeddings"]

    def row(label, get, fmt, target=""):
        return f"| {label} | {fmt.format(get(project))} | {fmt.format(get(embeddings))} | {target} |"

    targets = [("per-turn p95 in-process", lambda c: c["turns"]["wall"]["p95_ms"], "inprocess_p95_ms", "ms"),
               ("cold start", lambda c: c["cold_start_s"], "cold_start_s", "s"),
               ("Rasa server peak RSS", lambda c: c["rasa_peak_rss_mb"], "rasa_rss_mb", "MB")]
    missed = [(label, get(project), get(embeddings), TARGETS[key], unit) for label, get, key, unit in targets
              if get(embeddings) >= TARGETS[key]]
    held = [(project["heldout"][k], embeddings["heldout"][k])
            for k in ("accuracy", "macro_f1", "response_selection_accuracy")]
    heldout_up = all(after >= before for before, after in held) and any(after > before for before, after in held)
    extra_cpu = embeddings["turns"]["cpu"]["p50_ms"] - project["turns"]["cpu"]["p50_ms"]
    oos = results["out_of_scope"]
    lines = [
        "# Sentence embeddings (all-MiniLM-L6-v2) as NLU features", "",
        f"Generated by `.venv/bin/python -m bench.embeddings` on {results['started']} at commit {results['commit']} "
        f"(load average {results['loadavg_start'][0]:.1f} at the start, {results['loadavg_end'][0]:.1f} at the end, "
        "on 2 shared cores: timings are noisy). `config.yml` against `bench/config-embeddings.yml` (the same plus "
        "`components.sentence_embeddings.SentenceEmbeddingFeaturizer`, whose 384-d sentence embedding goes to DIET "
        "and the ResponseSelector next to the sparse features), trained on the same `domain.yml` and `data/`. "
        f"Timings alternate the two models, {REPEATS} runs each: NLU latency is `Agent.parse_message` over the "
        "held-out and off-topic messages (3 passes after a warm-up), per-turn latency the scripted conversations of "
        "`make bench` with the action server (`bench/inprocess.py`), cold start `rasa run` to the first answer. "
        "The encoder (`components/minilm.py`, NumPy, one BLAS thread) gives the token ids and embeddings of Hugging "
        "Face's implementation (`bench/minilm_reference.py`, `tests/components/test_sentence_embeddings.py`).", "",
        "| measure | project config | + sentence embeddings | target |", "| --- | ---: | ---: | ---: |",
        row("held-out intent accuracy", lambda c: c["heldout"]["accuracy"], "{:.1%}"),
        row("held-out intent macro F1", lambda c: c["heldout"]["macro_f1"], "{:.3f}"),
        row("held-out response selection accuracy", lambda c: c["heldout"]["response_selection_accuracy"], "{:.1%}"),
        row("NLU latency per message p50 / p95 (ms)",
            lambda c: (c["nlu_parse"]["p50_ms"], c["nlu_parse"]["p95_ms"]), "{0[0]:.1f} / {0[1]:.1f}"),
        row("per-turn latency in-process p50 / p95 (ms)",
            lambda c: (c["turns"]["wall"]["p50_ms"], c["turns"]["wall"]["p95_ms"]), "{0[0]:.1f} / {0[1]:.1f}",
            f"p95 < {TARGETS['inprocess_p95_ms']} ms"),
        row("per-turn latency in-process p50 / p95, the run with the lowest p95 (ms)",
            lambda c: min((r["wall"]["p95_ms"], r["wall"]["p50_ms"]) for r in c["turns"]["runs"])[::-1],
            "{0[0]:.1f} / {0[1]:.1f}"),
        row("per-turn CPU time in-process p50 (ms)", lambda c: c["turns"]["cpu"]["p50_ms"], "{:.1f}"),
        row("scripted checks ending with the verdict", lambda c: (c["turns"]["checks_succeeded"],
            c["turns"]["checks_total"]), "{0[0]}/{0[1]}"),
        row("cold start, `rasa run` to first answer (s, median)", lambda c: c["cold_start_s"], "{:.1f}",
            f"< {TARGETS['cold_start_s']} s"),
        row("Rasa server peak RSS (MB)", lambda c: c["rasa_peak_rss_mb"], "{:,.0f}", f"< {TARGETS['rasa_rss_mb']:,} MB"),
        row("training time (s; load average when it started)", lambda c: (c["train_s"], c["train_loadavg"]),
            "{0[0]:.0f} ({0[1]:.1f})"),
        row("model size (MB)", lambda c: c["model_mb"], "{:.1f}"), "",
        "## Out of scope", "",
        f"Score of a message: its highest cosine similarity to the {oos['reference_examples']} in-scope training "
        "examples (every intent but out_of_scope); topic questions are the held-out ask_* and check_* messages. "
        "The threshold keeps "
        f"{KEEP_IN_SCOPE:.0%} of the in-scope held-out messages in scope (cosine {oos['threshold']:.3f}). AUC: the "
        "chance that an in-scope held-out message scores higher than one of the group. \"flagged\": the model's "
        "intent is out_of_scope or nlu_fallback (what the assistant does now).", "",
        "| messages | n | median score | AUC | below threshold | flagged, project | flagged, + embeddings "
        "| flagged (project) or below threshold |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, g in sorted(oos["groups"].items(), key=lambda item: not item[0].startswith("in_scope")):
        auc_text = f"{g['auc']:.3f}" if "auc" in g else ""
        lines.append(f"| {name.replace('_', ' ')} | {g['n']} | {g['max_cosine_median']:.3f} | {auc_text} | "
                     f"{g['below_threshold']:.0%} | {g['flagged_project']:.0%} | {g['flagged_embeddings']:.0%} | "
                     f"{g['flagged_project_or_below']:.0%} |")
    lines += ["", "The in-scope held-out messages with the lowest scores: "
              + ", ".join(f"\"{text}\" ({value:.2f})" for text, value in oos["lowest_in_scope"]) + ".",
              "", "## Verdict", "",
              f"Held-out intent accuracy {held[0][0]:.1%} -> {held[0][1]:.1%}, macro F1 {held[1][0]:.3f} -> "
              f"{held[1][1]:.3f}, response selection {held[2][0]:.1%} -> {held[2][1]:.1%}: the held-out figures "
              f"{'rise' if heldout_up else 'do not rise'}. The embeddings add {extra_cpu:.1f} ms of CPU time to a "
              "turn's median (CPU time moves less with the machine's load than wall time)."]
    for label, before, after, target, unit in missed:
        lines.append(f"Target missed with the embeddings: {label} {after:,.1f} {unit} (target < {target:,} {unit}; "
                     f"project config in the same run: {before:,.1f} {unit}"
                     + (", so the machine's load misses it too)." if before >= target else ")."))
    lines += ["", "Adopting the featurizer is supported by these figures." if heldout_up and not missed
              else "These figures do not justify adopting the featurizer.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parse", nargs=3, metavar=("MODEL", "TEXTS_JSON", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.parse:
        model, texts, out = args.parse
        write_json(Path(out), asyncio.run(parse_all(Path(model), json.loads(Path(texts).read_text()))))
        return
    with tempfile.TemporaryDirectory(prefix="bench-embeddings-") as work:
        results = measure(Path(work))
    write_json(BENCH / "embeddings.json", results)
    text = report(results)
    (BENCH / "embeddings.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
