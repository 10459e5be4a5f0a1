"""Timed training and 5-fold NLU cross-validation, cached under bench/.cache by input hash.

A cache entry is keyed by a hash of the config, domain.yml and data/ (plus components/ and
knowledge/ for cross-validation, whose evaluation runs the custom components) and the Rasa
version, so a re-run skips what has not changed. Training runs with an empty Rasa training
cache of its own (RASA_CACHE_DIRECTORY), so the time is a full training.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

from bench.common import CACHE, CONFIGS, ENV, RASA, REPO, inputs_hash, log, read_json, write_json

HEARTBEAT_S = 60
TRAIN_TIMEOUT_S = 3 * 3600


def run_logged(command: List[str], log_file: Path, label: str, env: Dict[str, str]) -> Dict[str, float]:
    """Run a command with its output in `log_file`, printing a heartbeat; return wall time
    and the peak RSS of the process tree's largest process (getrusage of the child)."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with log_file.open("w") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        next_beat = started + HEARTBEAT_S
        try:
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    process.returncode = os.waitstatus_to_exitcode(status)
                    break
                now = time.monotonic()
                if now - started > TRAIN_TIMEOUT_S:
                    raise TimeoutError(f"{label}: gave up after {TRAIN_TIMEOUT_S} s")
                if now >= next_beat:
                    log(f"  ... {label}: {now - started:.0f} s{_last_progress(log_file)}")
                    next_beat += HEARTBEAT_S
                time.sleep(0.5)
        finally:
            if process.returncode is None:
                process.kill()
                process.wait()
    seconds = time.monotonic() - started
    if process.returncode != 0:
        raise RuntimeError(f"{label} failed (exit {process.returncode}); see {log_file}:\n"
                           + log_file.read_text()[-3000:])
    return {"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024}


def _last_progress(log_file: Path) -> str:
    """The last tqdm line ("Epochs: 35%|...") or fold line of a training log, if any."""
    try:
        tail = log_file.read_bytes()[-4000:].decode(errors="replace")
    except OSError:
        return ""
    pieces = [p.strip() for p in re.split(r"[\r\n]", tail) if p.strip()]
    for piece in reversed(pieces):
        if piece.startswith("Epochs:") or "Training" in piece or "fold" in piece.lower():
            return f" ({piece[:90]})"
    return ""


@contextlib.contextmanager
def entry_lock(folder: Path, wait: bool = True):
    """Serialise work on one cache entry between processes (a second one waits, then reuses it).
    Yields False when `wait` is off and another process holds the entry."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with (folder.parent / f"{folder.name}.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True


def train(name: str, config: Optional[Path] = None) -> dict:
    """Train config `name` ("project" or "default", or any name with its `config` file) on
    domain.yml and data/ (cached; a config with custom components also keyed on their code)."""
    config = config or CONFIGS[name]
    key = inputs_hash(config, with_code=name not in CONFIGS)
    folder = CACHE / "models" / f"{name}-{key}"
    with entry_lock(folder):
        return _train(name, config, key, folder)


def _train(name: str, config: Path, key: str, folder: Path) -> dict:
    meta_file = folder / "meta.json"
    meta = read_json(meta_file)
    model = folder / f"{name}.tar.gz"
    if meta and model.exists():
        log(f"training {name} config: cached ({folder.relative_to(REPO)}, trained in {meta['train_s']:.0f} s)")
        return {**meta, "model": str(model), "cached": True}
    log(f"training {name} config ({config.relative_to(REPO)}) -> {folder.relative_to(REPO)}")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="bench-rasa-cache-") as rasa_cache:
        result = run_logged(
            [str(RASA), "train", "--config", str(config), "--domain", "domain.yml", "--data", "data",
             "--out", str(folder), "--fixed-model-name", name],
            folder / "train.log", f"training {name}", {**ENV, "RASA_CACHE_DIRECTORY": rasa_cache})
    meta = {"config": name, "key": key, "train_s": result["seconds"],
            "train_peak_rss_mb": result["peak_rss_mb"], "model_bytes": model.stat().st_size,
            "loadavg_at_start": os.getloadavg()[0], "trained_at": time.strftime("%Y-%m-%d %H:%M:%S")}
    write_json(meta_file, meta)
    log(f"training {name} config: {meta['train_s']:.0f} s, model {meta['model_bytes'] / 1e6:.1f} MB")
    return {**meta, "model": str(model), "cached": False}


CV_LINE = re.compile(r"\b(train|test) (accuracy|f1-score|precision): ([\d.]+) \(([\d.]+)\)", re.IGNORECASE)


def per_fold(log_text: str) -> dict:
    """Mean (standard deviation) over the folds, as `rasa test nlu` logs them: intents first,
    then response selection."""
    out: dict = {}
    section = None
    for line in log_text.splitlines():
        if "Intent evaluation results" in line:
            section = "intent"
        elif "Response Selection evaluation results" in line:
            section = "response_selection"
        elif "Entity evaluation results" in line:
            section = None
        match = CV_LINE.search(line)
        if section and match:
            split, metric, mean, std = match.groups()
            out.setdefault(section, {})[f"{split} {metric.lower()}"] = {"mean": float(mean), "std": float(std)}
    return out


def cross_validate(name: str, folds: int = 5, run_if_missing: bool = True) -> dict:
    """`rasa test nlu --cross-validation --folds 5` of config `name` on data/ (cached)."""
    config = CONFIGS[name]
    key = inputs_hash(config, with_code="components." in config.read_text(), extra=f"folds={folds}")
    folder = CACHE / "cv" / f"{name}-{key}"
    with entry_lock(folder, wait=run_if_missing) as locked:
        if not locked:
            log(f"cross-validation {name} config: running in another process, skipped (--quick)")
            return {"config": name, "key": key, "folds": folds, "cv_s": None, "accuracy": None,
                    "macro_f1": None, "skipped": True}
        return _cross_validate(name, config, key, folder, folds, run_if_missing)


def _cross_validate(name: str, config: Path, key: str, folder: Path, folds: int, run_if_missing: bool) -> dict:
    meta = read_json(folder / "meta.json")
    if meta and ("per_fold" not in meta or "top_confusions" not in meta):
        meta = _summarise_cv(meta, folder)
        write_json(folder / "meta.json", meta)
    if meta:
        log(f"cross-validation {name} config: cached ({folder.relative_to(REPO)}, took {meta['cv_s']:.0f} s)")
        return {**meta, "cached": True}
    if not run_if_missing:
        log(f"cross-validation {name} config: not cached, skipped (--quick)")
        return {"config": name, "key": key, "folds": folds, "cv_s": None, "accuracy": None, "macro_f1": None,
                "skipped": True}
    log(f"cross-validation ({folds} folds) of {name} config -> {folder.relative_to(REPO)}")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="bench-rasa-cache-") as rasa_cache:
        result = run_logged(
            [str(RASA), "test", "nlu", "--cross-validation", "--folds", str(folds), "--config", str(config),
             "--nlu", "data", "--domain", "domain.yml", "--out", str(folder / "report"), "--no-plot"],
            folder / "cv.log", f"cross-validation {name}", {**ENV, "RASA_CACHE_DIRECTORY": rasa_cache})
    meta = _summarise_cv({"config": name, "key": key, "folds": folds, "cv_s": result["seconds"],
                          "ran_at": time.strftime("%Y-%m-%d %H:%M:%S")}, folder)
    write_json(folder / "meta.json", meta)
    log(f"cross-validation {name} config: accuracy {meta['accuracy']:.3f}, macro F1 {meta['macro_f1']:.3f}"
        f" ({meta['cv_s']:.0f} s)")
    return {**meta, "cached": False}


def _summarise_cv(meta: dict, folder: Path) -> dict:
    """Accumulated test-fold scores, per-fold mean and spread, and the commonest confusions."""
    report = read_json(folder / "report" / "intent_report.json") or {}
    selection = read_json(folder / "report" / "response_selection_report.json") or {}
    errors = read_json(folder / "report" / "intent_errors.json") or []
    pairs: Dict[tuple, int] = {}
    for error in errors:
        pair = (error["intent"], error["intent_prediction"]["name"])
        pairs[pair] = pairs.get(pair, 0) + 1
    log_file = folder / "cv.log"
    return {**{k: v for k, v in meta.items() if k != "per_fold_test"},
            "accuracy": report.get("accuracy"), "macro_f1": report.get("macro avg", {}).get("f1-score"),
            "weighted_f1": report.get("weighted avg", {}).get("f1-score"),
            "examples": report.get("macro avg", {}).get("support"),
            "response_selection_accuracy": selection.get("accuracy"),
            "per_fold": per_fold(log_file.read_text(errors="replace")) if log_file.exists() else {},
            "top_confusions": [[a, b, n] for (a, b), n in sorted(pairs.items(), key=lambda x: -x[1])[:6]]}


def heldout(name: str, model: Path, out: Path) -> dict:
    """Intent accuracy and macro F1 of `model` on tests/nlu/heldout.yml (never trained on)."""
    log(f"held-out NLU evaluation of the {name} model")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    result = run_logged([str(RASA), "test", "nlu", "--nlu", "tests/nlu/heldout.yml", "--model", str(model),
                         "--out", str(out / "report"), "--no-plot"],
                        out / "heldout.log", f"held-out evaluation {name}", ENV)
    report = read_json(out / "report" / "intent_report.json") or {}
    selection = read_json(out / "report" / "response_selection_report.json") or {}
    errors = read_json(out / "report" / "intent_errors.json") or []
    meta = {"config": name, "accuracy": report.get("accuracy"),
            "macro_f1": report.get("macro avg", {}).get("f1-score"),
            "weighted_f1": report.get("weighted avg", {}).get("f1-score"),
            "support": report.get("macro avg", {}).get("support"),
            "response_selection_accuracy": selection.get("accuracy"),
            "errors": [{"text": e["text"], "intent": e["intent"], "predicted": e["intent_prediction"]["name"]}
                       for e in errors], "eval_s": result["seconds"]}
    write_json(out / "meta.json", meta)
    log(f"held-out {name}: intent accuracy {meta['accuracy']:.3f}, macro F1 {meta['macro_f1']:.3f}")
    return meta
