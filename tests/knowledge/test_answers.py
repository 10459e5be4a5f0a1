"""The answer reader: (question, typed answer, expected value) rows, negations and hedges included.

`PROBLEM` means the answer is refused with an explanation; `UNIT` means a viral load came
without its unit (the bot asks which); None means the message is not an answer at all.
"""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.answers import read_answer, read_conversation, read_statements, shown
from knowledge.data import CHECKS
from knowledge.phrases import normalise
from knowledge.questions import UNKNOWN

TODAY = date(2026, 11, 26)
PROBLEM, UNIT = "problem", "unit"
TOPIC = {slot: topic for topic, slots in CHECKS.items() for slot in slots}
TOPIC.update(alt="interferon", alt_uln="interferon", hbeag_positive="interferon")


def read(slot: str, text: str, topic: str = ""):
    reading = read_answer(text, slot, CHECKS[topic or TOPIC[slot]], TODAY)
    if slot in reading.values:
        return reading.values[slot]
    if reading.missing_unit:
        return UNIT
    if slot in reading.problems:
        return PROBLEM
    return None


YES_NO = [
    # generic yes, no, unknown, with hedges
    ("cirrhosis", "yes", True),
    ("cirrhosis", "Yes.", True),
    ("cirrhosis", "yeah", True),
    ("cirrhosis", "yep", True),
    ("cirrhosis", "yup, they did", True),
    ("cirrhosis", "YES", True),
    ("cirrhosis", "i think so", True),
    ("cirrhosis", "I believe so", True),
    ("cirrhosis", "probably", True),
    ("cirrhosis", "pretty sure yes", True),
    ("cirrhosis", "yess", True),
    ("cirrhosis", "sadly yes", True),
    ("cirrhosis", "no", False),
    ("cirrhosis", "No.", False),
    ("cirrhosis", "nope", False),
    ("cirrhosis", "nah", False),
    ("cirrhosis", "never", False),
    ("cirrhosis", "no never", False),
    ("months_on_treatment", "they never ever told me", UNKNOWN),
    ("consolidation_checks", "nobody explained that to me", UNKNOWN),
    ("cirrhosis", "i was told no", False),  # "i was" is no yes here
    ("imaging_liver_lesions", "i was told yes", True),
    ("cirrhosis", "not as far as i'm aware", False),
    ("cirrhosis", "cirrhosis? no, they ruled that out", False),  # the question echoed first
    ("cirrhosis", "no, fibroscan was fine, only mild scarring", False),
    ("cirrhosis", "No - never been told that", False),  # a spaced dash parts the clauses: no double negation
    ("cirrhosis", "no, never been told that", False),
    ("cirrhosis", "yes - the scan showed it", True),
    ("cirrhosis", "not that I know of", False),
    ("cirrhosis", "I don't think so", False),
    ("cirrhosis", "probably not", False),
    ("cirrhosis", "definitely not", False),
    ("cirrhosis", "not sure", UNKNOWN),
    ("cirrhosis", "I don't know", UNKNOWN),
    ("cirrhosis", "no idea", UNKNOWN),
    ("cirrhosis", "dunno", UNKNOWN),
    ("cirrhosis", "idk", UNKNOWN),
    ("cirrhosis", "can't remember", UNKNOWN),
    ("cirrhosis", "skip", UNKNOWN),
    ("cirrhosis", "maybe", UNKNOWN),
    ("cirrhosis", "nobody told me", UNKNOWN),
    # the question's own words, negated
    ("cirrhosis", "I have cirrhosis", True),
    ("cirrhosis", "my liver is scarred", True),
    ("cirrhosis", "no cirrhosis", False),
    ("cirrhosis", "I don't have cirrhosis", False),
    ("cirrhosis", "never had cirrhosis", False),
    ("cirrhosis", "only mild fibrosis", False),
    ("cirrhosis", "no scarring", False),
    ("cirrhosis", "my liver is fine", False),
    ("ifn_response", "yes it worked", True),
    ("ifn_response", "the virus dropped a lot", True),
    ("ifn_response", "it didn't work", False),
    ("ifn_response", "no response", False),
    ("ifn_response", "not really, no change", False),
    ("ifn_response", "they said I responded", True),
    ("hbeag_positive_before_treatment", "it was positive", True),
    ("hbeag_positive_before_treatment", "positive", True),
    ("hbeag_positive_before_treatment", "pos", True),
    ("hbeag_positive_before_treatment", "e antigen positive", True),
    ("hbeag_positive_before_treatment", "big three positive", True),
    ("hbeag_positive_before_treatment", "negative", False),
    ("hbeag_positive_before_treatment", "negative I think", False),
    ("hbeag_positive_before_treatment", "it was negative", False),
    ("hbeag_positive_before_treatment", "small three positive", False),
    ("hbeag_positive_before_treatment", "it wasn't positive", False),
    ("hbeag_positive_before_treatment", "not positive", False),
    ("hbeag_positive_before_treatment", "yes, positive", True),
    ("hbeag_positive_before_treatment", "no it was negative", False),
    ("hbeag_positive_before_treatment", "not sure, maybe positive", True),
    ("hbeag_positive_before_treatment", "not sure if it was positive or negative", UNKNOWN),
    ("hbeag_positive_before_treatment", "HBeAg+", True),
    ("hbv_dna_undetectable", "no still detectable", False),
    ("ifn_response", "didnt work for me", False),
    ("alt_normal", "nope still high", False),
    ("bilirubin_raised", "I don't have the letter with me", UNKNOWN),
    ("hbeag_positive", "i dont have it with me", UNKNOWN),
    ("hbeag_positive", "i never asked", UNKNOWN),  # not a "no"
    ("hbv_dna_undetectable", "yes undetectable", True),
    ("hbv_dna_undetectable", "undetectable", True),
    ("hbv_dna_undetectable", "not detected", True),
    ("hbv_dna_undetectable", "TND", True),
    ("hbv_dna_undetectable", "<20 IU/mL", True),
    ("hbv_dna_undetectable", "<20", True),
    ("hbv_dna_undetectable", "it's below the limit", True),
    ("hbv_dna_undetectable", "too low to measure", True),
    ("hbv_dna_undetectable", "no, still detectable", False),
    ("hbv_dna_undetectable", "it's 150 IU/mL", False),
    ("hbv_dna_undetectable", "still a bit of virus", False),
    ("hbv_dna_undetectable", "not yet", False),
    ("hbv_dna_undetectable", "it isn't undetectable", False),
    ("alt_normal", "normal", True),
    ("alt_normal", "yes it's normal", True),
    ("alt_normal", "fine", True),
    ("alt_normal", "back to normal", True),
    ("alt_normal", "35", True),
    ("alt_normal", "it's 30", True),
    ("alt_normal", "a bit high", False),
    ("alt_normal", "still raised", False),
    ("alt_normal", "no, elevated", False),
    ("alt_normal", "not normal", False),
    ("alt_normal", "90", False),
    ("alt_normal", "it's 95 U/L", False),
    ("hbeag_seroconversion", "yes", True),
    ("hbeag_seroconversion", "yes I seroconverted", True),
    ("hbeag_seroconversion", "I have the antibody now", True),
    ("hbeag_seroconversion", "not yet", False),
    ("hbeag_seroconversion", "still e antigen positive", False),
    ("hbeag_seroconversion", "no seroconversion", False),
    ("hbeag_seroconversion", "what is that? no idea", UNKNOWN),
    ("hbeag_positive", "positive", True),
    ("hbeag_positive", "it's negative", False),
    ("hbeag_positive", "small three", False),
    ("hbeag_positive", "e antigen negative", False),
    ("hbeag_positive", "yes positive", True),
    ("hbeag_positive", "neg", False),
    ("hbeag_positive", "no, hbeag negative", False),
    ("hbeag_positive", "no HBeAg, it's neg", False),
    ("hbeag_positive", "not e antigen positive", False),
    ("alt_was_normal", "yes it was normal before", True),
    ("alt_was_normal", "it was always fine", True),
    ("alt_was_normal", "no it was high", False),
    ("alt_was_normal", "it was raised before too", False),
    ("alt_now_normal", "it's high now", False),
    ("alt_now_normal", "still normal", True),
    ("alt_now_normal", "no, it went up", False),
    ("alt_now_normal", "normal", True),
    ("mutation_found", "yes they found a mutation", True),
    ("mutation_found", "YMDD mutation", True),
    ("mutation_found", "no mutation found", False),
    ("mutation_found", "the test was clear", False),
    ("mutation_found", "I've never had a resistance test", UNKNOWN),
    ("mutation_found", "never tested", UNKNOWN),
    ("mutation_found", "nothing found", False),
    ("family_history", "my mum had liver cancer", True),
    ("family_history", "my dad has hep b", True),
    ("family_history", "yes my brother", True),
    ("family_history", "nobody in my family", False),
    ("family_history", "no family history", False),
    ("family_history", "not that I know of", False),
    ("family_history", "my grandmother died of liver cancer", True),
    ("family_history", "no one", False),
    ("imaging_liver_lesions", "no, the scan was clear", False),
    ("imaging_liver_lesions", "ultrasound was normal", False),
    ("imaging_liver_lesions", "the ultrasound showed some damage", True),
    ("imaging_liver_lesions", "yes, chronic changes", True),
    ("imaging_liver_lesions", "the scan came back fine", False),
    ("imaging_liver_lesions", "never had a scan", UNKNOWN),
    ("imaging_liver_lesions", "coarse liver on ultrasound", True),
    ("imaging_liver_lesions", "nothing abnormal", False),
    ("alt_falling", "yes it's coming down", True),
    ("alt_falling", "it's falling", True),
    ("alt_falling", "it dropped a bit", True),
    ("alt_falling", "no it's still rising", False),
    ("alt_falling", "not coming down yet", False),
    ("alt_falling", "still high", False),
    ("alt_falling", "it's the same", False),
    ("alt_falling", "it is improving", True),
    ("bilirubin_raised", "yes, bilirubin went up", True),
    ("bilirubin_raised", "it's raised", True),
    ("bilirubin_raised", "bilirubin is high", True),
    ("bilirubin_raised", "no it's fine", False),
    ("bilirubin_raised", "normal", False),
    ("bilirubin_raised", "it hasn't gone up", False),
    ("bilirubin_raised", "not raised", False),
    ("bilirubin_raised", "stable", False),
    # more hedges, negations and sentences
    ("cirrhosis", "not as far as I know", False),
    ("cirrhosis", "they never said so", False),
    ("alt_normal", "the doctor never said", UNKNOWN),
    ("hbeag_positive", "nobody mentioned it, they never said", UNKNOWN),
    ("bilirubin_raised", "they didn't say", UNKNOWN),
    ("hbeag_positive_before_treatment", "negetive i think", False),
    ("hbeag_positive", "postive", True),
    ("hbv_dna_undetectable", "undetactable since last year", True),
    ("cirrhosis", "the doctor said early cirrhosis", True),
    ("cirrhosis", "i dont have it", False),
    ("cirrhosis", "hmm not sure, never asked", UNKNOWN),
    ("cirrhosis", "yes unfortunately", True),
    ("ifn_response", "I'm not sure if it worked", UNKNOWN),
    ("ifn_response", "it hasn't worked", False),
    ("hbeag_positive_before_treatment", "i was e positive at the start", True),
    ("hbeag_positive_before_treatment", "they said big 3", True),
    ("hbeag_positive_before_treatment", "i think negative but not 100%", False),
    ("hbv_dna_undetectable", "yes it has been undetectable for ages", True),
    ("hbv_dna_undetectable", "nope still positive", False),
    ("hbv_dna_undetectable", "<10 iu", True),
    ("alt_normal", "all good now", True),
    ("alt_normal", "slightly above normal", False),
    ("alt_normal", "it's never normal", False),
    ("alt_normal", "i think it's ok", True),
    ("hbeag_seroconversion", "e antigen went negative last year", True),
    ("hbeag_seroconversion", "I haven't seroconverted", False),
    ("hbeag_positive", "I'm HBeAg negative", False),
    ("hbeag_positive", "pretty sure positive", True),
    ("alt_was_normal", "before that it was normal", True),
    ("alt_now_normal", "now it's raised", False),
    ("mutation_found", "nope, none", False),
    ("mutation_found", "they found YMDD", True),
    ("family_history", "my uncle had hepatitis b", True),
    ("family_history", "none of them", False),
    ("imaging_liver_lesions", "fibroscan showed scarring", True),
    ("imaging_liver_lesions", "clear", False),
    ("alt_falling", "going down slowly", True),
    ("alt_falling", "it's gone up again", False),
    ("bilirubin_raised", "yes a lot", True),
    ("bilirubin_raised", "no, steady", False),
    ("cirrhosis", "nobody ever told me I had cirrhosis", False),
    ("cirrhosis", "honestly couldn't say", UNKNOWN),
    ("alt_normal", "yes going by my last results", True),  # a leading yes beside other words
    ("hbeag_seroconversion", "yes, the e antigen is gone and anti-e is positive", True),
    ("alt_now_normal", "yes, within range again", True),
    ("ifn_response", "the virus did not drop", False),
    ("cirrhosis", "not rlly sure tbh", UNKNOWN),
    ("cirrhosis", "i am not knowing this", UNKNOWN),
    ("cirrhosis", "I'd need to look at my letters", UNKNOWN),
    ("cirrhosis", "I'm not certain, sorry", UNKNOWN),
    ("cirrhosis", "yh", True),
    ("cirrhosis", "nooo", False),
    ("cirrhosis", "not as far as I know", False),
    ("alt_normal", "the lab's normal ALT goes up to 35", None),  # a limit, not the patient's ALT
    ("alt_now_normal", "mine was 30, and normal goes up to 35", True),  # compared with the limit given
    ("alt_normal", "mine was 50, the normal range goes up to 35", False),
    ("alt_normal", "it sits within the normal range", True),
    ("alt_was_normal", "no previous ALT was abnormal too", False),  # a leading "no", then its reason
    ("mutation_found", "I don't have my results with me", UNKNOWN),
    ("therapy", "at the moment entecavar", "entecavir"),  # one letter off a name
    ("therapy", "it's called tenofovr", "tenofovir"),
    ("drug", "lamivodin", "lamivudine"),
    ("drug", "interferrone", "interferon"),
    ("therapy", "pegasus", "peg_interferon"),
    ("therapy", "interfere", None),  # an English word, not a typo
    ("therapy", "enteric", None),
]

