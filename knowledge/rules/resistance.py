"""Topic RES (seed 001): drug resistance - first choice, early response, warning signs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..data import RULES, thresholds
from ..facts import (
    DrugChoiceFacts,
    IfnWeek32Facts,
    MonitoringFacts,
    NaResponseFacts,
    ResistanceFacts,
    drug_label,
    normalise_drug,
)
from ..labvalues import HbvDna
from ..logic import Criterion, Status, all_of, any_of, at_least, at_most, decide, from_flag, negate
from ..result import Assessment
from ..selection import rule_applies
from ..texts import criterion_line, topic_text
from .common import Cited, answer, criterion

TOPIC = "resistance"
GOAL_RULE = {True: "RES-EPOS-GOAL", False: "RES-ENEG-GOAL"}
SIGNALS = {  # criterion -> verdict, most serious first
    "no_clinical_resistance": "clinical_resistance",
    "no_breakthrough": "breakthrough",
    "no_virological_rebound": "virological_rebound",
    "no_genotypic_resistance": "genotypic_resistance",
}
SIGNAL_RULES: dict[str, Cited] = {
    "clinical_resistance": "RES-GATE-4",
    "breakthrough": "RES-GATE-3",
    "virological_rebound": "RES-GATE-3",
    "genotypic_resistance": ("RES-GATE-2", "genotypic_resistance"),
}
# A drug-choice check gives its criterion and the copies/mL threshold its answer hangs on (if any).
ChoiceCheck = Callable[[DrugChoiceFacts], tuple[Criterion, float | None]]


def assess_resistance(facts: ResistanceFacts) -> Assessment:
    """Answer the resistance question that the type of `facts` stands for."""
    return _BY_QUESTION[type(facts)](facts)


# ---------------------------------------------------------------- first gate: drug choice


def _copies(dna: HbvDna | None) -> float | None:
    return dna.copies_per_ml if dna else None


def _adefovir(facts: DrugChoiceFacts) -> tuple[Criterion, float | None]:
    """RES-CHOICE-ADV: not a first choice when HBeAg-positive."""
    status = from_flag(facts.hbeag_positive, favourable=False)
    return criterion("RES-CHOICE-ADV", "hbeag_positive", status), None


def _lamivudine(facts: DrugChoiceFacts) -> tuple[Criterion, float | None]:
    """RES-CHOICE-LAM: not preferred above 10^7 copies/mL."""
    limit = thresholds("RES-CHOICE-LAM")["hbv_dna_copies"]
    copies = _copies(facts.hbv_dna)
    return criterion("RES-CHOICE-LAM", "hbv_dna", at_most(copies, limit), copies), limit


def _interferon(facts: DrugChoiceFacts) -> tuple[Criterion, float | None]:
    """RES-CHOICE-IFN: not preferred when HBV DNA > 10^6 copies/mL AND ALT < 3x ULN (Kleene AND)."""
    limits = thresholds("RES-CHOICE-IFN")
    alt_high_enough = at_least(facts.alt_x_uln, limits["alt_x_uln"])
    dna_low_enough = at_most(_copies(facts.hbv_dna), limits["hbv_dna_copies"])
    status = any_of([dna_low_enough, alt_high_enough])
    check = criterion("RES-CHOICE-IFN", "hbv_dna_and_alt_x_uln", status)
    if status is Status.UNKNOWN:  # ask only for the missing half
        missing = [
            name
            for name, part in (("hbv_dna", dna_low_enough), ("alt_x_uln", alt_high_enough))
            if part is Status.UNKNOWN
        ]
        check = replace(
            check, detail="; ".join(criterion_line("RES-CHOICE-IFN", name, "ask") for name in missing)
        )
    dna_matters = alt_high_enough is not Status.MET
    return check, limits["hbv_dna_copies"] if dna_matters else None


CHOICE_CHECKS: dict[str, ChoiceCheck] = {
    "RES-CHOICE-ADV": _adefovir,
    "RES-CHOICE-LAM": _lamivudine,
    "RES-CHOICE-IFN": _interferon,
}


def assess_drug_choice(facts: DrugChoiceFacts) -> Assessment:
    """First gate (RES-GATE-1): the RES-CHOICE-* rule that names the drug, if any."""
    if facts.drug is None:
        return answer(
            TOPIC,
            "undetermined",
            [],
            ["RES-GATE-1", "RES-PROFILE"],
            parts=[topic_text(TOPIC, "drug_unknown")],
        )
    drug = normalise_drug(facts.drug)
    checks = [check(facts) for rule, check in CHOICE_CHECKS.items() if rule_applies(rule, {"drug": drug})]
    criteria = [c for c, _ in checks]
    verdict = decide(criteria, "no_objection", "not_preferred")
    limits = [limit for _, limit in checks if limit is not None]
    borderline = bool(facts.hbv_dna and limits and facts.hbv_dna.is_borderline(limits[0]))
    profile = drug if drug in RULES["RES-PROFILE"]["messages"] else "default"
    cited: list[Cited] = [(c.rule, "not_preferred") for c in criteria if c.status is Status.NOT_MET]
    cited += ["RES-GATE-1", ("RES-PROFILE", profile)]
    if facts.hbeag_positive is not None:
        cited.append(GOAL_RULE[facts.hbeag_positive])
    values: dict[str, Any] = {"drug": drug_label(drug)}
    if facts.hbv_dna:
        values["dna_copies"] = facts.hbv_dna.copies_per_ml
    if borderline:
        values["borderline_copies"] = limits[0]
    return answer(
        TOPIC,
        verdict,
        criteria,
        cited,
        values=values,
        drug=drug,
        parts=[topic_text(TOPIC, "generic_na")] if drug == "nucleoside_analogue" else [],
        flags={"borderline"} if borderline else set(),
    )


# ---------------------------------------------------------------- response checks


def log_rise(earlier: HbvDna | None, later: HbvDna | None) -> float | None:
    """log10(later) - log10(earlier) (negative for a fall), rounded to 6 places; None if unknown.
    An undetectable value counts at its lower limit."""
    if earlier is None or later is None:
        return None
    return round(later.log10_iu - earlier.log10_iu, 6)


def _fall_criterion(
    rule: str, name: str, baseline: HbvDna | None, later: HbvDna | None
) -> tuple[Criterion, bool]:
    """Fall of at least the rule's minimum, and whether the answer was left open by the assay limit:
    when the later value is undetectable and the fall computed from its limit is too small, the
    true fall is unknown (it may be larger)."""
    rise = log_rise(baseline, later)
    fall = None if rise is None else 0.0 - rise
    status = at_least(fall, thresholds(rule)["minimum_drop"])
    if status is Status.NOT_MET and later is not None and later.undetectable:
        return criterion(rule, name, Status.UNKNOWN), True
    return criterion(rule, name, status, fall), False


def _falls(baseline: HbvDna | None, **later: HbvDna | None) -> dict[str, float]:
    """Message values drop_<name> for each known fall from the baseline."""
    rises = {name: log_rise(baseline, value) for name, value in later.items()}
    return {f"drop_{name}": 0.0 - rise for name, rise in rises.items() if rise is not None}


def _response_answer(
    verdict: str, checks: list[tuple[Criterion, bool]], cited: list[Cited], values: dict[str, Any]
) -> Assessment:
    """Ask only for what is really missing; explain results left open by the assay limit."""
    criteria = [c for c, _ in checks]
    parts = [topic_text(TOPIC, "undetectable_drop")] if any(open_ for _, open_ in checks) else []
    return answer(
        TOPIC,
        verdict,
        criteria,
        cited,
        values=values,
        parts=parts,
        ask=[c for c, open_ in checks if not open_],
    )


def assess_na_response(facts: NaResponseFacts) -> Assessment:
    """RES-NA-3M (fall >= 1 log at 3 months) then RES-NA-6M (>= 2 logs at 6 months)."""
    checks = [
        _fall_criterion("RES-NA-3M", "hbv_dna_3m", facts.hbv_dna_baseline, facts.hbv_dna_3m),
        _fall_criterion("RES-NA-6M", "hbv_dna_6m", facts.hbv_dna_baseline, facts.hbv_dna_6m),
    ]
    verdict = decide(
        [c for c, _ in checks],
        "adequate_response",
        {"hbv_dna_3m": "primary_non_response", "hbv_dna_6m": "poor_response"},
    )
    values = _falls(facts.hbv_dna_baseline, **{"3m": facts.hbv_dna_3m, "6m": facts.hbv_dna_6m})
    failed = [c.rule for c, _ in checks if c.status is Status.NOT_MET]
    cited: list[Cited] = []
    if failed:
        values.update(thresholds(failed[0]))
        cited = [("RES-NA-6M", "next_steps"), "RES-ADHERENCE", "RES-TESTING"]
    return _response_answer(verdict, checks, cited, values)


def assess_ifn_week32(facts: IfnWeek32Facts) -> Assessment:
    """RES-IFN-W32: a fall of less than 2 logs at week 32 means the plan needs review."""
    check = _fall_criterion("RES-IFN-W32", "hbv_dna_week32", facts.hbv_dna_baseline, facts.hbv_dna_week32)
    verdict = decide([check[0]], "on_track", "adjust_plan")
    values = {**thresholds("RES-IFN-W32"), **_falls(facts.hbv_dna_baseline, week32=facts.hbv_dna_week32)}
    cited: list[Cited] = [("RES-IFN-W32", "adjust_plan")] if verdict == "adjust_plan" else []
    return _response_answer(verdict, [check], [*cited, "RES-IFN-W32"], values)


# ---------------------------------------------------------------- gates 2-4: warning signs


def assess_monitoring(facts: MonitoringFacts) -> Assessment:
    """The most serious signal present: clinical resistance (RES-GATE-4), breakthrough and rebound
    (RES-GATE-3), genotypic resistance (RES-GATE-2); an undetectable nadir counts at its limit."""
    minimum = thresholds("RES-GATE-3")["minimum_rise"]
    above_nadir = log_rise(facts.hbv_dna_nadir, facts.hbv_dna_current)
    above_baseline = log_rise(facts.hbv_dna_baseline, facts.hbv_dna_current)
    clinical = all_of(
        [
            at_least(above_nadir, thresholds("RES-GATE-4")["minimum_rise"]),
            from_flag(facts.alt_was_normal),
            from_flag(facts.alt_now_normal, favourable=False),
        ]
    )
    criteria = [
        criterion("RES-GATE-4", "no_clinical_resistance", negate(clinical)),
        criterion("RES-GATE-3", "no_breakthrough", negate(at_least(above_baseline, minimum)), above_baseline),
        criterion(
            "RES-GATE-3", "no_virological_rebound", negate(at_least(above_nadir, minimum)), above_nadir
        ),
        criterion("RES-GATE-2", "no_genotypic_resistance", from_flag(facts.mutation_found, favourable=False)),
    ]
    verdict = decide(criteria, "no_signal", SIGNALS)
    values = {
        name: rise
        for name, rise in (("rise_nadir", above_nadir), ("rise_baseline", above_baseline))
        if rise is not None
    }
    cited: list[Cited] = []
    parts = []
    if verdict in SIGNAL_RULES:
        cited = [SIGNAL_RULES[verdict], "RES-HARM", "RES-SALVAGE", "RES-TESTING"]
        parts = [topic_text(TOPIC, "see_doctor_soon")]
    elif verdict == "undetermined":
        cited = ["RES-TESTING", "RES-HARM", ("RES-SALVAGE", "if_found")]
    return answer(TOPIC, verdict, criteria, cited, values=values, parts=parts)


_BY_QUESTION: dict[type, Callable[..., Assessment]] = {
    DrugChoiceFacts: assess_drug_choice,
    NaResponseFacts: assess_na_response,
    IfnWeek32Facts: assess_ifn_week32,
    MonitoringFacts: assess_monitoring,
}
