"""Timed training, held-out NLU evaluation and 5-fold cross-validation, cached in bench/.cache
under a hash of the config, domain.yml, data/ (and components/, knowledge/ when the config runs
them) and the Rasa version. Rasa's own training cache starts empty, so a training is timed in full.
"""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import CACHE, CONFIGS, ENV, RASA, REPO, inputs_hash, log, read_json, write_json

HEARTBEAT_S = 60
TIMEOUT_S = 3 * 3600
CV_LINE = re.compile(r"\b(train|test) (accuracy|f1-score|precision): ([\d.]+) \(([\d.]+)\)", re.IGNORECASE)
SECTIONS = {"Intent evaluation": "intent", "Response Selection evaluation": "response_selection", "Entity evaluation": None}


def run_rasa(command: list[str], folder: Path, label: str) -> float:
    """Run `rasa <command>` with its output in folder/run.log, a heartbeat every minute; its wall time."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-rasa-cache-") as rasa_cache, (folder / "run.log").open("w") as out:
        env = {**ENV, "RASA_CACHE_DIRECTORY": rasa_cache}
        process = subprocess.Popen([str(RASA), *command], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        while process.poll() is None and time.monotonic() - started < TIMEOUT_S:
            try:
                process.wait(timeout=HEARTBEAT_S)
            except subprocess.TimeoutExpired:
                log(f"  ... {label}: {time.monotonic() - started:.0f} s")
        process.kill()  # after TIMEOUT_S
    if process.wait():
        raise RuntimeError(f"{label} failed (exit {process.returncode}):\n{(folder / 'run.log').read_text()[-3000:]}")
    return time.monotonic() - started


def cached(kind: str, name: str, key: str, measure) -> dict:
    """bench/.cache/<kind>/<name>-<key>/meta.json, made by measure(folder) if missing (one run at a time)."""
    folder = CACHE / kind / f"{name}-{key}"
    meta = read_json(folder / "meta.json")
    if meta:
        log(f"{kind} {name} config: cached ({folder.relative_to(REPO)})")
        return {**meta, "cached": True}
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    meta = {"config": name, "key": key, **measure(folder)}
    write_json(folder / "meta.json", meta)
    return {**meta, "cached": False}


def train(name: str) -> dict:
    """Train config `name` ("project" or "default") on domain.yml and data/ (cached)."""

    def measure(folder: Path) -> dict:
        log(f"training {name} config ({CONFIGS[name].relative_to(REPO)}) -> {folder.relative_to(REPO)}")
        command = ["train", "--config", str(CONFIGS[name]), "--domain", "domain.yml", "--data", "data"]
        seconds = run_rasa([*command, "--out", str(folder), "--fixed-model-name", name], folder, f"training {name}")
        log(f"training {name} config: {seconds:.0f} s")
        model_bytes = (folder / f"{name}.tar.gz").stat().st_size
        return {"train_s": seconds, "model_bytes": model_bytes, "trained_at": time.strftime("%Y-%m-%d %H:%M:%S")}

    key = inputs_hash(CONFIGS[name])
    return {**cached("models", name, key, measure), "model": str(CACHE / "models" / f"{name}-{key}" / f"{name}.tar.gz")}


def scores(report: Path) -> dict:
    """Intent and response-selection scores of a `rasa test nlu` report folder."""
    intents = read_json(report / "intent_report.json") or {}
    average, errors = intents.get("macro avg", {}), read_json(report / "intent_errors.json") or []
    return {
        "accuracy": intents.get("accuracy"),
        "macro_f1": average.get("f1-score"),
        "support": average.get("support"),
        "response_selection_accuracy": (read_json(report / "response_selection_report.json") or {}).get("accuracy"),
        "errors": [{"text": e["text"], "intent": e["intent"], "predicted": e["intent_prediction"]["name"]} for e in errors],
    }


def heldout(name: str, model: Path, out: Path) -> dict:
    """Intent accuracy and macro F1 of `model` on tests/nlu/heldout.yml (never trained on)."""
    out.mkdir(parents=True, exist_ok=True)
    command = ["test", "nlu", "--nlu", "tests/nlu/heldout.yml", "--model", str(model), "--out", str(out / "report")]
    seconds = run_rasa([*command, "--no-plot"], out, f"held-out evaluation {name}")
    meta = {"config": name, **scores(out / "report"), "eval_s": seconds}
    log(f"held-out {name}: intent accuracy {meta['accuracy']:.3f}, macro F1 {meta['macro_f1']:.3f}")
    return meta


def cross_validate(name: str, folds: int = 5, run_if_missing: bool = True) -> dict:
    """`rasa test nlu --cross-validation` of config `name` (cached): scores, spread over folds, confusions."""
    key = inputs_hash(CONFIGS[name], with_code="components." in CONFIGS[name].read_text(), extra=f"folds={folds}")
    if not run_if_missing and not (CACHE / "cv" / f"{name}-{key}" / "meta.json").exists():
        log(f"cross-validation {name} config: not cached, skipped (--quick)")
        return {"config": name, "key": key, "cv_s": None, "accuracy": None, "macro_f1": None, "skipped": True}

    def measure(folder: Path) -> dict:
        log(f"cross-validation ({folds} folds) of {name} config -> {folder.relative_to(REPO)}")
        data = ["--config", str(CONFIGS[name]), "--nlu", "data", "--domain", "domain.yml", "--out", str(folder / "report")]
        command = ["test", "nlu", "--cross-validation", "--folds", str(folds), *data, "--no-plot"]
        seconds = run_rasa(command, folder, f"cross-validation {name}")
        found, per_fold, section = scores(folder / "report"), {}, None
        for line in (folder / "run.log").read_text(errors="replace").splitlines():
            section = next((part for title, part in SECTIONS.items() if title in line), section)
            match = CV_LINE.search(line)
            if section and match:
                split, metric, mean, std = match.groups()
                per_fold.setdefault(section, {})[f"{split} {metric.lower()}"] = {"mean": float(mean), "std": float(std)}
        pairs = collections.Counter((error["intent"], error["predicted"]) for error in found.pop("errors"))
        log(f"cross-validation {name} config: accuracy {found['accuracy']:.3f} ({seconds:.0f} s)")
        found.update(examples=found.pop("support"), folds=folds, cv_s=seconds, per_fold=per_fold)
        confusions = [[*pair, n] for pair, n in pairs.most_common(6)]
        return {**found, "ran_at": time.strftime("%Y-%m-%d %H:%M:%S"), "top_confusions": confusions}

    return cached("cv", name, key, measure)