VALUES = [
    # drugs, classes and injections
    ("therapy", "entecavir", "entecavir"),
    ("therapy", "Entecavier", "entecavir"),
    ("therapy", "baraclude", "entecavir"),
    ("therapy", "I take tenofovir", "tenofovir"),
    ("therapy", "viread", "tenofovir"),
    ("therapy", "TDF", "tenofovir"),
    ("therapy", "vemlidy 25mg", "tenofovir"),
    ("therapy", "lamivudine", "lamivudine"),
    ("therapy", "epivir", "lamivudine"),
    ("therapy", "adefovir", "adefovir"),
    ("therapy", "hepsera", "adefovir"),
    ("therapy", "telbivudine", "telbivudine"),
    ("therapy", "tablets", "nucleoside_analogue"),
    ("therapy", "my antiviral pills", "nucleoside_analogue"),
    ("therapy", "some tablets, not sure which", "nucleoside_analogue"),
    ("therapy", "oral antivirals", "nucleoside_analogue"),
    ("therapy", "one tablet a day", "nucleoside_analogue"),
    ("therapy", "the injections", PROBLEM),
    ("therapy", "jabs", PROBLEM),
    ("therapy", "injections three times a week", "interferon"),
    ("therapy", "every other day injections", "interferon"),
    ("therapy", "weekly injections", "peg_interferon"),
    ("therapy", "a jab once a week", "peg_interferon"),
    ("therapy", "pegasys", "peg_interferon"),
    ("therapy", "peginterferon", "peg_interferon"),
    ("therapy", "peg-interferon", "peg_interferon"),
    ("therapy", "interferon", "interferon"),
    ("therapy", "interferon once a week", "peg_interferon"),
    ("therapy", "I don't know the name", UNKNOWN),
    ("therapy", "tenofavir", "tenofovir"),
    ("therapy", "teno", None),
    ("therapy", "the daily tablet", "nucleoside_analogue"),
    ("therapy", "baraclude 0.5", "entecavir"),
    ("drug", "lamivudine", "lamivudine"),
    ("drug", "I was started on adefovir", "adefovir"),
    ("drug", "pills", "nucleoside_analogue"),
    ("drug", "interferone", "interferon"),
    ("age", "52 years", 52),
    ("res_question", "the one about the tablets", "na_response"),
    ("age", "i have 41 years", 41),
    ("res_question", "3rd option", "ifn_week32"),
    ("res_question", "option one", "drug_choice"),
    ("ifn_response", "the consultant said it was successful", True),
    ("ifn_response", "it was unsuccessful", False),
    ("hbeag_seroconversion", "hbeag hasn't cleared", False),
    ("bilirubin_raised", "bilirubin within the range", False),
    ("alt_normal", "sits inside the reference range", True),
    ("res_question", "number two please", "na_response"),
    ("res_question", "choice 3", "ifn_week32"),
    ("res_question", "the last option", "monitoring"),
    ("hbv_dna", "can't rememeber the number", UNKNOWN),
    # durations
    ("months_on_treatment", "3 years", "36 months"),
    ("months_on_treatment", "three years", "36 months"),
    ("months_on_treatment", "18 months", "18 months"),
    ("months_on_treatment", "eighteen months", "18 months"),
    ("months_on_treatment", "a year and a half", "18 months"),
    ("months_on_treatment", "1.5 years", "18 months"),
    ("months_on_treatment", "two and a half years", "30 months"),
    ("months_on_treatment", "about 2 years", "24 months"),
    ("months_on_treatment", "since March 2023", "44 months"),
    ("months_on_treatment", "since 2020", "71 months"),
    ("months_on_treatment", "48 weeks", "48 weeks"),
    ("months_on_treatment", "6 monhts", "6 months"),
    ("months_on_treatment", "2 yeras", "24 months"),
    ("months_on_treatment", "a year", "12 months"),
    ("months_on_treatment", "just over 2 years", "24 months"),
    ("months_on_treatment", "11.9 months", "11.9 months"),
    ("months_on_treatment", "3", PROBLEM),
    ("months_on_treatment", "not sure", UNKNOWN),
    ("months_on_treatment", "600 years", PROBLEM),
    ("months_on_treatment", "banana", None),
    ("consolidation_months", "12 months", "12 months"),
    ("consolidation_months", "since then about 18 months", "18 months"),
    ("consolidation_months", "a year", "12 months"),
    ("consolidation_months", "no idea", UNKNOWN),
    # counts
    ("consolidation_checks", "3", 3),
    ("consolidation_checks", "two", 2),
    ("consolidation_checks", "consolidation checks so far: 2", 2),
    ("consolidation_checks", "check-ups: 3, all fine", 3),
    ("consolidation_checks", "twice", 2),
    ("consolidation_checks", "once", 1),
    ("consolidation_checks", "none", 0),
    ("consolidation_checks", "no", 0),
    ("consolidation_checks", "3 check-ups", 3),
    ("consolidation_checks", "four times", 4),
    ("consolidation_checks", "I had 2 blood tests", 2),
    ("consolidation_checks", "dunno", UNKNOWN),
    # viral loads
    ("hbv_dna_baseline", "10^7 IU/mL", "10,000,000 IU/mL"),
    ("hbv_dna_baseline", "1 x 10^7 iu/ml", "10,000,000 IU/mL"),
    ("hbv_dna_baseline", "2.3 x 10^5 copies/mL", "230,000 copies/mL"),
    ("hbv_dna_baseline", "2.3e5 copies", "230,000 copies/mL"),
    ("hbv_dna_baseline", "ten to the eighth copies", "100,000,000 copies/mL"),
    ("hbv_dna_baseline", "10 to the power of 7 IU/mL", "10,000,000 IU/mL"),
    ("hbv_dna_baseline", "a million IU/mL", "1,000,000 IU/mL"),
    ("hbv_dna_baseline", "2 million copies", "2,000,000 copies/mL"),
    ("hbv_dna_baseline", "20 thousand iu/ml", "20,000 IU/mL"),
    ("hbv_dna_baseline", "230,000 copies/ml", "230,000 copies/mL"),
    ("hbv_dna_baseline", "6 log IU/mL", "1,000,000 IU/mL"),
    ("hbv_dna_baseline", "log 6 iu", "1,000,000 IU/mL"),
    ("hbv_dna_baseline", "10^7 copys/ml", "10,000,000 copies/mL"),
    ("hbv_dna_baseline", "10^7 UI/ml", "10,000,000 IU/mL"),
    ("hbv_dna_baseline", "10^7 iu per ml", "10,000,000 IU/mL"),
    ("hbv_dna_baseline", "it was 10^7 IU/mL I think", "10,000,000 IU/mL"),
    ("hbv_dna_baseline", "10^7", UNIT),
    ("hbv_dna_baseline", "230000", UNIT),
    ("hbv_dna_baseline", "ten million", UNIT),
    ("hbv_dna_baseline", "don't know", UNKNOWN),
    ("hbv_dna_baseline", "10^7 IU/L", PROBLEM),
    ("hbv_dna_3m", "10^6 IU/mL", "1,000,000 IU/mL"),
    ("hbv_dna_3m", "undetectable", "<20 IU/mL"),
    ("hbv_dna_3m", "5.5 log iu/ml", "316,228 IU/mL"),
    ("hbv_dna_3m", "not detected", "<20 IU/mL"),
    ("hbv_dna_6m", "<20 IU/mL", "<20 IU/mL"),
    ("hbv_dna_6m", "below 10 IU/mL", "<10 IU/mL"),
    ("hbv_dna_6m", "TND", "<20 IU/mL"),
    ("hbv_dna_week32", "10^4 IU/mL", "10,000 IU/mL"),
    ("hbv_dna_nadir", "the lowest was 50 IU/mL", "50 IU/mL"),
    ("hbv_dna_current", "now it's 2000 IU/mL", "2,000 IU/mL"),
    ("hbv_dna", "5 x 10^7 copies/mL", "50,000,000 copies/mL"),
    ("hbv_dna", "undetectable (less than 10 IU/mL)", "<10 IU/mL"),  # the assay's own limit and unit
    ("hbv_dna", "not detected, below 15 iu per ml", "<15 IU/mL"),
    ("hbv_dna_baseline", "starting viral load 100 UI/mL", "100 IU/mL"),
    ("hbv_dna", "no idea", UNKNOWN),
    # ALT and its limit
    ("alt", "120", "120 U/L"),
    ("alt", "120 U/L", "120 U/L"),
    ("alt", "it was 85 iu/l", "85 U/L"),
    ("alt", "ALT 85 (ref 0-40)", "85 U/L"),
    ("alt", "2.5 times the upper limit", "2.5 x ULN"),
    ("alt", "3x ULN", "3 x ULN"),
    ("alt", "about 5 times normal", "5 x ULN"),
    ("alt", "3x ULN on the test from 3 june", "3 x ULN"),  # "ULN" of a multiple: no limit of 3 (was a crash)
    ("alt", "1.5 times the upper limit on the test from 3 june", "1.5 x ULN"),
    ("alt", "normal", "normal"),
    ("alt", "it's normal", "normal"),
    ("alt", "high", PROBLEM),
    ("alt", "very high", PROBLEM),
    ("alt", "not sure", UNKNOWN),
    ("alt", "one hundred and twenty", "120 U/L"),
    ("alt", "85000", PROBLEM),
    ("alt_uln", "40", "40"),
    ("alt_uln", "0-40", "40"),
    ("alt_uln", "upper limit 35", "35"),
    ("alt_uln", "upper limit 3", PROBLEM),  # out of range after a limit word: a clear message (was a crash)
    ("alt_uln", "the lab says up to 56", "56"),
    ("alt_uln", "7 to 56", "56"),
    ("alt_uln", "I don't know", UNKNOWN),
    ("alt_uln", "forty", "40"),
    # age and biopsy grade
    ("age", "45", 45),
    ("age", "I'm 45", 45),
    ("age", "forty five", 45),
    ("age", "45 years old", 45),
    ("age", "in my fifties", 55),
    ("age", "in my 30s", 35),
    ("age", "I'd rather not say", UNKNOWN),  # declined: skipped like "don't know"
    ("age", "150", PROBLEM),
    ("biopsy_grade", "G2", "G2"),
    ("biopsy_grade", "g1", "G1"),
    ("biopsy_grade", "grade 3", "G3"),
    ("biopsy_grade", "G2S1", "G2"),
    ("biopsy_grade", "2", "G2"),
    ("biopsy_grade", "no biopsy", UNKNOWN),
    ("biopsy_grade", "never had one", UNKNOWN),
    ("biopsy_grade", "G7", None),
    # the resistance question
    ("res_question", "is my medicine a good first choice?", "drug_choice"),
    ("res_question", "I want to know if my drug was a good choice to start with", "drug_choice"),
    ("res_question", "was it the right drug", "drug_choice"),
    ("res_question", "tablets working after 3 and 6 months", "na_response"),
    ("res_question", "is my tablet treatment working?", "na_response"),
    ("res_question", "week 32 of interferon", "ifn_week32"),
    ("res_question", "is the interferon working", "ifn_week32"),
    ("res_question", "warning signs of resistance", "monitoring"),
    ("res_question", "my viral load is going up again", "monitoring"),
    ("res_question", "the first one", "drug_choice"),
    ("res_question", "4", "monitoring"),
]


