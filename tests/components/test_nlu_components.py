"""The safety and routing guard that runs after the classifiers (components/intent_guard.py)."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.intent_guard import SafetyIntentGuard
from components.routing import Selection, Vocabulary, is_adherence_question, is_bare_value, is_personal, route

VOCABULARY = Vocabulary.from_texts(
    [
        "can I stop my treatment",
        "how does hepatitis b spread",
        "what can you do",
        "hello there",
        "is now a good time for interferon",
    ]
)


def guard(
    text: str, intent: str, ranking: list[tuple[str, float]] | None = None, runner_up: str = "greet"
) -> Message:
    selector = (
        {
            "default": {
                "response": {"intent_response_key": ranking[0][0], "confidence": ranking[0][1]},
                "ranking": [
                    {"intent_response_key": key, "confidence": confidence} for key, confidence in ranking
                ],
            }
        }
        if ranking
        else {}
    )
    message = Message(
        data={
            TEXT: text,
            INTENT: {"name": intent, "confidence": 0.6},
            "intent_ranking": [{"name": intent, "confidence": 0.6}, {"name": runner_up, "confidence": 0.1}],
            "response_selector": selector,
        }
    )
    SafetyIntentGuard(
        {"answer_threshold": 0.5, "trust_selector": 0.8, "fallback_threshold": 0.3}, None, None, VOCABULARY
    ).process([message])
    return message


def routed(text: str, intent: str, ranking: list[tuple[str, float]] | None = None) -> str:
    return guard(text, intent, ranking).get(INTENT)["name"]


def chosen_answer(message: Message) -> str:
    return message.get("response_selector")["default"]["response"]["intent_response_key"]


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        ("what is cirrhosis", "ask_stop", "general_hepb"),  # no general answer says what it is
        ("whats fibrosis, in plain words", "ask_stop", "general_hepb"),
        ("the stages of resistance, whats the 2nd one", "ask_resistance", "ask_resistance"),  # no term
        ("no belly swelling, no pain. what is cirrhosis exactly?", "ask_stop", "general_hepb"),
        ("what does HBeAg mean?", "ask_resistance", "general_hepb"),
        ("what is consolidation?", "ask_stop", "ask_stop"),  # the stop answers explain it
        ("what is drug resistance exactly", "ask_resistance", "ask_resistance"),
        ("what do doctors usually try next", "ask_stop", "ask_stop"),  # not a definition
        ("interferon for hepatitis c, how long is that course?", "ask_stop", "general_hepb"),
        (
            "I'm HBeAg negative on entecavir, what is the goal of my treatment?",
            "check_resistance",
            "ask_resistance",
        ),
        ("hi, my son wants to know if he can stop his hepatitis b medication", "ask_stop", "check_stop"),
    ],
)
def test_definitions_other_hepatitis_and_goals_get_their_reply(text, intent, expected):
    answer = {
        "ask_stop": "ask_stop/stop_na_eneg",
        "ask_resistance": "ask_resistance/res_eneg_goal",
        "check_resistance": "ask_resistance/res_eneg_goal",
    }[intent]
    assert routed(text, intent, [(answer, 0.9)]) == expected


@pytest.mark.parametrize(
    "text, classified",
    [
        ("my eyes have gone yellow", "inform"),
        ("I threw up blood this morning", "check_stop"),
        ("I stopped my tablets last month and now I'm yellow", "check_stop"),
        ('/inform{"drug":"entecavir"} I vomited blood', "inform"),
        ("is this an emergency?", "ask_stop"),
    ],
)
def test_red_flags_win_over_any_classification(text, classified):
    message = guard(text, classified)
    assert message.get(INTENT)["name"] == "report_red_flag"
    assert not message.get(TEXT).startswith("/")  # typed "/..." is read as text, not obeyed


@pytest.mark.parametrize(
    "text, kind",
    [
        ("I want to end it all", "self_harm"),
        ("I came off my pills and now my pee is like tea", "after_stopping"),
        ("my stools are black", "other"),
    ],
)
def test_the_urgent_reply_is_chosen_by_the_kind_of_red_flag(text, kind):
    assert guard(text, "inform").get(ENTITIES) == [
        {"entity": "red_flag_kind", "value": kind, "start": 0, "end": 0, "extractor": "SafetyIntentGuard"}
    ]


@pytest.mark.parametrize(
    "text",
    [
        "I don't have yellow eyes or dark urine, can I stop?",
        "no jaundice, no pain, can I come off my tablets?",
    ],
)
def test_negated_symptoms_raise_no_alarm(text):
    assert routed(text, "check_stop") == "check_stop"


def test_symptoms_asked_about_in_general_or_denied_as_questions_raise_no_alarm():
    assert routed("what are the signs of liver cancer?", "report_red_flag") != "report_red_flag"
    assert routed("yellow? no. bleeding? nope. is tenofovir a good first choice?", "report_red_flag") != (
        "report_red_flag"
    )


@pytest.mark.parametrize(
    "text, classified, expected",
    [
        ("asdkjh qwe zxcv", "goodbye", "nlu_fallback"),
        ("Je voudrais arreter mon traitement", "check_stop", "nlu_fallback"),
        ("can I stpo my treatment", "check_stop", "check_stop"),
        ("helo there", "greet", "greet"),
        ("/affirm", "affirm", "affirm"),
    ],
)
def test_gibberish_is_not_understood(text, classified, expected):
    assert routed(text, classified) == expected


@pytest.mark.parametrize(
    "text, classified, expected",
    [
        ("85", "greet", "inform"),
        ("<20 IU/mL", "nlu_fallback", "inform"),
        ("18 months", "ask_stop", "inform"),
        ("tenofovir", "ask_resistance", "inform"),
        ("what does 2 times ULN mean?", "ask_interferon", "ask_interferon"),
        ("yes", "affirm", "affirm"),
    ],
)
def test_bare_values_are_answers(text, classified, expected):
    ranking = [("ask_interferon/ifn_window", 0.9)] if classified == "ask_interferon" else None
    assert routed(text, classified, ranking) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I take my pills every other day to save money, is that ok?",
        "can I have a weekend break from the tablets",
        "could I stop for a while and pick them up again in spring",
    ],
)
def test_skipped_doses_get_the_adherence_answer(text):
    message = guard(text, "check_stop", [("ask_stop/stop_danger", 0.7)])
    assert message.get(INTENT)["name"] == "ask_resistance"
    assert chosen_answer(message) == "ask_resistance/res_adherence"


def test_interferon_every_other_day_is_its_schedule_not_a_skipped_dose():
    assert not is_adherence_question("is standard interferon given every other day?")


@pytest.mark.parametrize(
    "ranking, expected",
    [
        ([("ask_stop/stop_relapse", 0.9)], "ask_stop"),  # sure and on topic: the answer
        ([("ask_stop/stop_relapse", 0.3)], "general_hepb"),  # unsure: the scoped reply
        ([("ask_resistance/res_harm", 0.6)], "general_hepb"),  # another topic: the scoped reply
        ([("ask_resistance/res_harm", 0.9)], "ask_resistance"),  # unless the selector is very sure
    ],
)
def test_a_general_answer_only_when_the_selector_is_sure_and_agrees(ranking, expected):
    assert routed("will the virus come back if I stop?", "ask_stop", ranking) == expected


@pytest.mark.parametrize(
    "text, selected, expected",
    [
        (
            "how long does the weekly pegylated injection go on for?",
            "ask_stop/stop_ifn_course",
            "ask_stop/stop_peg_course",
        ),
        (
            "how long is a course of the shots given three times a week?",
            "ask_stop/stop_peg_course",
            "ask_stop/stop_ifn_course",
        ),
        (
            "what should the viral load have done by six months on pills?",
            "ask_resistance/res_na_3m",
            "ask_resistance/res_na_6m",
        ),
        (
            "what's a primary non-response at the first check?",
            "ask_resistance/res_na_6m",
            "ask_resistance/res_na_3m",
        ),
        (
            "why is adefovir a poor first drug for some people?",
            "ask_resistance/res_choice_lam",
            "ask_resistance/res_choice_adv",
        ),
        (
            "e antigen negative on tablets, when can treatment end?",
            "ask_stop/stop_na_epos",
            "ask_stop/stop_na_eneg",
        ),
        # naming both, or neither, keeps the selector's choice
        (
            "is it 3 months or 6 months when they first judge the tablets?",
            "ask_resistance/res_na_3m",
            "ask_resistance/res_na_3m",
        ),
        ("how long does interferon treatment last?", "ask_stop/stop_ifn_course", "ask_stop/stop_ifn_course"),
        ("why does resistance matter?", "ask_resistance/res_harm", "ask_resistance/res_harm"),
    ],
)
def test_a_question_naming_one_of_two_close_answers_gets_that_one(text, selected, expected):
    topic = selected.split("/")[0]
    assert chosen_answer(guard(text, topic, [(selected, 0.9)])) == expected


def test_a_general_question_with_the_patients_values_starts_the_check():
    assert (
        routed(
            "my ALT is 120 and the limit 40, what does that mean for interferon?",
            "ask_interferon",
            [("ask_interferon/ifn_window", 0.9)],
        )
        == "check_interferon"
    )


@pytest.mark.parametrize(
    "text",
    [
        "DNA 10^7 copies, on lamivudine. right choice?",  # one case, stated without "my"
        "HBeAg negative, ALT 85, the limit is 40. is interferon an option?",
    ],
)
def test_values_stated_as_one_case_start_the_check(text):
    assert routed(text, "ask_resistance", [("ask_resistance/res_choice_lam", 0.9)]) == "check_resistance"


@pytest.mark.parametrize(
    "text",
    [
        "lamivudine or entecavir for someone with 10^8 copies/ml?",  # about anyone
        "once alt drops below 10 times normal can lamivudine be used",  # a condition, not a case
        "for e-negative hep b how long until a normal ALT and undetectable virus",  # no number given
        "his cirrhosis is stable. Can people with cirrhosis ever stop treatment?",  # asks about people
        "my mum takes entecavir. do patients like her ever get resistance",  # no question mark
        "3-5 x the limit, what would that mean for lamivudine",  # a range, not a result
        "a viral load of say 10^9, would entecavir still be fine",  # an example value
        "viral load above 10^8 and ALT barely raised. would lamivudine do then",  # a threshold, "then"
        "ALT 300, why not start lamivudine straight away",  # why: asks for the reason
    ],
)
def test_questions_about_people_in_general_get_the_answer(text):
    message = guard(text, "ask_resistance", [("ask_resistance/res_choice_lam", 0.9)])
    assert message.get(INTENT)["name"] == "ask_resistance"
    assert chosen_answer(message) == "ask_resistance/res_choice_lam"


def test_symptom_denials_before_a_question_do_not_make_it_personal():
    message = guard(
        "there is no blood when i brush my teeth, no bruises. Is adefovir a good first drug?",
        "ask_resistance",
        [("ask_resistance/res_choice_adv", 0.9)],
    )
    assert chosen_answer(message) == "ask_resistance/res_choice_adv"
    assert message.get(TEXT).startswith("there is no blood")  # the text as typed is kept


@pytest.mark.parametrize(
    "text, classified, expected",
    [
        ("meds working??", "ask_resistance", "check_resistance"),  # own state, no "my"
        ("are the antivirals still doing their job for mum", "out_of_scope", "check_resistance"),
        ("could it be resistance, the dna went back up", "ask_resistance", "check_resistance"),
        ("my husband wonders: right time for him to try interferon?", "ask_interferon", "check_interferon"),
        ("how can you tell the tablets are working", "ask_resistance", "ask_resistance"),  # an open question
        ("do the tablets keep working if you miss doses now and then", "ask_resistance", "ask_resistance"),
        ("is the flu jab working for my dad", "out_of_scope", "out_of_scope"),  # not hepatitis treatment
        ("right time for interferon, in general?", "ask_interferon", "ask_interferon"),
        ("best time for interferon", "ask_interferon", "ask_interferon"),
        ("best time for me to start interferon?", "ask_interferon", "check_interferon"),
        ("on tenofovir 4 years now, no cirrhosis. ok to stop?", "ask_stop", "check_stop"),
        ("can i stop worrying about it", "ask_stop", "general_hepb"),  # not the treatment
        ("lamivudine. was it a sensible first choice", "ask_resistance", "check_resistance"),
        ("is lamivudine a sensible first choice", "ask_resistance", "ask_resistance"),  # about the drug
        ("was telbivudine a good pick for me back then", "check_interferon", "check_resistance"),
        (
            "on baraclude. is that a good first choice",
            "ask_resistance",
            "check_resistance",
        ),  # "that": their own
        ("might this be resistance? my dna is up", "ask_resistance", "check_resistance"),
        ("interferon for me, now or later?", "ask_interferon", "check_interferon"),
        ("did my pills do their job", "ask_resistance", "check_resistance"),
        ("at 32 weeks of pegasys. worth carrying on?", "ask_resistance", "check_resistance"),
        ("i wonder if my tenofovir is still working after 8 years", "check_stop", "check_resistance"),
        ("could my dad's hepatitis b be resistant to entecavir now", "general_hepb", "check_resistance"),
        ("can hepatitis b become resistant to tenofovir", "ask_resistance", "ask_resistance"),  # in general
        ("i'd like to find out if it's safe for me to come off the pills", "ask_stop", "check_stop"),
        ("worth carrying on with hep b tablets when you feel fine?", "ask_resistance", "ask_resistance"),
        ("tablets for hep b: stop or not?", "ask_stop", "check_stop"),  # elliptical, about their own
        ("was going on peginterferon a good idea for me", "check_interferon", "check_interferon"),
        ("was starting on adefovir a good idea in my case", "check_interferon", "check_resistance"),
        ("is the weekly jab going to be worth it to 48 weeks for me", "check_interferon", "check_resistance"),
        ("what are the signs of resistance, have I got any?", "ask_resistance", "check_resistance"),
        ("is my hep b medicine still effective", "general_hepb", "check_resistance"),
        ("20 weeks into the injections, on track or not?", "ask_resistance", "check_resistance"),
        ("right first medicine or not?", "ask_resistance", "check_resistance"),
        ("is tenofovir a good first choice or not?", "ask_resistance", "ask_resistance"),  # about the drug
        ("did they pick the right first treatment for me?", "ask_resistance", "check_resistance"),
        (
            "ALT 70, limit 40, scan clear, age 39, no family history, HBeAg+. good time for interferon",
            "inform",
            "check_interferon",
        ),
        ("yes the interferon is working", "inform", "inform"),  # an answer inside a check
        ("no cirrhosis on the scan. safe to finish treatment?", "ask_stop", "check_stop"),
        ("virus might be rebounding on my pills, can you check", "check_resistance", "check_resistance"),
        ("a mutation turned up on testing. is the virus rebounding?", "ask_resistance", "check_resistance"),
        ("does the virus rebound if you miss doses?", "ask_resistance", "ask_resistance"),  # in general
        (
            "on interferon first. should I have been started on something else?",
            "general_hepb",
            "check_resistance",
        ),
        ("hx of cirrhosis. do I meet the criteria to stop?", "ask_stop", "check_stop"),
        ("would it be safe for me to drop my hep b tablets now?", "check_resistance", "check_stop"),
        ("3 yrs on entecavir, e neg all along. does that meet the stopping rules?", "ask_stop", "check_stop"),
        ("is my hep b becoming immune to the tablets", "general_hepb", "check_resistance"),
        ("would it be ok for me to pause my meds for good?", "ask_resistance", "check_stop"),  # not a break
        (
            "wondering if my mum's first hep b prescription was appropriate",
            "general_hepb",
            "check_resistance",
        ),
        (
            "first prescribed Intron A with ALT 4x ULN. was that first treatment wise?",
            "general_hepb",
            "check_resistance",
        ),
        ("is tenofovir better than adefovir for not getting resistance?", "ask_resistance", "ask_resistance"),
        ("am I getting resistance?", "ask_resistance", "check_resistance"),
        ("dad wonders if his first hbv tablet was a good option for him", "general_hepb", "check_resistance"),
        ("has the virus escaped my tablets?", "general_hepb", "check_resistance"),
        # a drug's fitness now is the interferon timing; as the first drug, the choice of medicine
        ("Would interferon be a good option for me at the moment?", "check_interferon", "check_interferon"),
        ("is peginterferon a good choice for my son right now?", "check_resistance", "check_interferon"),
        # a follow-up that asks the question for the patient's own case
        ("interferon now or wait? what about in my case", "ask_interferon", "check_interferon"),
        ("is this a viral breakthrough?", "ask_resistance", "check_resistance"),
        ("they found a mutation in the virus. is that a rebound?", "ask_resistance", "check_resistance"),
        (
            "I'm currently on interferon, was that a good first choice?",
            "check_interferon",
            "check_resistance",
        ),
    ],
)
def test_a_yes_no_question_about_the_patients_own_state_starts_the_check(text, classified, expected):
    answer = f"{classified}/overview" if classified.startswith("ask_") else "ask_resistance/overview"
    assert routed(text, classified, [(answer, 0.6)]) == expected


@pytest.mark.parametrize(
    "text, classified, expected",
    [
        ("how often do they need to check my bloods on tablets?", "ask_stop", "ask_stop"),  # not a request
        ("the nurse will check my ALT soon, how often is it usual?", "ask_stop", "ask_stop"),
        (
            "my doctor wants to check my liver, can you check my results for stopping?",
            "ask_stop",
            "check_stop",
        ),
        (
            "if I stop my tablets could I end up with a swollen belly?",
            "check_stop",
            "ask_stop",
        ),  # a condition
        ("would I get ill if I got resistance to lamivudine?", "check_resistance", "ask_resistance"),
        ("on tenofovir 5 years, can I stop if my DNA is undetectable?", "check_stop", "check_stop"),  # values
        (
            "pls check if my treatment can end",
            "check_stop",
            "check_stop",
        ),  # an indirect question, no condition
        (
            "can I stop my entecavir if I'm careful?",
            "check_stop",
            "check_stop",
        ),  # a state, not what would happen
    ],
)
def test_what_others_check_and_conditions_are_no_check_request(text, classified, expected):
    topic = classified.split("_")[1]
    assert routed(text, classified, [(f"ask_{topic}/overview", 0.6)]) == expected


def test_a_check_asked_for_by_its_topic_starts_it_whatever_answer_word_or_confidence():
    doubt = [("dont_know", 0.69), ("inform", 0.08), ("affirm", 0.05)]
    asked = "im not sure my first hep b tablet was the best pick, can you check"
    assert route(asked, doubt, [], None).intent == "check_resistance"  # a long message with an answer word
    assert route("not sure, can you check", doubt, [], None).intent != "check_resistance"  # an answer
    relapse = [("ask_stop", 0.48), ("ask_resistance", 0.25)]
    asked = "i'm scared the virus is coming back while on tablets, can you check"
    assert route(asked, relapse, [], None).intent == "check_resistance"  # a rebound on treatment
    unsure = [("inform", 0.2), ("ask_stop", 0.15)]
    assert route("can you check if i can come off entecavir", unsure, [], None).intent == "check_stop"
    assert route("can you check if I can stop drinking", unsure, [], None).intent != "check_stop"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("must I give up beer for good now", "general_hepb"),  # not the treatment
        ("is it ok to stop exercising while on tenofovir", "general_hepb"),
        ("when can I stop taking tenofovir", "ask_stop"),
        ("can I stop the tablets and start smoking again", "check_stop"),  # one "stop" is the treatment
    ],
)
def test_stopping_something_else_is_not_the_stop_topic(text, expected):
    assert routed(text, "ask_stop", [("ask_stop/overview", 0.5)]) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("pricked myself on a sharps bin needle at the clinic this morning", "exposure"),
        ("the condom split on friday and she has hepatitis b", "exposure"),
        ("our daughter was born 2 hours ago and I carry hep b", "newborn"),
        ("my partner is in labour, she is hbsag positive", "newborn"),
        ("does hep b spread by sharing a razor?", "general_hepb"),  # no event, no time
        ("we had unprotected sex years before my diagnosis, should he be tested", "general_hepb"),
        ("can I breastfeed when the baby is born?", "general_hepb"),
        ("my waters broke an hour ago and I'm hbsag positive, what does the baby need?", "newborn"),
    ],
)
def test_a_recent_exposure_or_birth_is_time_sensitive_whatever_the_classifier_says(text, expected):
    assert routed(text, "general_hepb", [("ask_stop/overview", 0.2)]) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "my mum's interferon did not work. what do doctors usually try next",
            "ask_stop",
        ),  # open, in general
        ("how is my treatment doing, can you check", "check_stop"),  # "how is my ...": own state
        ("was entecavir a good choice for me? they started it when I was 30", "check_resistance"),
    ],
)
def test_a_check_intent_asked_as_an_open_or_general_question_gets_the_answer(text, expected):
    assert routed(text, "check_stop", [("ask_stop/overview", 0.6)]) == expected


def test_a_check_asked_for_with_values_starts_the_check_its_words_name():
    assert routed("check my interferon timing please", "inform") == "check_interferon"
    assert routed("check my week 32 result for the injections", "inform") == "check_resistance"
    assert routed("check my interferon", "check_interferon") == "check_interferon"  # not a bare value


def test_values_before_a_question_about_what_usually_happens_get_the_answer():
    assert (
        routed(
            "dad is on entecavir 5 years now. in general when do people come off it",
            "ask_stop",
            [("ask_stop/overview", 0.6)],
        )
        == "ask_stop"
    )


def test_a_check_asked_impersonally_gets_the_topics_answer():
    message = guard(
        "can hepatitis b treatment ever be stopped",
        "check_stop",
        [("ask_resistance/res_harm", 0.5), ("ask_stop/overview", 0.4)],
    )
    assert message.get(INTENT)["name"] == "ask_stop"
    assert chosen_answer(message) == "ask_stop/overview"


@pytest.mark.parametrize(
    "text, ranking, expected",
    [
        (
            "hi my grandmother was told she has hepatitis B, what does this mean for her daily life",
            [("greet", 0.5), ("general_hepb", 0.4)],
            "general_hepb",
        ),  # a long message that starts with "hi"
        ("hi there, good morning", [("greet", 0.7), ("general_hepb", 0.2)], "greet"),
        ("thanks, that was really useful for me", [("thank", 0.8), ("greet", 0.1)], "thank"),
        (
            "will my baby get hepatitis b from me",
            [("newborn", 0.5), ("general_hepb", 0.4)],
            "general_hepb",
        ),  # no birth
        (
            "should i tell my new girlfriend i have hepatitis b",
            [("exposure", 0.5), ("general_hepb", 0.4)],
            "general_hepb",
        ),  # no exposure told
        (
            "how come infants are vaccinated against hep b at birth?",
            [("newborn", 0.7), ("general_hepb", 0.2)],
            "general_hepb",
        ),  # a time of vaccination, no birth told
        (
            "i'm 39 weeks pregnant with hep b, what happens to my baby",
            [("newborn", 0.6), ("general_hepb", 0.3)],
            "newborn",
        ),
        (
            "my husband has hep b and we had sex without a condom",
            [("exposure", 0.6), ("general_hepb", 0.3)],
            "exposure",
        ),
        (
            "how do i keep my hep b injections cold when travelling",
            [("out_of_scope", 0.6), ("greet", 0.1)],
            "general_hepb",
        ),  # hepatitis B, outside the topics
        ("what is the best pizza in town", [("out_of_scope", 0.6), ("greet", 0.1)], "out_of_scope"),
    ],
)
def test_the_classifiers_social_time_sensitive_and_off_topic_intents_need_their_words(
    text, ranking, expected
):
    assert route(text, ranking, [Selection("ask_stop/overview", 0.1)], None).intent == expected


@pytest.mark.parametrize(
    "text, intent, answer, expected",
    [
        (
            "doc says my ALT is over 10 times normal so no interferon for now. why is that?",
            "check_interferon",
            "ask_interferon/ifn_high",
            "ask_interferon",
        ),  # why: the reason, not a check
        (
            "Excuse me, when you are e-antigen negative on tablets, how long after the virus is gone "
            "do you go on?",
            "check_stop",
            "ask_stop/stop_na_eneg",
            "ask_stop",
        ),  # "excuse me" is not personal
        (
            "is it dangerous to quit my antivirals on my own? i feel totally fine",
            "check_stop",
            "ask_stop/stop_danger",
            "ask_stop",
        ),
        (
            "wat happen if i forgot my hepatitis pill yesterday",
            "general_hepb",
            "ask_stop/stop_danger",
            "ask_resistance",
        ),
    ],
)
def test_questions_that_ask_why_or_what_happens_get_the_answer(text, intent, answer, expected):
    assert routed(text, intent, [(answer, 0.9)]) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("can I stop?", True),
        ("my dad's tablets", True),
        ("when can treatment be stopped?", False),
        ("sorry my english is bad, how long is the peginterferon course?", False),
    ],
)
def test_personal_words(text, expected):
    assert is_personal(text) is expected


@pytest.mark.parametrize(
    "text, intent, expected",
    [
        (
            "how can I tell if my entecavir is working? I have the results",
            "check_resistance",
            "check_resistance",
        ),
        ("how can you tell if hepatitis b pills are working?", "ask_resistance", "ask_resistance"),
        ("was it sensible to begin my treatment with adefovir?", "ask_resistance", "check_resistance"),
        ("is the medicine failing?", "ask_resistance", "check_resistance"),
        ("i want to check about resistance to my tablets", "ask_resistance", "check_resistance"),
        ("i'd like to check if i can stop my tablets", "out_of_scope", "check_stop"),
        ("dna went from 5000 to 80000 on tenofovir, is it a rebound?", "ask_resistance", "check_resistance"),
        ("what should the viral load be by week 24 of peginterferon?", "ask_resistance", "ask_resistance"),
        ("how's my response to the pills going so far?", "ask_resistance", "check_resistance"),
        ("i want to check if i can stop drinking coffee", "out_of_scope", "out_of_scope"),
        ("the hep b vaccine engerix. good choice or not?", "general_hepb", "general_hepb"),  # no drug
        ("my first drug was adefovir. a sensible choice?", "ask_resistance", "check_resistance"),
        ("is adefovir a good choice?", "ask_resistance", "ask_resistance"),
        # a viral load without its unit, then a comma
        (
            "6-month viral load is 10^4, it was 10^7 at the start. big enough fall?",
            "check_resistance",
            "check_resistance",
        ),
        (
            "on pegasys, my viral load is still 50000, is it working for me",
            "check_resistance",
            "check_resistance",
        ),
    ],
)
def test_own_case_asked_indirectly_or_with_a_viral_load_without_unit_starts_the_check(text, intent, expected):
    assert routed(text, intent, [("ask_resistance/overview", 0.5)]) == expected


@pytest.mark.parametrize(
    "text, intent, answer",
    [
        (
            "ALT 20 times the limit, interferon now or later? asking in general",
            "ask_interferon",
            "ask_interferon/ifn_high",
        ),
        (
            "ALT somewhere between 2x and 10x the limit, good for interferon?",
            "ask_interferon",
            "ask_interferon/ifn_window",
        ),
        (
            "peginterferon going fine at 6 months, carry on or stop? what is usual",
            "ask_stop",
            "ask_stop/stop_ifn_response",
        ),
        (
            "dna at most 10^5 and ALT high, does interferon work better?",
            "ask_interferon",
            "ask_interferon/ifn_favourable",
        ),
        ("the weekly jab course, is 48 weeks the standard length?", "ask_stop", "ask_stop/stop_peg_course"),
    ],
)
def test_questions_with_example_values_or_asked_in_general_get_the_answer(text, intent, answer):
    assert routed(text, intent, [(answer, 0.9)]) == answer.split("/")[0]


@pytest.mark.parametrize(
    "text",
    [
        "85 U/L",
        "2.3 x 10^5 copies/mL",
        "since March 2023",
        "a year and a half",
        "2.5 times normal",
        "undetectable",
        "1,000 IU/mL",
        "grade 2",
        "45",
        "tablets",
        "it's tenofovir",
    ],
)
def test_bare_values(text):
    assert is_bare_value(text)


@pytest.mark.parametrize("text", ["best time for interferon", "interferon worth it", "when interferon"])
def test_a_drug_asked_about_is_no_bare_value(text):
    assert not is_bare_value(text)


@pytest.mark.parametrize(
    "text, confidence, expected",
    [
        # one fact asked, the selector sure of it, no results in numbers: the fact, with a check button
        ("my uncle has cirrhosis from hep b, is he stuck with tablets forever?", 0.9, "ask_stop"),
        ("I'm HBeAg negative on tablets. is 12 months of consolidation the rule?", 0.9, "ask_stop"),
        # the selector unsure: the check
        ("my uncle has cirrhosis from hep b, is he stuck with tablets forever?", 0.6, "check_stop"),
        # results in numbers: the check
        ("I'm HBeAg negative, DNA 5000 IU/mL on tablets. is consolidation the rule?", 0.9, "check_stop"),
    ],
)
def test_one_fact_asked_with_the_patients_facts_gets_the_fact_first(text, confidence, expected):
    assert routed(text, "ask_stop", [("ask_stop/stop_cirrhosis", confidence)]) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my doctor mentioned a 'consolidation' period. what is that?", "ask_stop"),  # "that": no term
        ("what are they aiming for with my mum's tablets?", "ask_stop"),
        ("what is hepatic encephalopathy?", "general_hepb"),  # a term no answer explains
    ],
)
def test_a_pronoun_is_no_term_to_define(text, expected):
    assert routed(text, "ask_stop", [("ask_stop/stop_na_eneg", 0.9)]) == expected


def test_a_check_asked_for_that_the_classifier_scopes_starts_its_next_check():
    ranking = [("general_hepb", 0.34), ("check_resistance", 0.33), ("check_stop", 0.21)]
    assert route("can you check my hep b treatment", ranking, [], None).intent == "check_resistance"
    assert route("what is hep b treatment", ranking, [], None).intent == "general_hepb"  # no check asked
    assert route("why do they want to check my hep b?", ranking, [], None).intent == "general_hepb"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my son is e antigen positive and on tablets. what should they achieve for him?", "ask_resistance"),
        (
            "my son is e antigen positive, viral load 10^7 IU/mL. what should they achieve for him?",
            "check_resistance",
        ),
    ],
)
def test_an_open_question_beside_the_patients_facts_gets_the_answer(text, expected):
    assert routed(text, "ask_resistance", [("ask_resistance/res_epos_goal", 0.6)]) == expected


def test_a_check_intent_asking_what_usually_happens_gets_the_answer():
    text = "dad has been on tablets for 4 years, how long do people usually stay on them?"
    assert routed(text, "check_stop", [("ask_stop/overview", 0.6)]) == "ask_stop"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my liver stiffness came back at 6.1 kPa, what does that mean", "general_hepb"),  # asks after
        ("6.1 kPa", "inform"),  # an answer
    ],
)
def test_a_value_followed_by_an_open_question_is_a_question(text, expected):
    ranking = [("inform", 0.5), ("general_hepb", 0.4)]
    assert route(text, ranking, [Selection("ask_stop/overview", 0.1)], None).intent == expected


@pytest.mark.parametrize(
    "text, classified, expected",
    [
        ("could my tablets ever cure my hepatitis b?", "general_hepb", "ask_stop"),
        ("been on tenofovir 9 years, will it ever get rid of the virus?", "check_stop", "ask_stop"),
        ("will there ever be a cure for hepatitis b?", "general_hepb", "general_hepb"),  # no tablets
        ("can peginterferon cure hep b?", "ask_interferon", "ask_interferon"),  # not the tablets
        ("hep c is cured with tablets now, why not hep b?", "general_hepb", "general_hepb"),
        ("will entecavir ever clear the virus? can I stop it yet?", "ask_stop", "check_stop"),  # own case
    ],
)
def test_whether_the_tablets_cure_gets_the_answer_that_they_keep_the_virus_quiet(text, classified, expected):
    message = guard(
        text,
        classified,
        [(f"{classified}/overview" if classified.startswith("ask_") else "ask_stop/overview", 0.5)],
    )
    assert message.get(INTENT)["name"] == expected
    if expected == "ask_stop":
        assert chosen_answer(message) == "ask_stop/stop_danger"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("cn i stp my medicin now", "check_stop"),  # no person asked for: the runner-up
        ("can I stop my tablets now", "check_stop"),
        ("can I talk to a person", "human_handoff"),
        ("i'd like the liver team to ring me", "human_handoff"),
    ],
)
def test_a_handoff_needs_a_person_asked_for(text, expected):
    assert guard(text, "human_handoff", runner_up="check_stop").get(INTENT)["name"] == expected


@pytest.mark.parametrize(
    "text",
    ["how am i doing on the tablets at the 3 and 6 month checks", "how am i getting on with entecavir"],
)
def test_how_the_patient_is_doing_on_tablets_asks_for_the_response_check(text):
    assert routed(text, "general_hepb", [("ask_resistance/res_na_3m", 0.16)]) == "check_resistance"
