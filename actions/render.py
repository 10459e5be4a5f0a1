"""Render an assessment as the patient-facing answer."""
from typing import List

from knowledge.result import Assessment
from knowledge.texts import criterion_line
from knowledge.data import SEEDS

STATUS_MARKS = {"met": "✔ met", "not_met": "✘ not met", "unknown": "? unknown"}
SEED_TITLES = {
    SEEDS["stop"]: "patient guide on stopping antiviral treatment",
    SEEDS["resistance"]: "patient guide on preventing drug resistance",
    SEEDS["interferon"]: "patient guide on the timing of interferon",
}
REMINDER = ("This is general education, not a prescription: any decision about your "
            "treatment is made together with your doctor. Please don't stop or change "
            "a medicine on your own.")


def render(assessment: Assessment) -> str:
    """Verdict and explanation, criteria with their status, notes, sources, reminder."""
    parts: List[str] = [assessment.message]
    if assessment.criteria:
        lines = [f"- {STATUS_MARKS[c.status.value]}: {criterion_line(c.rule, c.criterion, 'need')}"
                 for c in assessment.criteria]
        parts.append("What the guide checks:\n" + "\n".join(lines))
    if assessment.notes:
        parts.append("Good to know: " + " ".join(assessment.notes))
    seeds = dict.fromkeys(citation["seed"] for citation in assessment.citations)
    parts.append("Sources: " + "; ".join(f"{SEED_TITLES[seed]} ({seed})" for seed in seeds)
                 + ". Rules: " + ", ".join(assessment.rules) + ".")
    parts.append(REMINDER)
    return "\n\n".join(parts)