@pytest.mark.parametrize(
    "slot, text, expected", YES_NO + VALUES, ids=[f"{slot}:{text}" for slot, text, _ in YES_NO + VALUES]
)
def test_answer_to_the_question_asked(slot, text, expected):
    assert read(slot, text) == expected


@pytest.mark.parametrize("text", ["?", "", "!!", "\uf45b", "..."])
@pytest.mark.parametrize(
    "slot", ["alt", "alt_uln", "cirrhosis", "hbv_dna", "months_on_treatment", "res_question", "age"]
)
def test_an_answer_without_words_is_no_value_and_no_error(slot, text):
    assert read_answer(text, slot, [slot], TODAY).values.get(slot) in (None, UNKNOWN)  # "?" is "don't know"


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://host/1}", "https://example.org/results?alt=45"],
)
@pytest.mark.parametrize("slot", ["alt", "alt_uln", "hbv_dna", "months_on_treatment", "age"])
def test_markup_code_and_links_state_no_value(slot, text):
    reading = read_answer(text, slot, [*CHECKS["interferon"], "months_on_treatment"], TODAY)
    assert reading.values == {} and reading.problems == {}


def test_there_are_enough_rows():
    assert len(YES_NO + VALUES) >= 300


@pytest.mark.parametrize(
    "asked, text, expected",
    [
        ("consolidation_months", "I've been on it a year", {"consolidation_months": "12 months"}),
        ("consolidation_months", "3 years in total", {"months_on_treatment": "36 months"}),
        ("drug", "some tablet, I forget the name", {"drug": "nucleoside_analogue"}),
    ],
)
def test_one_duration_or_a_drug_class_answers_the_question_asked(asked, text, expected):
    assert read_answer(text, asked, CHECKS[TOPIC[asked]], TODAY).values == expected


