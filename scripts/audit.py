"""Audit the pinned dependencies (constraints.txt) with pip-audit; run by `make test`.

pip-audit (pinned in audit/requirements.txt) is installed into its own .venv-audit so that it
cannot change the assistant's pins, and asks PyPI's vulnerability data about every pinned
version. A finding fails unless audit/ignore.yml accepts it with both reasons (why the fix is
out of reach under Rasa 3.6's pins, why it does not apply here). When the vulnerability data
cannot be reached for a package, that package is listed as not audited; when it cannot be
reached at all, the audit says so and passes, unless AUDIT_REQUIRED=1 (then it fails).

    .venv/bin/python scripts/audit.py [--report recorded-pip-audit.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
AUDIT_VENV = REPO / ".venv-audit"
REQUIREMENTS = REPO / "audit" / "requirements.txt"
IGNORE = REPO / "audit" / "ignore.yml"
REASONS = ("why_not_fixable", "why_not_applicable")


@dataclass
class Verdict:
    """What an audit found, sorted by what happens to it."""

    failures: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    unaudited: list[str] = field(default_factory=list)
    audited: int = 0

    @property
    def reached(self) -> bool:
        return self.audited > 0


def pins(path: Path = REPO / "constraints.txt") -> dict[str, str]:
    """Package (lower case) -> pinned version."""
    lines = (line.split("#")[0].strip() for line in path.read_text().splitlines())
    return {
        name.lower(): version for name, _, version in (line.partition("==") for line in lines if "==" in line)
    }


def load_ignore(path: Path = IGNORE, pinned: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The ignore entries, each complete and reviewed for the version constraints.txt pins."""
    pinned = pins() if pinned is None else pinned
    entries = yaml.safe_load(path.read_text()) or []
    for entry in entries:
        missing = [
            key
            for key in ("package", "version", "advisories", *REASONS)
            if not str(entry.get(key) or "").strip()
        ]
        if missing:
            raise ValueError(
                f"{path.name}: the entry for {entry.get('package')!r} lacks {', '.join(missing)}"
            )
        pin = pinned.get(str(entry["package"]).lower())
        if pin != str(entry["version"]):
            raise ValueError(
                f"{path.name}: the entry for {entry['package']} {entry['version']} no "
                f"longer matches constraints.txt ({pin or 'not pinned'}): review it"
            )
    return entries


def accepting_entry(
    package: str, version: str, ids: list[str], entries: list[dict[str, Any]]
) -> dict[str, Any] | None:
    for entry in entries:
        if entry["package"].lower() != package.lower() or str(entry["version"]) != version:
            continue
        if entry["advisories"] == "any" or set(ids) & set(entry["advisories"]):
            return entry
    return None


def judge(report: dict[str, Any], entries: list[dict[str, Any]]) -> Verdict:
    """Sort pip-audit's JSON report into failures, accepted advisories and unaudited packages."""
    verdict = Verdict()
    for dependency in report.get("dependencies", []):
        name = dependency["name"]
        if "skip_reason" in dependency:
            verdict.unaudited.append(name)
            continue
        verdict.audited += 1
        for vulnerability in dependency.get("vulns", []):
            ids = [vulnerability["id"], *vulnerability.get("aliases", [])]
            label = f"{name} {dependency['version']}: {', '.join(ids)}"
            entry = accepting_entry(name, dependency["version"], ids, entries)
            if entry is None:
                fixes = ", ".join(vulnerability.get("fix_versions", [])) or "none"
                verdict.failures.append(f"{label} (fixed in: {fixes})")
            else:
                verdict.accepted.append(f"{label}: {' '.join(entry['why_not_applicable'].split())[:100]}...")
    return verdict


def pip_audit_report() -> dict[str, Any]:
    """Run the pinned pip-audit over constraints.txt (installing it first when needed)."""
    marker = AUDIT_VENV / ".installed"
    if not marker.exists() or marker.stat().st_mtime < REQUIREMENTS.stat().st_mtime:
        python = subprocess.run(
            [str(REPO / "scripts" / "find-python310")], capture_output=True, text=True, check=True
        ).stdout.strip()
        subprocess.run([python, "-m", "venv", "--clear", str(AUDIT_VENV)], check=True)
        install = subprocess.run(
            [
                str(AUDIT_VENV / "bin" / "pip"),
                "install",
                "--quiet",
                "--no-deps",
                "--disable-pip-version-check",
                "-r",
                str(REQUIREMENTS),
            ],
            capture_output=True,
            text=True,
        )
        if install.returncode:
            raise RuntimeError(f"pip-audit could not be installed: {install.stderr.strip()[-800:]}")
        marker.touch()
    result = subprocess.run(
        [
            str(AUDIT_VENV / "bin" / "pip-audit"),
            "--no-deps",
            "--disable-pip",
            "-r",
            str(REPO / "constraints.txt"),
            "--format",
            "json",
            "--progress-spinner",
            "off",
        ],
        capture_output=True,
        text=True,
    )
    if not result.stdout.strip().startswith("{"):
        raise RuntimeError(f"pip-audit did not run: {result.stderr.strip()[-800:]}")
    return json.loads(result.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, help="judge a recorded pip-audit JSON report")
    args = parser.parse_args(argv)
    try:
        entries = load_ignore()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        report = json.loads(args.report.read_text()) if args.report else pip_audit_report()
    except (RuntimeError, subprocess.CalledProcessError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    verdict = judge(report, entries)
    for line in verdict.accepted:
        print(f"    accepted (audit/ignore.yml): {line}")
    if not verdict.reached:
        print(
            f"    NOT AUDITED: PyPI's vulnerability data could not be reached for any of the "
            f"{len(verdict.unaudited)} pinned packages (pip-audit needs pypi.org's JSON API)."
        )
        return 1 if os.environ.get("AUDIT_REQUIRED") == "1" else 0
    if verdict.unaudited:
        print(f"    not audited (not found on PyPI): {', '.join(verdict.unaudited)}")
    for line in verdict.failures:
        print(f"    VULNERABLE: {line}", file=sys.stderr)
    print(
        f"    {verdict.audited} packages audited: {len(verdict.failures)} unaccepted advisories, "
        f"{len(verdict.accepted)} accepted"
    )
    return 1 if verdict.failures else 0


if __name__ == "__main__":
    sys.exit(main())
