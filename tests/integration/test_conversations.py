"""Full conversations over REST against the real servers: one per verdict of each topic.

Each case lists what the patient sends (free text and button payloads) and the facts those
answers amount to; the bot's final answer must carry the rule module's verdict for them.
"""
import itertools

import pytest

from knowledge import assess
from tests.integration.rest import send, texts

pytestmark = pytest.mark.servers

RES = '/inform{{"res_question":"{}"}}'
CASES = [
    # topic STOP
    ("stop", "no_stopping_criteria", ["can I stop my treatment?", "yes"], {"cirrhosis": True}),
    ("stop", "criteria_not_met", ["/check_stop", "no", "interferon", "3 months"],
     {"cirrhosis": False, "therapy": "interferon", "months_on_treatment": 3}),
    ("stop", "criteria_met", ["/check_stop", "/deny", "peginterferon", "14 months"],
     {"cirrhosis": False, "therapy": "peg_interferon", "months_on_treatment": 14}),
    ("stop", "undetermined", ["/check_stop", "/dont_know", "entecavir", "3 years", "/dont_know",
                              "/affirm", "/affirm", "2 years", "3"],
     {"therapy": "entecavir", "months_on_treatment": 36, "hbv_dna_undetectable": True,
      "alt_normal": True, "consolidation_months": 24, "consolidation_checks": 3}),
    # topic IFN
    ("interferon", "appropriate", ["my ALT is 120 with the upper limit 40, can I have interferon?"],
     {"alt": "120 U/L", "alt_uln": 40}),
    ("interferon", "lower_response", ["/check_interferon", "normal", "/dont_know", "30", "/deny",
                                      "/affirm", "/deny"],
     {"alt": "normal", "age": 30, "family_history": False, "hbeag_positive": True,
      "imaging_liver_lesions": False}),
    ("interferon", "biopsy_recommended", ["/check_interferon", "50 U/L", "40", "/dont_know", "45"],
     {"alt": "50 U/L", "alt_uln": 40, "age": 45}),
    ("interferon", "treatment_recommended", ["/check_interferon", "1.5 x ULN", "G2"],
     {"alt_x_uln": 1.5, "biopsy_grade": "G2"}),
    ("interferon", "defer_interferon", ["/check_interferon", "15 times the upper limit", "/deny"],
     {"alt_x_uln": 15, "alt_falling": False}),
    ("interferon", "interferon_possible_with_specialist",
     ["/check_interferon", "15x ULN", "/affirm", "/deny"],
     {"alt_x_uln": 15, "alt_falling": True, "bilirubin_raised": False}),
    ("interferon", "undetermined", ["/check_interferon", "/dont_know"], {}),
    # topic RES
    ("resistance", "not_preferred", ["/check_resistance", RES.format("drug_choice"), "adefovir", "/affirm"],
     {"question": "drug_choice", "drug": "adefovir", "hbeag_positive": True}),
    ("resistance", "no_objection", ["/check_resistance", RES.format("drug_choice"), "entecavir"],
     {"question": "drug_choice", "drug": "entecavir"}),
    ("resistance", "undetermined", ["/check_resistance", RES.format("drug_choice"), "/dont_know"],
     {"question": "drug_choice"}),
    ("resistance", "primary_non_response", ["/check_resistance", RES.format("na_response"),
                                            "10^7 IU/mL", "5 x 10^6 IU/mL"],
     {"question": "na_response", "hbv_dna_baseline": "10^7 IU/mL", "hbv_dna_3m": "5 x 10^6 IU/mL"}),
    ("resistance", "poor_response", ["/check_resistance", RES.format("na_response"),
                                     "10^7 IU/mL", "10^6 IU/mL", "10^6 IU/mL"],
     {"question": "na_response", "hbv_dna_baseline": "10^7 IU/mL", "hbv_dna_3m": "10^6 IU/mL",
      "hbv_dna_6m": "10^6 IU/mL"}),
    ("resistance", "adequate_response", ["/check_resistance", RES.format("na_response"),
                                         "10^7 IU/mL", "10^5 IU/mL", "undetectable"],
     {"question": "na_response", "hbv_dna_baseline": "10^7 IU/mL", "hbv_dna_3m": "10^5 IU/mL",
      "hbv_dna_6m": "undetectable"}),
    ("resistance", "adjust_plan", ["/check_resistance", RES.format("ifn_week32"), "10^7 IU/mL", "10^6 IU/mL"],
     {"question": "ifn_week32", "hbv_dna_baseline": "10^7 IU/mL", "hbv_dna_week32": "10^6 IU/mL"}),
    ("resistance", "on_track", ["/check_resistance", RES.format("ifn_week32"), "10^7 IU/mL", "10^4 IU/mL"],
     {"question": "ifn_week32", "hbv_dna_baseline": "10^7 IU/mL", "hbv_dna_week32": "10^4 IU/mL"}),
    ("resistance", "clinical_resistance", ["/check_resistance", RES.format("monitoring"),
                                           "10^6 IU/mL", "undetectable", "10^7 IU/mL", "/affirm", "/deny"],
     {"question": "monitoring", "hbv_dna_current": "10^6 IU/mL", "hbv_dna_nadir": "undetectable",
      "hbv_dna_baseline": "10^7 IU/mL", "alt_was_normal": True, "alt_now_normal": False}),
    ("resistance", "breakthrough", ["/check_resistance", RES.format("monitoring"), "10^7 IU/mL",
                                    "1000 IU/mL", "10^5 IU/mL", "/affirm", "/affirm", "/deny"],
     {"question": "monitoring", "hbv_dna_current": "10^7 IU/mL", "hbv_dna_nadir": "1000 IU/mL",
      "hbv_dna_baseline": "10^5 IU/mL", "alt_was_normal": True, "alt_now_normal": True,
      "mutation_found": False}),
    ("resistance", "virological_rebound", ["/check_resistance", RES.format("monitoring"), "10^4 IU/mL",
                                           "100 IU/mL", "10^6 IU/mL", "/affirm", "/affirm", "/deny"],
     {"question": "monitoring", "hbv_dna_current": "10^4 IU/mL", "hbv_dna_nadir": "100 IU/mL",
      "hbv_dna_baseline": "10^6 IU/mL", "alt_was_normal": True, "alt_now_normal": True,
      "mutation_found": False}),
    ("resistance", "genotypic_resistance", ["/check_resistance", RES.format("monitoring"), "100 IU/mL",
                                            "100 IU/mL", "10^6 IU/mL", "/affirm", "/affirm", "/affirm"],
     {"question": "monitoring", "hbv_dna_current": "100 IU/mL", "hbv_dna_nadir": "100 IU/mL",
      "hbv_dna_baseline": "10^6 IU/mL", "alt_was_normal": True, "alt_now_normal": True,
      "mutation_found": True}),
    ("resistance", "no_signal", ["/check_resistance", RES.format("monitoring"), "100 IU/mL",
                                 "100 IU/mL", "10^6 IU/mL", "/affirm", "/affirm", "/deny"],
     {"question": "monitoring", "hbv_dna_current": "100 IU/mL", "hbv_dna_nadir": "100 IU/mL",
      "hbv_dna_baseline": "10^6 IU/mL", "alt_was_normal": True, "alt_now_normal": True,
      "mutation_found": False}),
]
conversation_ids = itertools.count()


@pytest.mark.parametrize("topic, verdict, messages, facts", CASES,
                         ids=[f"{topic}-{verdict}" for topic, verdict, _, _ in CASES])
def test_conversation_ends_with_the_rule_modules_verdict(rasa_url, topic, verdict, messages, facts):
    expected = assess(topic, facts)
    assert expected.verdict == verdict, "the case's facts do not give the verdict it is named after"
    sender = f"e2e-{topic}-{verdict}-{next(conversation_ids)}"
    replies = [send(rasa_url, sender, message) for message in messages]
    final = texts(replies[-1])
    assert expected.message.splitlines()[0] in final, "\n\n".join(texts(r) for r in replies)
    assert "Sources:" in final and "your doctor" in final