def test_a_question_asked_back_is_not_read_as_an_answer_to_another_subject():
    assert read("cirrhosis", "my ALT is 120") is None


def test_a_unit_completes_a_number_typed_without_it():
    reading = read_answer("copies", "hbv_dna_3m", CHECKS["resistance"], TODAY, number_without_unit="10^7")
    assert reading.values == {"hbv_dna_3m": "10,000,000 copies/mL"}


STATEMENTS = [
    # typos of drug names, lab-report shorthand, clinic time points, "UI/mL"
    ("stop", "on entecavar, ALT outside the reference range", {"therapy": "entecavir", "alt_normal": False}),
    ("stop", "ALT sits within the normal range", {"alt_normal": True}),
    ("stop", "a year since everything hit target", {"consolidation_months": "12 months"}),
    ("stop", "e+ at baseline", {"hbeag_positive_before_treatment": True}),
    (
        "stop",
        "e- at baseline, on treatment 30 months",
        {"hbeag_positive_before_treatment": False, "months_on_treatment": "30 months"},
    ),
    ("interferon", "just turned 39", {"age": 39}),
    (
        "stop",
        "kept on treatment another 1 year after the good results, on it 2 years in total",
        {"consolidation_months": "12 months", "months_on_treatment": "24 months"},
    ),
    ("stop", "still waiting for e seroconversion", {"hbeag_seroconversion": False}),
    (
        "resistance",
        "ALT used to be normal and it's back to normal now",
        {"alt": "normal", "alt_was_normal": True, "alt_now_normal": True},
    ),
    ("resistance", "did they pick the right first treatment?", {"res_question": "drug_choice"}),
    (  # the injections' schedule is no week-32 question
        "resistance",
        "first-line for me was the interferon injections 3 times a week. was this a good drug to begin on?",
        {"drug": "interferon", "res_question": "drug_choice"},
    ),
    (
        "resistance",
        "I was put on injections, was that a good place to start?",
        {"res_question": "drug_choice"},
    ),
    (
        "stop",
        "before the tablets I was e-positive",
        {"therapy": "nucleoside_analogue", "hbeag_positive_before_treatment": True},
    ),
    (
        "stop",
        "I'm e-negative now but before treatment I was e positive",
        {"hbeag_positive_before_treatment": True},
    ),
    ("stop", "always e-negative, even before treatment", {"hbeag_positive_before_treatment": False}),
    ("stop", "virus still shows up on the DNA test", {"hbv_dna_undetectable": False}),
    ("stop", "number of checks since hitting the targets: 2. can I stop?", {"consolidation_checks": 2}),
    ("stop", "reached the stopping targets 18 months ago", {"consolidation_months": "18 months"}),
    ("stop", "does alcohol interfere with tablets?", {"therapy": "nucleoside_analogue"}),  # no typo
    (
        "resistance",
        "VL at the 12-week check 10^5 IU/mL, @ 6mo 10,000 iu/ml, before I went on anything 1e+06 UI/mL",
        {"hbv_dna_3m": "100,000 IU/mL", "hbv_dna_6m": "10,000 IU/mL", "hbv_dna_baseline": "1,000,000 IU/mL"},
    ),
    ("resistance", "previously ALT within range", {"alt": "normal", "alt_was_normal": True}),
    ("interferon", "FHx negative for HBV, female, 39", {"family_history": False, "age": 39}),
    ("interferon", "patient age: 40, no fam history of liver disease", {"age": 40, "family_history": False}),
    (
        "resistance",
        "was the tablet I started on a good one?",
        {"res_question": "drug_choice"},
    ),  # which tablet: asked
    ("stop", "can I stop my tablets?", {"therapy": "nucleoside_analogue"}),  # the stop rules need no name
    ("stop", "my doctor said I could stop treatment one day, can I stop now?", {}),  # some day, not 1 day
    (
        "stop",
        "on entecavir, good results holding for 18 months",
        {"therapy": "entecavir", "consolidation_months": "18 months"},
    ),
    ("interferon", "ALT 95, normal ALT on the lab report is up to 35", {"alt": "95 U/L", "alt_uln": "35"}),
    (
        "interferon",
        "my ALT is 120 and the lab limit is 40, is now a good time for interferon?",
        {"alt": "120 U/L", "alt_uln": "40"},
    ),
    ("interferon", "ALT 85 (ref 0-40)", {"alt": "85 U/L", "alt_uln": "40"}),
    (
        "stop",
        "interferon did work, on it 6 months",
        {"therapy": "interferon", "months_on_treatment": "6 months", "ifn_response": True},
    ),
    ("stop", "the interferon was a success for me", {"therapy": "interferon", "ifn_response": True}),
    ("stop", "interferon response was good", {"therapy": "interferon", "ifn_response": True}),
    ("stop", "no real response to interferon", {"therapy": "interferon", "ifn_response": False}),
    ("stop", "the interferon wasn't a success", {"therapy": "interferon", "ifn_response": False}),
    ("stop", "what's the success rate of interferon?", {"therapy": "interferon"}),  # a question, no fact
    (
        "resistance",
        "alt was fine until now",
        {"alt": "normal", "alt_was_normal": True},
    ),  # "until now": before
    ("resistance", "ALT back to normal now", {"alt": "normal", "alt_now_normal": True}),
    (
        "resistance",
        "bottomed at 10^2 IU/ml, latest 10^3 IU/mL",
        {"hbv_dna_nadir": "100 IU/mL", "hbv_dna_current": "1,000 IU/mL", "hbv_dna": "1,000 IU/mL"},
    ),
    ("resistance", "my best viral load on treatment was 100 IU/mL", {"hbv_dna_nadir": "100 IU/mL"}),
    (
        "resistance",
        "before any meds, DNA was 6 log IU/ml",
        {"hbv_dna_baseline": "1,000,000 IU/mL"},
    ),
    ("stop", "the lab can't detect any virus anymore", {"hbv_dna_undetectable": True}),
    ("stop", "the virus can still be measured", {"hbv_dna_undetectable": False}),
    ("stop", "VL undet.; ALT within ref range", {"hbv_dna_undetectable": True, "alt_normal": True}),
    ("stop", "alt over the range", {"alt_normal": False}),
    ("resistance", "ALT no longer raised", {"alt": "normal", "alt_now_normal": True}),
    ("stop", "no sign of cirrhossis", {"cirrhosis": False}),
    ("interferon", "u/s clear", {"imaging_liver_lesions": False}),
    ("interferon", "70 for ALT, the lab's upper limit is 40", {"alt": "70 U/L", "alt_uln": "40"}),
    ("interferon", "I've been waiting 3 months for ALT results", {}),
    (
        "stop",
        "HBeAg negative and anti-HBe positive now and when I began treatment my HBeAg was reactive",
        {"hbeag_positive_before_treatment": True, "hbeag_seroconversion": True},
    ),
    (  # the cue ("before I started tablets") is in the clause before the value
        "resistance",
        "before I started tablets, my viral load was 10^7 IU/mL, then 10^5 IU/mL at 3 months",
        {
            "hbv_dna_baseline": "10,000,000 IU/mL",
            "hbv_dna_3m": "100,000 IU/mL",
            "res_question": "na_response",
        },
    ),
    # a number under a limit word after "normal" is the ALT limit, not a viral load under the assay's limit
    ("interferon", "ALT 120, normal is below 40", {"alt": "120 U/L", "alt_uln": "40"}),
    ("interferon", "ALT 120 and the normal range is under 35", {"alt": "120 U/L", "alt_uln": "35"}),
    ("stop", "viral load below 20", {"hbv_dna_undetectable": True}),
    ("stop", "my viral load is under 20, normal is below 40", {"hbv_dna_undetectable": True}),
    ("stop", "undetectable, below 20 IU/mL", {"hbv_dna_undetectable": True}),
    (
        "interferon",
        "ALT 56 (ref 0 - 40)",
        {"alt": "56 U/L", "alt_uln": "40"},
    ),  # a spaced range is no clause break
    (
        "interferon",
        "ALT 12 times the upper limit and coming down, bilirubin normal",
        {"alt": "12 x ULN", "alt_falling": True, "bilirubin_raised": False},
    ),
    (
        "interferon",
        "I'm 45, ALT 1.5 times normal, no family history, HBeAg negative, ultrasound clear",
        {
            "age": 45,
            "alt": "1.5 x ULN",
            "family_history": False,
            "hbeag_positive": False,
            "imaging_liver_lesions": False,
        },
    ),
    (
        "stop",
        "on entecavir for 3 years, HBeAg positive before treatment, now negative, undetectable and "
        "ALT normal, 12 months since then with 2 checks, no cirrhosis",
        {
            "therapy": "entecavir",
            "months_on_treatment": "36 months",
            "hbeag_positive_before_treatment": True,
            "hbeag_seroconversion": True,
            "hbv_dna_undetectable": True,
            "alt_normal": True,
            "consolidation_months": "12 months",
            "consolidation_checks": 2,
            "cirrhosis": False,
        },
    ),
    (
        "stop",
        "I don't have cirrhosis and I've been on tenofovir for 2 years",
        {"cirrhosis": False, "therapy": "tenofovir", "months_on_treatment": "24 months"},
    ),
    (
        "stop",
        "viral load not detected, liver enzymes normal",
        {"hbv_dna_undetectable": True, "alt_normal": True},
    ),
    ("stop", "I have cirrhosis", {"cirrhosis": True}),
    (
        "stop",
        "interferon for 6 months but the interferon didn't work",
        {"therapy": "interferon", "months_on_treatment": "6 months", "ifn_response": False},
    ),
    (
        "stop",
        "my treatment is Zeffix, for 30 months; the virus can't be found any more",
        {"therapy": "lamivudine", "months_on_treatment": "30 months", "hbv_dna_undetectable": True},
    ),
    ("interferon", "my family are all clear of hepatitis b", {"family_history": False}),
    ("stop", "checks every 6 months", {}),
    (
        "stop",
        "pegasys shots twice a week, on them since 10 months",
        {"therapy": "peg_interferon", "months_on_treatment": "10 months"},
    ),  # a frequency is no duration
    ("stop", "no doctor ever mentioned cirrhosis to me", {"cirrhosis": False}),  # a denied report
    ("stop", "I have cirrhosis, my doctor told me so", {"cirrhosis": True}),
    (
        "stop",
        "stayed on the tablets two and a half years since getting there",
        {"therapy": "nucleoside_analogue", "consolidation_months": "30 months"},
    ),  # the "since" cue after it
    ("interferon", "ALT is about 4x normal", {"alt": "4 x ULN"}),  # a multiple, not "normal"
    ("interferon", "no relatives with liver problems or hbv", {"family_history": False}),
    ("stop", "anti-HBe now positive and HBeAg negative", {"hbeag_seroconversion": True}),  # now, not before
    ("stop", "I was e antigen positive at diagnosis", {"hbeag_positive_before_treatment": True}),
    ("stop", "3 follow-ups since, all fine", {"consolidation_checks": 3}),
    ("stop", "the nurse once said I might stop one day - am I there?", {}),  # "once" is no count here
    ("stop", "alt: nothing wrong with it", {"alt_normal": True}),
    ("stop", "my e antigen never cleared", {"hbeag_seroconversion": False}),  # subject and value in one
    (
        "stop",
        "HBeAg positive to begin with, e antigen gone now",
        {
            "hbeag_positive_before_treatment": True,
            "hbeag_seroconversion": True,
        },
    ),
    ("stop", "the peginterferon did its job", {"therapy": "peg_interferon", "ifn_response": True}),
    ("interferon", "I'm e pos", {"hbeag_positive": True}),
    ("interferon", "ALT at 9 x ULN but it has started to drop", {"alt": "9 x ULN", "alt_falling": True}),
    ("interferon", "ALT 8 times normal, no drop yet", {"alt": "8 x ULN", "alt_falling": False}),
    ("stop", "bloods were checked twice since then", {"consolidation_checks": 2}),
    (
        "stop",
        "no cirrhosis. for 3 years, on baraclude",
        {"cirrhosis": False, "months_on_treatment": "36 months", "therapy": "entecavir"},
    ),  # a duration without a cue
    ("stop", "I'm a non-responder to interferon", {"therapy": "interferon", "ifn_response": False}),
    ("interferon", "aged 52 years of age, family history negative", {"age": 52, "family_history": False}),
    (
        "interferon",
        "ALT 66, normal goes up to 33",
        {"alt": "66 U/L", "alt_uln": "33"},
    ),  # "up to" is the limit, not a rise
    (
        "resistance",
        "6-month result TND, 3 months after starting 10^5 IU",  # "TND 3 months": no limit of 3
        {"res_question": "na_response", "hbv_dna_6m": "<20 IU/mL", "hbv_dna_3m": "100,000 IU/mL"},
    ),
    ("stop", "cirrhosis: none. anti-HBe not there yet", {"cirrhosis": False, "hbeag_seroconversion": False}),
    ("stop", "nobody's ever said I have cirrhosis", {"cirrhosis": False}),
    (
        "stop",
        "on tdf 3 years, kept on another 14 months after that",
        {"therapy": "tenofovir", "months_on_treatment": "36 months", "consolidation_months": "14 months"},
    ),
    ("interferon", "she's 44 and nobody else in the family has hep b", {"age": 44, "family_history": False}),
    ("interferon", "no one else in my family has it", {"family_history": False}),
    ("stop", "anti-hbe pos, hbeag neg", {"hbeag_seroconversion": True}),  # now, beside the antibody
    ("stop", "interferon, 3 jabs a week", {"therapy": "interferon"}),  # a frequency, not the duration
    (
        "resistance",
        "previous alts were normal but the latest alt is above normal",
        {"alt": "normal", "alt_was_normal": True, "alt_now_normal": False},
    ),
    (  # a "since ..." at the head of the clause names the consolidation, not "on treatment" nearer
        "stop",
        "since hitting the goals I have stayed on treatment 14 months, 3 years in all",
        {"consolidation_months": "14 months", "months_on_treatment": "36 months"},
    ),
    (
        "stop",
        "kept taking it for 9 months since the targets were met",
        {"consolidation_months": "9 months"},
    ),
    (
        "stop",
        "my doctor says the interferon failed, can I stop",
        {"therapy": "interferon", "ifn_response": False},
    ),
    (  # the tablets failing says nothing of the interferon
        "stop",
        "the tablets failed me, then interferon, it has worked well",
        {"therapy": "interferon", "ifn_response": True},
    ),
    # the dev12 round: report shorthand, "ruled out", an aside between a subject and its value
    (
        "stop",
        "pre-treatment HBeAg: positive, ALT nml, sero-converted last spring",
        {"hbeag_positive_before_treatment": True, "alt_normal": True, "hbeag_seroconversion": True},
    ),
    ("stop", "cirrhosis was ruled out on the scan", {"cirrhosis": False}),
    ("stop", "they ruled out cirrhosis", {"cirrhosis": False}),
    (
        "stop",
        "on treatment 3 years; 12 months past the stopping criteria",
        {"months_on_treatment": "36 months", "consolidation_months": "12 months"},
    ),
    (
        "stop",
        "it's been a year since I met the goals, 4 years on tablets overall",
        {
            "therapy": "nucleoside_analogue",
            "consolidation_months": "12 months",
            "months_on_treatment": "48 months",
        },
    ),
    (
        "resistance",
        "(prior ALT normal) and ALT has normalised now, resistance panel negative",
        {"alt": "normal", "alt_was_normal": True, "alt_now_normal": True, "mutation_found": False},
    ),
    (
        "interferon",
        "e-ag +ve, no big change in bilirubin",
        {"hbeag_positive": True, "bilirubin_raised": False},
    ),
    ("interferon", "my dad is 39", {"age": 39}),
    ("interferon", "45, female", {"age": 45}),
    ("interferon", "my dad is 39 days into his treatment", {}),
    ("interferon", "my latest ALT, from last friday, was 92", {"alt": "92 U/L"}),
    ("interferon", "ALT now within the normal range", {"alt": "normal"}),
    ("resistance", "started on Roferon", {"drug": "interferon", "res_question": "drug_choice"}),
    # the dev13 round: lab-report shorthand and clinic words
    ("stop", "liver non-cirrhotic on the scan", {"cirrhosis": False}),
    ("stop", "ALT nl", {"alt_normal": True}),
    ("resistance", "viral load 2.3e+05 Kopien/ml", {"hbv_dna": "230,000 copies/mL"}),
    ("resistance", "DNA 40000 copias/ml", {"hbv_dna": "40,000 copies/mL"}),
    ("resistance", "HBV-DNA 5000 IE/ml", {"hbv_dna": "5,000 IU/mL"}),
    ("stop", "extended therapy after the endpoint: 14 months", {"consolidation_months": "14 months"}),
    ("stop", "post-target treatment: 2 years", {"consolidation_months": "24 months"}),
    (
        "stop",
        "the doctor said I reached the target and I've taken them another 9 months since",
        {"consolidation_months": "9 months"},
    ),
    (
        "resistance",
        "pre-Rx DNA 3e+07 IU/ml, M6 DNA 2000 IU/ml",
        {"hbv_dna_baseline": "30,000,000 IU/mL", "hbv_dna_6m": "2,000 IU/mL"},
    ),
    (
        "resistance",
        "rock-bottom VL 50 IU/ml",
        {"hbv_dna_nadir": "50 IU/mL"},
    ),
    ("stop", "on peg injections", {"therapy": "peg_interferon"}),
    ("stop", "response to interferon confirmed", {"therapy": "interferon", "ifn_response": True}),
    ("stop", "HBeAg-ve pre-tx", {"hbeag_positive_before_treatment": False}),
    ("stop", "they never once told me", {}),  # "never once" is no count of check-ups
    ("stop", "results confirmed on 2 occasions", {"consolidation_checks": 2}),
    ("stop", "I'm cirrhosis-free", {"cirrhosis": False}),
    ("stop", "they can't find any virus in my blood", {"hbv_dna_undetectable": True}),
    ("stop", "before my meds i had e antigen", {"hbeag_positive_before_treatment": True}),
    ("stop", "anti-HBe still negative", {"hbeag_seroconversion": False}),  # no antibody: no seroconversion
    ("stop", "anti-HBe positive", {"hbeag_seroconversion": True}),
    ("interferon", "Age/Sex: 41/F", {"age": 41}),
    ("interferon", "FH: nil", {"family_history": False}),
    ("interferon", "sonography showed chronic hepatopathy", {"imaging_liver_lesions": True}),
    ("interferon", "USS: NAD", {"imaging_liver_lesions": False}),
    ("resistance", "sequencing showed wild-type virus", {"mutation_found": False}),
    ("resistance", "no, the resistance test found nothing", {"mutation_found": False}),
    (  # a viral load cued as the latest is also the viral load now that the first choice asks for
        "resistance",
        "my first ever drug was lamivudine, DNA 10^6 IU/mL on the latest bloods",
        {
            "drug": "lamivudine",
            "hbv_dna_current": "1,000,000 IU/mL",
            "hbv_dna": "1,000,000 IU/mL",
            "res_question": "drug_choice",
        },
    ),
]


