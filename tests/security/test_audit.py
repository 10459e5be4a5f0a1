"""The dependency audit: how pip-audit's findings are judged against audit/ignore.yml."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from tests.servers import REPO

spec = importlib.util.spec_from_file_location("audit_script", REPO / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(spec)
sys.modules["audit_script"] = audit  # dataclasses look their module up there
spec.loader.exec_module(audit)

ENTRIES = [
    {
        "package": "aiohttp",
        "version": "3.9.5",
        "advisories": ["CVE-2024-52304"],
        "why_not_fixable": "pinned",
        "why_not_applicable": "C parser",
    },
    {
        "package": "tensorflow",
        "version": "2.12.0",
        "advisories": "any",
        "why_not_fixable": "pinned exactly",
        "why_not_applicable": "own model only",
    },
]


def report(*dependencies):
    return {"dependencies": list(dependencies)}


def vulnerable(name, version, *ids, aliases=()):
    return {
        "name": name,
        "version": version,
        "vulns": [{"id": id_, "aliases": list(aliases), "fix_versions": ["9.9"]} for id_ in ids],
    }


def test_an_advisory_that_the_ignore_list_does_not_accept_fails():
    verdict = audit.judge(
        report(vulnerable("aiohttp", "3.9.5", "GHSA-new-one"), vulnerable("jinja2", "3.1.6")), ENTRIES
    )
    assert len(verdict.failures) == 1 and "GHSA-new-one" in verdict.failures[0]
    assert verdict.audited == 2


def test_accepted_advisories_match_by_id_or_alias_and_only_for_the_reviewed_version():
    verdict = audit.judge(
        report(
            vulnerable("aiohttp", "3.9.5", "GHSA-8qpw", aliases=["CVE-2024-52304"]),
            vulnerable("tensorflow", "2.12.0", "PYSEC-1", "PYSEC-2"),
            vulnerable("tensorflow", "2.13.0", "PYSEC-3"),
        ),
        ENTRIES,
    )
    assert len(verdict.accepted) == 3
    assert [failure.split(":")[0] for failure in verdict.failures] == ["tensorflow 2.13.0"]


def test_unreachable_vulnerability_data_is_reported_and_fails_only_when_required(
    tmp_path, capsys, monkeypatch
):
    recorded = tmp_path / "report.json"
    recorded.write_text(json.dumps(report({"name": "rasa", "skip_reason": "not found"})))
    assert audit.main(["--report", str(recorded)]) == 0
    assert "NOT AUDITED" in capsys.readouterr().out
    monkeypatch.setenv("AUDIT_REQUIRED", "1")
    assert audit.main(["--report", str(recorded)]) == 1


def test_a_finding_makes_the_audit_fail(tmp_path):
    recorded = tmp_path / "report.json"
    recorded.write_text(json.dumps(report(vulnerable("sanic", "21.12.2", "GHSA-unreviewed"))))
    assert audit.main(["--report", str(recorded)]) == 1


def test_the_committed_ignore_list_has_both_reasons_and_matches_the_pins():
    entries = audit.load_ignore()
    assert entries and all(len(entry["why_not_applicable"]) > 40 for entry in entries)


@pytest.mark.parametrize(
    "entry, message",
    [
        (
            {"package": "aiohttp", "version": "3.9.5", "advisories": ["X"], "why_not_fixable": "pinned"},
            "lacks why_not_applicable",
        ),
        (
            {
                "package": "aiohttp",
                "version": "3.9.4",
                "advisories": ["X"],
                "why_not_fixable": "a",
                "why_not_applicable": "b",
            },
            "no longer matches constraints.txt",
        ),
    ],
)
def test_an_incomplete_or_outdated_entry_is_an_error(tmp_path, entry, message):
    import yaml

    path = tmp_path / "ignore.yml"
    path.write_text(yaml.safe_dump([entry]))
    with pytest.raises(ValueError, match=message):
        audit.load_ignore(path, {"aiohttp": "3.9.5"})
