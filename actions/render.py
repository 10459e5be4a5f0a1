"""The parameters of an assessment's answer (the domain's `utter_assessment` says the rest)."""

from __future__ import annotations

from knowledge.data import COMMON, SEED_TITLES
from knowledge.result import Assessment
from knowledge.texts import criterion_line


def assessment_parameters(assessment: Assessment) -> dict[str, str]:
    """`answer`: verdict and explanation, criteria with their status, notes; `sources` and `rules`."""
    criteria = [
        f"- {COMMON['status'][c.status.value]}: {criterion_line(c.rule, c.criterion, 'need')}"
        for c in assessment.criteria
    ]
    parts = [
        assessment.message,
        "\n".join([COMMON["criteria_header"], *criteria]) if criteria else "",
        " ".join([COMMON["notes_header"], *assessment.notes]) if assessment.notes else "",
    ]
    seeds = dict.fromkeys(citation["seed"] for citation in assessment.citations)
    return {
        "answer": "\n\n".join(part for part in parts if part),
        "sources": "; ".join(f"{SEED_TITLES[seed]} ({seed})" for seed in seeds),
        "rules": ", ".join(assessment.rules),
    }