@pytest.mark.parametrize("topic, text, expected", STATEMENTS)
def test_values_stated_in_a_message(topic, text, expected):
    assert read_statements(text, CHECKS[topic], TODAY).values == expected


@pytest.mark.parametrize(
    "texts, expected",
    [
        (
            [
                "my viral load was 10^7 IU/mL before treatment, 10^6 IU/mL at 3 months "
                "and 10^5 IU/mL at 6 months, is my tablet treatment working?"
            ],
            {
                "res_question": "na_response",
                "hbv_dna_baseline": "10,000,000 IU/mL",
                "hbv_dna_3m": "1,000,000 IU/mL",
                "hbv_dna_6m": "100,000 IU/mL",
            },
        ),
        (
            ["I'm on lamivudine, HBeAg positive, viral load 2 x 10^8 copies/ml, was it a good first choice?"],
            {
                "res_question": "drug_choice",
                "drug": "lamivudine",
                "hbeag_positive": True,
                "hbv_dna": "200,000,000 copies/mL",
            },
        ),
        (
            ["my viral load went from 10^7 IU/mL to 10^6 IU/mL after 3 months", "is my treatment working?"],
            {
                "res_question": "na_response",
                "hbv_dna_baseline": "10,000,000 IU/mL",
                "hbv_dna_3m": "1,000,000 IU/mL",
            },
        ),
        (
            ["lowest it got was 50 IU/mL, now it's 5000 IU/mL, before treatment 10^6 IU/mL, am I resistant?"],
            {
                "res_question": "monitoring",
                "hbv_dna_nadir": "50 IU/mL",
                "hbv_dna_current": "5,000 IU/mL",
                "hbv_dna_baseline": "1,000,000 IU/mL",
            },
        ),
        (
            ["on epivir, my viral load came back 3,000,000 IU/mL, is that a sensible drug for me?"],
            {"res_question": "drug_choice", "drug": "lamivudine", "hbv_dna": "3,000,000 IU/mL"},
        ),
        (
            ["four months after starting it was 10^5 IU/mL; before treatment 10^7 IU/mL"],  # no question yet
            {"hbv_dna_baseline": "10,000,000 IU/mL", "hbv_dna": "100,000 IU/mL"},
        ),
        (  # a strong word for the first choice beats two weak interferon words
            ["on the interferon injections, viral load 10^6 IU/mL. a good first choice?"],
            {"res_question": "drug_choice", "drug": "interferon", "hbv_dna": "1,000,000 IU/mL"},
        ),
        (
            ["was peginterferon a sensible start for me?"],
            {"res_question": "drug_choice", "drug": "peg_interferon"},
        ),
        (
            ["week 32 of peginterferon: 10^4 IU/mL, it started at 10^7 IU/mL"],
            {
                "res_question": "ifn_week32",
                "hbv_dna_week32": "10,000 IU/mL",
                "hbv_dna_baseline": "10,000,000 IU/mL",
            },
        ),
        (  # an uncued viral load is the latest one the warning signs ask for
            ["last bloods: HBV-DNA 3000 IU/mL, lowest ever 100 IU/mL. is the virus escaping?"],
            {"res_question": "monitoring", "hbv_dna_current": "3,000 IU/mL", "hbv_dna_nadir": "100 IU/mL"},
        ),
    ],
)
def test_values_across_the_conversation_for_the_resistance_question(texts, expected):
    assert read_conversation(texts, "resistance", TODAY).values == expected


def test_a_later_message_corrects_an_earlier_value():
    assert read_conversation(["my ALT is 120", "sorry, my ALT was 95"], "interferon", TODAY).values == {
        "alt": "95 U/L"
    }


@pytest.mark.parametrize(
    "slot, value, expected",
    [
        ("cirrhosis", False, "no cirrhosis"),
        ("alt", "120 U/L", "ALT 120 U/L"),
        ("alt_uln", "40", "upper limit 40 U/L"),
        ("therapy", "nucleoside_analogue", "treatment: tablet treatment (a nucleoside analogue)"),
        ("res_question", "na_response", "whether tablets are working at 3 and 6 months"),
    ],
)
def test_values_are_shown_back_in_plain_words(slot, value, expected):
    assert shown(slot, value) == expected


def test_texting_shorthand_is_read_as_the_words_it_stands_for() -> None:
    typed = "cn i stp my medicin now? wat shud i do"
    assert normalise(typed) == "can i stop my medicine now? what should i do"
