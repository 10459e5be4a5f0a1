"""Topic STOP (seed 000): can antiviral therapy be stopped?"""

from __future__ import annotations

from ..data import RULES
from ..facts import StopFacts, drug_class, normalise_drug
from ..logic import Criterion, Status, at_least, decide, from_flag
from ..result import Assessment
from ..selection import rule_for
from ..texts import bullet_list, fill, topic_text
from .common import Cited, answer, criterion, required_criteria

TOPIC = "stop"
COURSE_RULES = ("STOP-IFN-COURSE", "STOP-PEG-COURSE")  # which one applies: rules.yaml, applies_when
NA_RULES = ("STOP-NA-EPOS", "STOP-NA-ENEG")
NOT_MET_RULES: list[Cited] = ["STOP-DANGER", "STOP-MONITOR"]


def assess_stop(facts: StopFacts) -> Assessment:
    """Cirrhosis first (no stopping criteria), then the criteria of the therapy family."""
    drug = normalise_drug(facts.therapy) if facts.therapy is not None else None
    no_cirrhosis = criterion("STOP-CIRRHOSIS", "cirrhosis", from_flag(facts.cirrhosis, favourable=False))
    if no_cirrhosis.status is Status.NOT_MET:
        return answer(
            TOPIC, "no_stopping_criteria", [no_cirrhosis], ["STOP-CIRRHOSIS", *NOT_MET_RULES], drug=drug
        )
    if drug is None:
        return answer(
            TOPIC,
            "undetermined",
            [no_cirrhosis],
            ["STOP-MONITOR"],
            parts=[topic_text(TOPIC, "therapy_unknown")],
        )
    if drug_class(drug) == "NA":
        return _nucleoside_analogue(facts, drug, no_cirrhosis)
    return _interferon_course(facts, drug, no_cirrhosis, rule_for(COURSE_RULES, therapy=drug))


def _interferon_course(facts: StopFacts, drug: str, no_cirrhosis: Criterion, course_rule: str) -> Assessment:
    """STOP-IFN-COURSE / STOP-PEG-COURSE: the course must be finished. A peginterferon course
    given in weeks is the one-year course from 48 weeks on (spec, "Decisions")."""
    criteria = [no_cirrhosis, *required_criteria(course_rule, facts)]
    weeks_for_one_year = RULES[course_rule].get("weeks_for_one_year")
    if weeks_for_one_year and facts.course_weeks is not None:
        criteria = [
            criterion(
                course_rule,
                c.criterion,
                at_least(facts.course_weeks, weeks_for_one_year),
                facts.months_on_treatment,
            )
            if c.criterion == "months_on_treatment"
            else c
            for c in criteria
        ]
    verdict = decide(criteria, "criteria_met", "criteria_not_met")
    if verdict == "criteria_met":
        cited = [
            *_after_course(course_rule, facts.ifn_response),
            ("STOP-NOT-MANDATORY", "interferon"),
            ("STOP-RELAPSE", "interferon"),
            "STOP-FOLLOWUP",
        ]
    elif verdict == "criteria_not_met":
        cited = [(course_rule, "not_finished"), *NOT_MET_RULES]
    else:
        cited = ["STOP-MONITOR"]
    return answer(TOPIC, verdict, criteria, cited, failed_header=topic_text(TOPIC, "failed"), drug=drug)


def _after_course(course_rule: str, responded: bool | None) -> list[Cited]:
    """What the guide says once the course is finished: PEG-IFN depends on marker trends; IFN on
    whether it worked (STOP-IFN-RESPONSE / STOP-IFN-NORESPONSE, both when not known)."""
    if course_rule == "STOP-PEG-COURSE":
        return [(course_rule, "finished")]
    if responded is None:
        return [("STOP-IFN-RESPONSE", "if_unknown"), ("STOP-IFN-NORESPONSE", "if_unknown")]
    return ["STOP-IFN-RESPONSE" if responded else "STOP-IFN-NORESPONSE"]


def _nucleoside_analogue(facts: StopFacts, drug: str, no_cirrhosis: Criterion) -> Assessment:
    """STOP-NA-EPOS / STOP-NA-ENEG, chosen by HBeAg before treatment; relapse figures per STOP-RELAPSE."""
    if facts.hbeag_positive_before_treatment is None:
        return _hbeag_unknown(facts, drug, no_cirrhosis)
    rule = _na_rule(drug, facts.hbeag_positive_before_treatment)
    criteria = [no_cirrhosis, *required_criteria(rule, facts)]
    verdict = decide(criteria, "criteria_met", "criteria_not_met")
    relapse = RULES["STOP-RELAPSE"]["relapse"].get(rule, {}).get(verdict)
    cited: list[Cited] = [("STOP-RELAPSE", None)] if relapse else []
    if verdict == "criteria_met":
        cited += ["STOP-FOLLOWUP", "STOP-NOT-MANDATORY"]
    elif verdict == "criteria_not_met":
        cited += NOT_MET_RULES
    else:
        cited += ["STOP-MONITOR"]
    return answer(
        TOPIC,
        verdict,
        criteria,
        cited,
        parts=[fill(relapse["message"])] if relapse else [],
        failed_header=topic_text(TOPIC, "failed"),
        relapse_risk=relapse and relapse["risk"],
        drug=drug,
    )


def _na_rule(drug: str, hbeag_positive_before_treatment: bool) -> str:
    return rule_for(NA_RULES, therapy=drug, hbeag_positive_before_treatment=hbeag_positive_before_treatment)


def _hbeag_unknown(facts: StopFacts, drug: str, no_cirrhosis: Criterion) -> Assessment:
    """The two NA rule sets differ, so the verdict is undetermined; say which criteria already fail."""
    hbeag = criterion("STOP-NA-EPOS", "hbeag_positive_before_treatment", Status.UNKNOWN)
    by_rule = {positive: required_criteria(_na_rule(drug, positive), facts) for positive in (True, False)}
    failing = [
        bullet_list(
            topic_text(TOPIC, header), [c.detail for c in by_rule[positive] if c.status is Status.NOT_MET]
        )
        for positive, header in ((True, "failed_if_positive"), (False, "failed_if_negative"))
    ]
    criteria = [no_cirrhosis, hbeag, *by_rule[True], *by_rule[False]]
    return answer(
        TOPIC,
        "undetermined",
        criteria,
        ["STOP-MONITOR"],
        parts=[topic_text(TOPIC, "hbeag_unknown"), *failing],
        drug=drug,
    )
