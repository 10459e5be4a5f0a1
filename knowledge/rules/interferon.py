"""Topic IFN (seed 002): is now a good time for interferon, judged by ALT?"""

from __future__ import annotations

from typing import Any

from ..data import thresholds
from ..facts import InterferonFacts
from ..logic import Criterion, Status, all_of, at_least, at_most, from_flag
from ..result import Assessment
from ..texts import bullet_list, topic_text
from .common import Cited, answer, criterion

TOPIC = "interferon"


def _alt_x_uln_and_assumptions(facts: InterferonFacts) -> tuple[float | None, set[str]] | None:
    """x = ALT / ULN and the assumptions behind it; None when ALT is unknown.

    `alt_x_uln` wins; otherwise ALT in U/L is divided by `alt_uln`, the report's own limit or the
    default limit. x is None when ALT was only reported as 'normal'.
    """
    if facts.alt_x_uln is not None:
        return facts.alt_x_uln, set()
    if facts.alt is None:
        return None
    x, default_used = facts.alt.times_uln(facts.alt_uln)
    flags = {"alt_in_u_per_l"} if facts.alt.u_per_l is not None else set()
    return x, flags | ({"default_uln_used"} if default_used else set())


def assess_interferon(facts: InterferonFacts) -> Assessment:
    """IFN-WINDOW: 2 <= x <= 10 is the time for interferon; below and above it, the guide's
    advice for a low (IFN-LOW, IFN-BIOPSY) or very high (IFN-HIGH, IFN-HIGH-THEN) ALT."""
    window = thresholds("IFN-WINDOW")
    level = _alt_x_uln_and_assumptions(facts)
    if level is None:
        unknown = criterion("IFN-WINDOW", "alt_x_uln", Status.UNKNOWN)
        return answer(TOPIC, "undetermined", [unknown], ask=[], values=window)
    x, flags = level
    below = Status.NOT_MET if x is None else at_least(x, window["window_low"])
    above = Status.MET if x is None else at_most(x, window["window_high"])
    in_window = criterion("IFN-WINDOW", "alt_x_uln", all_of([below, above]), x)
    values = {**window, **thresholds("IFN-BIOPSY"), **({"x": x} if x is not None else {})}
    if below is Status.NOT_MET:
        return _below_window(facts, in_window, values, flags)
    if above is Status.NOT_MET:
        return _above_window(facts, in_window, values, flags)
    return answer(
        TOPIC, "appropriate", [in_window], ["IFN-PHASE", "IFN-FAVOURABLE"], values=values, flags=flags
    )


def _below_window(
    facts: InterferonFacts, in_window: Criterion, values: dict[str, Any], flags: set[str]
) -> Assessment:
    """x < 2: biopsy grade >= G2 -> treatment recommended; else any IFN-BIOPSY factor -> biopsy;
    else IFN-LOW (lower response), naming the factors still unknown."""
    limits = thresholds("IFN-BIOPSY")
    grade = criterion(
        "IFN-BIOPSY", "biopsy_grade", at_least(facts.biopsy_grade, limits["biopsy_grade"]), facts.biopsy_grade
    )
    factors = [
        criterion("IFN-BIOPSY", "age", at_least(facts.age, limits["age"]), facts.age),
        criterion("IFN-BIOPSY", "family_history", from_flag(facts.family_history)),
        criterion("IFN-BIOPSY", "hbeag_positive", from_flag(facts.hbeag_positive, favourable=False)),
        criterion("IFN-BIOPSY", "imaging_liver_lesions", from_flag(facts.imaging_liver_lesions)),
    ]
    criteria = [in_window, grade, *factors]
    reasons = [c.detail for c in factors if c.status is Status.MET]
    if grade.status is Status.MET:
        return answer(
            TOPIC,
            "treatment_recommended",
            criteria,
            ask=[],
            flags=flags,
            values={**values, "grade": facts.biopsy_grade},
        )
    if reasons:
        parts = [bullet_list(topic_text(TOPIC, "biopsy_reasons"), reasons)]
        if grade.status is Status.NOT_MET:
            parts.append(topic_text(TOPIC, "biopsy_done", **values))
        return answer(
            TOPIC,
            "biopsy_recommended",
            criteria,
            [("IFN-BIOPSY", "biopsy"), "IFN-LOW"],
            ask=[],
            parts=parts,
            values=values,
            flags=flags,
        )
    return answer(
        TOPIC,
        "lower_response",
        criteria,
        ["IFN-LOW", ("IFN-BIOPSY", "factors")],
        ask=[grade, *factors],
        values=values,
        flags=flags,
    )


def _above_window(
    facts: InterferonFacts, in_window: Criterion, values: dict[str, Any], flags: set[str]
) -> Assessment:
    """x > 10: IFN-HIGH defers interferon, unless ALT is falling without a bilirubin rise (IFN-HIGH-THEN)."""
    conditions = [
        criterion("IFN-HIGH-THEN", "alt_falling", from_flag(facts.alt_falling)),
        criterion("IFN-HIGH-THEN", "bilirubin_raised", from_flag(facts.bilirubin_raised, favourable=False)),
    ]
    possible = all_of(c.status for c in conditions) is Status.MET
    verdict = "interferon_possible_with_specialist" if possible else "defer_interferon"
    cited: list[Cited] = ["IFN-HIGH", ("IFN-HIGH-THEN", "possible" if possible else "later")]
    return answer(TOPIC, verdict, [in_window, *conditions], cited, values=values, flags=flags)
