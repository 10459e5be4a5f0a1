"""Routing of a message by rules that must not depend on a classifier's mood (no Rasa import).

`route` takes the text, the intent classifier's ranking and the answer selector's ranking, and
decides the intent (and, for a general question, which general answer):
1. a red flag (deterministic lexicon, knowledge.redflags) is `report_red_flag`, whatever else the
   message says; typed text starting with "/" is read as text; an exposure or a birth that has
   just happened (or is about to) is `exposure` or `newborn`;
2. a button payload ("/affirm") keeps the intent Rasa read from it;
3. gibberish or another language is `nlu_fallback` ("I didn't understand");
4. the classifier's red flag is kept only when it is sure and no negated symptom explains it
   ("no jaundice": the lexicon saw the symptom and its negation);
5. from here on, statements that only deny symptoms are left out ("no jaundice. Can I stop?");
   a message that is only a value ("85", "<20 IU/mL", "tablets") is `inform`; a question is not;
6. breaks, skipped or every-other-day doses get the adherence answer;
7. too little confidence is `nlu_fallback`, unless the answer selector is sure of an answer;
8. a general question gets its general answer when the selector is sure and agrees with the
   topic (or is very sure on its own), otherwise the scoped reply (`general_hepb`); with the
   patient's own values (said of themselves, or stated as one case, not of "someone") it
   starts the topic's check, unless it asks one fact (an open question, or one the selector is
   sure of) and gives no lab results in numbers ("my dad has cirrhosis, will he be on tablets for
   life?": the fact first, with the button for the check);
9. a check asked without any personal word or measured value gets the topic's general answer;
   a check that asks one of the resistance questions (first choice of medicine, response at 3
   and 6 months or week 32, warning signs) is the resistance check; a general question that
   asks for a check ("check my ...") starts the topic's check.
Of two general answers that differ by one fact (the standard or the pegylated interferon course,
the 3- or 6-month response), the one the question alone names is given.
The words are data in knowledge/data/questions.yaml (`routing`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from components.phrasing import asks_after_a_statement, is_question
from knowledge.answers import read_statements
from knowledge.data import ANSWER_WORDS, CHECKS, DRUGS, QUESTIONS, ROUTING
from knowledge.labvalues import (
    LabValueError,
    UnitMissingError,
    parse_alt,
    parse_duration_months,
    parse_hbv_dna,
)
from knowledge.phrases import Lexicon, normalise
from knowledge.redflags import (
    asks_only_in_general,
    denies_symptoms,
    detect_red_flags,
    mentions_stopping,
    mentions_symptom,
    without_denied_symptoms,
)

TOPIC_OF_INTENT = {"ask_stop": "stop", "ask_resistance": "resistance", "ask_interferon": "interferon"}
CHECK_INTENTS = ("check_stop", "check_resistance", "check_interferon")
ANSWER_INTENTS = {"inform", "affirm", "deny", "dont_know"}
ADHERENCE_KEY = "ask_resistance/res_adherence"
SCOPED = "general_hepb"
FALLBACK = "nlu_fallback"
DEFAULTS = {"answer_threshold": 0.3, "trust_selector": 0.6, "fallback_threshold": 0.3, "trust_red_flag": 0.8}

_ADHERENCE = Lexicon.of({True: ROUTING["adherence"]})
_INTERFERON_WORDS = Lexicon.of(
    {
        True: [
            *DRUGS["interferon"]["aliases"],
            *DRUGS["peg_interferon"]["aliases"],
            "interferon",
            "peginterferon",
            *ANSWER_WORDS["drug_classes"]["injection"],
        ]
    }
)
_PERSONAL = Lexicon.of({True: ROUTING["personal"]})
_NOT_PERSONAL = Lexicon.of({True: ROUTING["not_personal"]})
_ANYONE = Lexicon.of({True: ROUTING["anyone"]})
_CHECK_REQUEST = Lexicon.of({True: ROUTING["check_requests"]})
_OTHERS_CHECK = re.compile(  # "they need to check my bloods", "the nurse will check my ..."
    r"\b(?:they|doctors?|nurses?|clinic|hospital|gp|consultant|lab)\b(?:\s+\w+){0,3}\s+check$"
)
_RESISTANCE_QUESTION = Lexicon.of({True: ROUTING["resistance_questions"]})
_RESISTANCE_STATE = Lexicon.of({True: ROUTING["resistance_state_questions"]})
_INTERFERON_STATE = Lexicon.of({True: ROUTING["interferon_state_questions"]})
_STOP_STATE = Lexicon.of({True: ROUTING["stop_state_questions"]})
_OWN_RESISTANCE_STATE = Lexicon.of({True: ROUTING["own_resistance_states"]})
_OWN_PROGRESS = Lexicon.of({True: ROUTING["own_progress_questions"]})
_STOP_WORD = re.compile(r"\b(?:stop|stops|stopping|stopped|quit|quitting|give up|giving up)\s+([a-z]+)")
_STOPPING_TREATMENT = set(ROUTING["stopping_treatment_words"])
_OTHER_THINGS_TO_STOP = set(ROUTING["other_things_to_stop"])
_EXPOSURE = Lexicon.of({True: ROUTING["exposure_events"]})
_BIRTH = Lexicon.of({True: ROUTING["birth_events"]})
_RECENT = Lexicon.of({True: ROUTING["recent_times"]})
_BIRTH_TIMING = Lexicon.of({True: ROUTING["birth_timings"]})
_CHOICE = Lexicon.of({True: ROUTING["choice_words"]})
_CONTINUING = Lexicon.of({True: ROUTING["continuing_questions"]})
_FULL_COURSE = Lexicon.of({True: ROUTING["full_interferon_course"]})
_WEEK_32 = Lexicon.of({True: QUESTIONS["res_question"]["choices"]["ifn_week32"]["strong"]})
_AT_PRESENT = re.compile(  # "a good option for me at the moment?": the timing, not the first choice
    r"\b(?:now|right now|at the moment|at present|currently|at this (?:point|stage|time))\b"
)
_FIRST_OR_PAST = re.compile(r"\b(?:first|was|were|did|began|started)\b")
_PAST_QUESTION = re.compile(  # "was the right medicine picked?", "should I have been started on ...?"
    r"(?:was|were|did|should (?:i|he|she|we|they) have been)\b"
)
_OR_NOT = re.compile(r"\bor not\s*\?*$")  # "good first choice or not?": about the patient's own
_ABOUT_THIS = re.compile(r"(?:is|was|are|were)\s+(?:that|this|it|they)\b")  # "is that an ok first choice?"
_HEPATITIS = Lexicon.of({True: ROUTING["hepatitis_words"]})
_OTHER_HEPATITIS = Lexicon.of({True: ROUTING["other_hepatitis"]})
_DEFINED = Lexicon.of({True: ROUTING["defined_terms"]})
_DEFINITION = re.compile(  # "what is cirrhosis?", "what's the e antigen exactly?", "what does HBeAg mean?"
    r"^(?:so |and |but |ok |okay )?(?:(?:(?:what|wat)\s+(?:is|are)|whats|what's)\s+(?:a |an |the )?"
    r"(?P<term>[a-z0-9 /'-]+?)(?:\s+(?:exactly|actually))?|(?:what|wat)\s+(?:does|do)\s+(?:a |an |the )?"
    r"(?P<meant>[a-z0-9 /'-]+?)\s+(?:mean|stand for))"
    r"(?:,?\s+in (?:plain|simple) (?:words|english|terms))?\s*\??$"
)
_GENERAL = Lexicon.of({True: ROUTING["general_markers"]})
_DRUG_WORDS = [*DRUGS, *(alias for drug in DRUGS.values() for alias in drug["aliases"])]
_DRUG_NAMES = Lexicon.of({True: _DRUG_WORDS})
_NO_TERM = re.compile(  # "what's the 2nd one", "what are they aiming for", "what is that"
    r"\d|\b(?:one|ones|next|step|steps|first|second|third|last|usual|normal|best|done"
    r"|that|this|it|they|them|these|those|we|you|he|she)\b"
)
_SUBJECTS = [*ROUTING["treatment_subjects"], *_DRUG_WORDS]
_SUBJECT, _WORKING = (  # regex alternatives: any of the phrases, any spaces between their words
    "|".join(re.escape(normalise(phrase)).replace(r"\ ", r"\s+") for phrase in phrases)
    for phrases in (_SUBJECTS, ROUTING["working_states"])
)
_TREATMENT_WORKING = re.compile(  # "is my treatment working?", "entecavir still doing its job?"
    rf"\b(?:{_SUBJECT})\s+(?:(?:is|are|still|really|actually|even|already)\s+)*(?:{_WORKING})\b"
)
_OPEN_QUESTION = re.compile(r"\b(?:what|how|why|which|who|where|when|whats|hows)\b")
_ABOUT_ME = re.compile(
    r"(?:and |so )?(?:(?:what|how) about|and|so) (?:in |for )?(?:my case|me|mine|my \w+|him|her|us)\W*"
    r"|(?:and |so )?(?:in|for) (?:my|his|her|our) case\W*|(?:and |so )?for me\W*"
)
_OPEN_ANSWER = re.compile(
    r"(?:what|whats|why|which)\b|how\b(?!\s+(?:is|are|am|s|has|have)\s+(?:my|i|it|the|things)\b)"
)
_INDIRECT_IF = re.compile(
    r"\b(?:wonder|wonders|wondering|wondered|know|see|tell me|check|asking|ask|sure|find out|"
    r"learn)\s+if\b"
)
# "how do I know if my tablets are working?": a question about the patient's own state, asked indirectly.
_HOW_TO_TELL = re.compile(
    r"^.*?\bhow (?:do|can|could|would|will) (?:i|we) (?:know|tell|find out|see|be sure)\s+"
    r"(?:if|whether)\s+(?=(?:my|our|his|her|mum's|mom's|dad's)\b)"
)
_STARTED_WITH = re.compile(
    r"\b(?:begin|began|start|started)\w*\s+(?:\w+\s+){0,2}with\b|\b(?:starting|beginning|putting me)\s+on\b"
)  # "ok to begin with X?", "was starting on X a good idea?"
_SHORT_OWN_QUESTION = re.compile(r"(?:do|am|have|has|is|are)\s+(?:i|my|he|she|we)\b(?:\s+\w+){0,3}\s*\??$")
_DNA_NUMBER = re.compile(  # a viral load without its unit ("dna now 3100"), not a time ("dna by week 32")
    r"\b(?:viral load|vl|dna|virus)\b[^.?!,;]{0,20}?"
    r"(?<![\d.,^])(?<!week )(?<!weeks )(?<!wk )(?<!month )(?<!than )(?<!by )(?<!since )(?<!sinse )(?<!in )"
    r"(?<!rises )(?<!rose )(?<!falls )(?<!fell )(?<!drops )"  # not "rises 1 log"
    r"\d+(?:[.,^]\d+)*(?![\d^]|[.,]\d)"  # "10^4," ends at the comma
    r"(?!\s*(?:months?|weeks?|wks?|years?|yrs?|days?|x\b|times|-?fold))"
)
_CONDITION = re.compile(r"\b(?:if|once|when|unless|suppose|supposing|assuming|in case)\b")
_FOR_GOOD = re.compile(r"\b(?:for good|permanently|forever|for ever|altogether|once and for all)\b")
_CONSEQUENCE_OF_IF = re.compile(  # "if I stop, could I ...?", "would I go yellow if ...?": what would happen
    r"^(?:so |and |but )?(?:if|what if|suppose|supposing|in case)\b"
    r"|\b(?:would|could|will|might) (?:i|he|she|they|it|we)\b.*\b(?:if|unless|in case)\b"
)
_EXAMPLE_VALUES = re.compile(  # "2-10 x", "between 2x and 10x", "2 times? 10 times?", "like 15x"
    r"\b\d+(?:\.\d+)?\s*(?:-|to)\s*\d+(?:\.\d+)?\s*(?:x|times)\b|\b(?:like|say|eg|e g|for example|"
    r"for instance)\s+(?:an?\s+|alt\s+(?:of\s+)?)?\d"
    r"|\bbetween\s+\d+(?:\.\d+)?\s*(?:x|times)?\s+and\s+\d+(?:\.\d+)?\s*(?:x|times)\b"
    r"|\b\d+\s*(?:x|times)\s*\?\s*(?:or\s+)?\d+\s*(?:x|times)\b"
)
# "... asking in general", "just in general": said anywhere, the whole message asks in general.
_ASKING_IN_GENERAL = re.compile(r"\b(?:asking|just|question|wondering|curious)\s+in general\b")
_THRESHOLD = re.compile(
    r"\b(?:over|above|more than|greater than|drops below|falls below|comes down below|"
    r"goes below|gets below|at most|at least|no more than|no less than)\s+(?:a\s+)?\d"
)
_LENGTH_ASKED = re.compile(  # "is it 48 weeks or longer?": a length asked about, not a time on treatment
    r"\b\d+\s*(?:weeks?|months?|years?)\b(?:\s+[a-z]+){0,2}\s+or\s+(?:longer|more|less|shorter)\b"
)
_NOT_IMMINENT = re.compile(  # a pregnancy months from its end is no birth about to happen
    r"\b(?:[1-9]|[12]\d|3[0-3]) weeks pregnant\b|\b(?:[1-7]) months pregnant\b"
    r"|\bdue (?:date )?(?:is )?in (?:[2-9]|a few) months\b"
)
_CONSEQUENCE = re.compile(r"\b(?:why|how come)\b|\bthen\W*$")
_WHY = re.compile(r"\b(?:why|how come)\b")
_SOCIAL = ("greet", "thank", "goodbye")
_HANDOFF_WORDS = Lexicon.of({True: ROUTING["handoff_words"]})
_MEASURED_KINDS = ("hbv_dna", "alt", "alt_uln", "age", "grade", "duration")  # results and times in numbers
_VALUES_THEN_QUESTION_WORDS = 12  # "ALT 70 (limit 40), ..., good time for the interferon": a first message
_SOCIAL_MAX_WORDS = 8  # a longer message that starts with "hi" or "thanks" asks something
_WORD = re.compile(r"[a-z]+")
_ANY_DIGIT = re.compile(r"\d")
_QUESTION_START = re.compile(
    r"(?:what|how|why|when|which|who|is|are|does|do|can|could|should|would|will|if|once"
    r"|suppose|supposing|assuming|say|in case)\b"
)
_QUESTION_SENTENCE = re.compile(r"[^.!?]*\w[^.!?]*\?+")
_SIBLING_GROUPS = [Lexicon.of(group) for group in ROUTING["sibling_answers"]]  # one lexicon per group
_SIBLINGS = {key: lexicon for lexicon in _SIBLING_GROUPS for key in set(lexicon.meanings.values())}


@dataclass(frozen=True)
class Selection:
    """A general answer the response selector ranks, and how sure it is."""

    key: str
    confidence: float

    @property
    def intent(self) -> str:
        return self.key.split("/")[0]


@dataclass(frozen=True)
class Decision:
    """Where a message goes: the intent, the general answer to give (if any), the urgent reply's kind."""

    intent: str
    answer: Selection | None = None
    red_flag_kind: str | None = None


def route(
    text: str,
    intents: Sequence[tuple[str, float]],
    answers: Sequence[Selection],
    vocabulary: Vocabulary | None,
    config: dict[str, float] = DEFAULTS,
) -> Decision:
    """The routing decision for a message (see the module docstring for the order)."""
    decision = _route(text, intents, answers, vocabulary, config)
    if decision.answer is None:
        return decision
    return replace(decision, answer=named_sibling(text, decision.answer))


def named_sibling(text: str, selection: Selection) -> Selection:
    """The answer of the selection's group that the question alone names ("how long is the weekly
    peginterferon course?" -> the peginterferon course, not the standard one), else the selection."""
    siblings = _SIBLINGS.get(selection.key)
    named = {found.meaning for found in siblings.find(normalise(text))} if siblings else set()
    return Selection(named.pop(), selection.confidence) if len(named) == 1 else selection


def _route(
    text: str,
    intents: Sequence[tuple[str, float]],
    answers: Sequence[Selection],
    vocabulary: Vocabulary | None,
    config: dict[str, float],
) -> Decision:
    flags = detect_red_flags(text)
    if flags:
        kind = (
            "self_harm"
            if any(f.id == "self_harm" for f in flags)
            else ("after_stopping" if mentions_stopping(text) else "other")
        )
        return Decision("report_red_flag", red_flag_kind=kind)
    ranked = [(name, confidence) for name, confidence in intents if name != FALLBACK]
    if text.startswith("/") or not ranked:
        return Decision(intents[0][0] if intents else FALLBACK)
    urgent = time_sensitive_situation(text)
    if urgent:
        return Decision(urgent)
    if vocabulary and vocabulary.is_gibberish(text):
        return Decision(FALLBACK)
    intent, confidence = ranked[0]
    if len(ranked) > 1 and (
        (intent in _SOCIAL and len(normalise(text).split()) > _SOCIAL_MAX_WORDS)
        or (intent == "human_handoff" and not _HANDOFF_WORDS.first(normalise(text)))
        or (intent in ("exposure", "newborn") and not _tells_of_an_event(text))
    ):
        intent, confidence = ranked[1]  # "hi, my gran was told she has hep B, what does it mean?", "cn i stp"
    doubtful_alarm = (
        mentions_symptom(text)
        or denies_symptoms(text)
        or asks_only_in_general(text)  # "what are the signs of cirrhosis?"
        or confidence < config["trust_red_flag"]
    )
    if intent == "report_red_flag" and doubtful_alarm and len(ranked) > 1:
        intent, confidence = ranked[1]  # "no jaundice, no pain, can I stop?": the lexicon saw no red flag
    text = without_denied_symptoms(text)  # what is asked: "no jaundice, no pain. Can I stop?"
    if intent not in ANSWER_INTENTS and is_bare_value(text):
        return Decision("inform")
    if intent in ANSWER_INTENTS and asks_after_a_statement(text) and len(ranked) > 1:
        intent, confidence = next(  # an answer word in a question: "what is the normal dose?"
            (ranking for ranking in ranked[1:] if not (ranking[0] == "report_red_flag" and doubtful_alarm)),
            ranked[1],
        )
    if is_adherence_question(text):
        return Decision("ask_resistance", Selection(ADHERENCE_KEY, 1.0))
    if (intent in TOPIC_OF_INTENT or intent in CHECK_INTENTS) and (
        asks_about_another_hepatitis(text) or asks_what_another_term_is(text)
    ):
        return Decision(SCOPED)  # "what is cirrhosis?", "interferon for hepatitis C, how long?"
    own_state = own_state_question(text, intent)
    if own_state:
        return Decision(f"check_{own_state}")  # "treatment working??", "is now a good time for him?"
    if asks_if_tablets_cure(text):
        return Decision("ask_stop", Selection(TABLETS_DO_NOT_CURE_KEY, 1.0))
    best = answers[0] if answers else None
    if confidence < config["fallback_threshold"]:
        sure = best is not None and best.confidence >= config["trust_selector"]
        if sure:
            return Decision(best.intent, best)
        asked_topic = checked_topic(text)  # "not sure my first tablet was the best pick, can you check"
        if asked_topic:
            return Decision(f"check_{asked_topic}")
        hepatitis = _HEPATITIS.first(normalise(text))  # "side effects of interferon?": hepatitis B, not ours
        return Decision(SCOPED if hepatitis else FALLBACK)
    other_check = intent in ("check_stop", "check_interferon") or (
        intent in ("ask_stop", "ask_interferon") and asks_for_a_check(text)
    )
    if other_check and _RESISTANCE_QUESTION.first(normalise(text)):
        return Decision(
            "check_resistance"
        )  # "was interferon a sensible first drug?", "week 32 of her injections"
    if intent in TOPIC_OF_INTENT and asks_for_a_check(text) and not stops_something_else(text):
        return Decision(f"check_{TOPIC_OF_INTENT[intent]}")  # "check my response to the pills"
    long_answer = intent in ANSWER_INTENTS and len(normalise(text).split()) >= _VALUES_THEN_QUESTION_WORDS
    asked_topic = checked_topic(text) if intent in ("inform", "out_of_scope", SCOPED) or long_answer else None
    if asked_topic:
        return Decision(
            f"check_{asked_topic}"
        )  # "check my week 32 interferon result", "not sure my first pill was the best pick, can you check"
    runner_up = next((name for name, _ in ranked[1:3] if name in CHECK_INTENTS), None)
    if (
        intent == SCOPED
        and runner_up
        and asks_for_a_check(text)
        and _HEPATITIS.first(normalise(text))
        and not _OPEN_QUESTION.search(_asked(text))
    ):  # "can you check my hep b treatment?", not "why do they want to check my hep b?"
        return Decision(runner_up)
    if intent in ("ask_stop", "check_stop") and stops_something_else(text):
        sure = best is not None and best.intent != "ask_stop" and best.confidence >= config["trust_selector"]
        return Decision(best.intent, best) if sure else Decision(SCOPED)  # "should I stop drinking?"
    if intent in TOPIC_OF_INTENT:
        return _general_question(text, intent, answers, config)
    if intent == "out_of_scope" and _HEPATITIS.first(normalise(text)):
        return Decision(SCOPED)  # "how do I store my hep B injections?": hepatitis B, not our topics
    if (
        intent.startswith("check_")
        and (
            _WHY.search(_asked(text))
            or _GENERAL.first(_asked(text))  # "on tablets 3 years, how long do people usually stay on them?"
            or (
                not gives_values(text, intent[6:], True)
                and (
                    not (is_personal(text) or asks_for_a_check(text))
                    or asks_in_general(text)
                    or _CONSEQUENCE_OF_IF.search(_asked(text))  # "if I stop could I end up like that?"
                )
            )
        )
    ):  # "ifn failed for my brother. what's normally next?"
        general = f"ask_{intent[len('check_') :]}"
        in_topic = best_in_topic(answers, general)
        return Decision(general, in_topic) if in_topic else Decision(SCOPED)
    return Decision(intent)


def _general_question(
    text: str, intent: str, answers: Sequence[Selection], config: dict[str, float]
) -> Decision:
    topic = TOPIC_OF_INTENT[intent]
    personal = is_personal(text) and not _asks_about_anyone(text)
    asked = _asked(
        text
    )  # "..., what's normally the next step?", "... so no interferon for now. why is that?"
    usually = (
        _GENERAL.first(asked) is not None
        or _WHY.search(asked) is not None
        or _ASKING_IN_GENERAL.search(normalise(text)) is not None
    )
    best = answers[0] if answers else None
    # One fact asked, the selector sure of it, and no results in numbers: the fact first, with a
    # button for the check ("my dad has cirrhosis, will he be on tablets for life?").
    asks_one_fact = not gives_results(text, topic) and (
        _OPEN_ANSWER.match(asked) is not None  # "my daughter is HBeAg positive, what are they aiming for?"
        or (best is not None and best.intent == intent and best.confidence >= config["trust_selector"])
    )
    if (
        (personal or _states_a_case(text))
        and not (usually or asks_one_fact)
        and gives_values(text, topic, not personal)
    ):
        return Decision(
            f"check_{topic}"
        )  # "my ALT is 120, ...?", "DNA 10^7 copies, on lamivudine. right choice?"
    if best and best.intent == intent and best.confidence >= config["answer_threshold"]:
        return Decision(intent, best)
    if best and best.confidence >= config["trust_selector"]:
        return Decision(best.intent, best)
    in_topic = best_in_topic(answers, intent)
    if in_topic and in_topic.confidence >= config["answer_threshold"]:
        return Decision(intent, in_topic)
    return Decision(SCOPED)


def _asks_about_anyone(text: str) -> bool:
    """The message ends with a question about people in general ("... Can people with cirrhosis stop?")."""
    return _ANYONE.first(_asked(text)) is not None


def _asked(text: str) -> str:
    """The normalised sentence that asks: the last one ending in a question mark (or an open question
    after it without one: "..., continue or stop? what is usual"), else the last one."""
    questions = _QUESTION_SENTENCE.findall(text)
    if questions:
        after = normalise(text[text.rindex("?") + 1 :])
        if _ABOUT_ME.fullmatch(after):  # "interferon now or wait? what about in my case"
            return f"{normalise(questions[-1])} for me"
        return after if _OPEN_ANSWER.match(after) else normalise(questions[-1])
    sentences = [part for part in re.split(r"[.!]+", text) if part.strip()]
    return normalise(sentences[-1]) if sentences else ""


def _states_a_case(text: str) -> bool:
    """An impersonal message that reads as one case ("DNA 10^7 copies, on lamivudine. right choice?"),
    not a question about people in general ("for someone with 10^8 copies, lamivudine or entecavir?")
    or about example values or thresholds ("2-10 x ULN... what does that mean?", "like 15x normal",
    "ALT over 10x the limit, why wait?", "DNA over a million and ALT only slightly up, does it work
    then?")."""
    plain, asked = normalise(text), _asked(text)
    return not (
        _QUESTION_START.match(plain)
        or _ANYONE.first(plain)
        or _EXAMPLE_VALUES.search(plain)
        or _THRESHOLD.search(plain)
        or _LENGTH_ASKED.search(plain)
        or _CONSEQUENCE.search(asked)
    )


def asks_about_another_hepatitis(text: str) -> bool:
    return _OTHER_HEPATITIS.first(normalise(text)) is not None


def asks_what_another_term_is(text: str) -> bool:
    """A short "what is X?" about a term none of the general answers explains ("what is fibrosis?")."""
    definition = _DEFINITION.match(_asked(text))
    term = (definition["term"] or definition["meant"]) if definition else ""
    personal = is_personal(term)  # "what is my viral load supposed to be?"
    no_term = _NO_TERM.search(term) or _GENERAL.first(term)  # "what's the 2nd one", "whats normally next"
    return (
        bool(term) and len(term.split()) <= 5 and not (personal or no_term) and _DEFINED.first(term) is None
    )


def _tells_of_an_event(text: str) -> bool:
    """An exposure or a birth, or something recent ("will my baby get it from me?" tells of none)."""
    plain = normalise(text)
    if _NOT_IMMINENT.search(plain) and not _EXPOSURE.first(plain):
        return False
    return bool(_EXPOSURE.first(plain) or _BIRTH.first(plain) or _RECENT.first(plain))


def checked_topic(text: str) -> str | None:
    """The topic of a check asked for outright ("check my ...") by its words, if any."""
    plain = normalise(text)
    if not asks_for_a_check(text):
        return None
    if _RESISTANCE_QUESTION.first(plain):
        return "resistance"
    if _INTERFERON_WORDS.first(plain):
        return "interferon"
    stop = _STOP_WORD.search(plain) or "stop" in plain.split()
    return "stop" if stop and not stops_something_else(text) else None  # not "check if I can stop drinking"


def asks_for_a_check(text: str) -> bool:
    """The patient asks the assistant to check ("can you check my results", "check my response"),
    not what others check ("how often do they need to check my bloods?")."""
    plain = normalise(text)
    for found in _CHECK_REQUEST.find(plain):
        verb = plain.find("check", found.start, found.end)
        if verb < 0 or not _OTHERS_CHECK.search(plain[max(0, verb - 40) : verb + len("check")]):
            return True
    return False


def asks_in_general(text: str) -> bool:
    """The question asked is open ("what", "how", "why", "which") or about what usually happens."""
    asked = _asked(text)
    return bool(_GENERAL.first(asked) or _OPEN_ANSWER.match(asked))


_PURPOSE_BEFORE = re.compile(r"\b(?:for|to|against)\s+(?:not\s+)?$")  # "better for not getting resistance"


def own_state_question(text: str, intent: str) -> str | None:
    """The topic whose check answers a yes/no question about the patient's own state ("are the
    tablets doing their job so far?", "is this resistance?", "was the right medicine picked?",
    "is it time to stop?"), not a question about people in
    general, under a condition, or an open question ("how do I know if it is working?")."""
    plain = normalise(text)
    if intent not in (
        *TOPIC_OF_INTENT,
        *CHECK_INTENTS,
        SCOPED,
        "out_of_scope",
        FALLBACK,
        "exposure",
        "newborn",
        "inform",  # values, then "good time for the interferon"
    ):
        return None
    if intent in ("out_of_scope", FALLBACK, "exposure", "newborn", "inform") and not (
        _HEPATITIS.first(plain) or _INTERFERON_WORDS.first(plain)
    ):
        return None
    if intent == "inform" and len(plain.split()) < _VALUES_THEN_QUESTION_WORDS:
        return None  # "yes it's working" answers a question of the check
    asked = _HOW_TO_TELL.sub("", _asked(text))
    condition = _CONDITION.search(_INDIRECT_IF.sub(" whether", asked))  # "wondering if ..." is no condition
    if _ANYONE.first(plain) or _GENERAL.first(plain):
        return None
    if _OWN_PROGRESS.first(asked):
        return "resistance"  # "how is my response to the tablets so far?"
    if _RESISTANCE_QUESTION.first(plain) and _SHORT_OWN_QUESTION.match(asked.rsplit(",", 1)[-1].strip()):
        return "resistance"  # "what are the warning signs of resistance, do I have any?"
    if _OPEN_QUESTION.search(asked) or condition:
        return None
    interferon_state = _INTERFERON_STATE.first(asked)
    general_best = interferon_state is not None and interferon_state.phrase.startswith("best")
    if interferon_state and _INTERFERON_WORDS.first(plain) and (is_personal(asked) or not general_best):
        return "interferon"  # "good time for interferon?"; "best time for interferon" asks in general
    resistance_state = _RESISTANCE_STATE.first(asked)
    working = (
        (resistance_state and not _PURPOSE_BEFORE.search(asked, 0, resistance_state.start))
        or _TREATMENT_WORKING.search(asked)
        or (_OWN_RESISTANCE_STATE.first(asked) and is_personal(asked))
        or (_CONTINUING.first(asked) and (_WEEK_32.first(plain) or _FULL_COURSE.first(plain)))
    )  # "32 wks on interferon, worth continuing?"
    # "is that an ok first choice?", "the medicine is Epivir-HBV. good choice or not?"
    stated_drug = asked != plain and _states_a_case(text) and _DRUG_NAMES.first(plain)
    own_choice = (
        _ABOUT_THIS.match(asked)
        or is_personal(asked)
        or stated_drug
        or (asked == plain and _OR_NOT.search(asked) and not _DRUG_NAMES.first(plain))
    ) and _CHOICE.first(asked)
    timing = _AT_PRESENT.search(asked) and not (_FIRST_OR_PAST.search(asked) or _STARTED_WITH.search(asked))
    if own_choice and timing and _INTERFERON_WORDS.first(plain):
        return "interferon"  # "would interferon be a good option for me at the moment?": its timing
    if (
        working
        or own_choice
        or (
            _PAST_QUESTION.match(asked)
            and (_RESISTANCE_QUESTION.first(asked) or _CHOICE.first(asked) or _STARTED_WITH.search(asked))
        )
    ):
        return (
            "resistance"  # "was it a good choice?", "is that an ok first choice?", "right first drug for me?"
        )
    stop = _STOP_STATE.first(asked)
    stopping_what = _WORD.findall(asked[stop.end :])[:1] if stop else []
    if stop and not (stopping_what and stopping_what[0].endswith("ing") and stopping_what[0] != "taking"):
        return "stop"  # not "can I stop worrying?"
    return None


def best_in_topic(answers: Sequence[Selection], intent: str) -> Selection | None:
    return next((selection for selection in answers if selection.intent == intent), None)


def time_sensitive_situation(text: str) -> str | None:
    """`exposure` or `newborn` when the message tells of an exposure or a birth that has just
    happened or is about to ("condom broke last night", "baby born 3 hours ago", "in labour")."""
    plain = normalise(text)
    if not _RECENT.first(plain):
        return None
    if _EXPOSURE.first(plain):
        return "exposure"
    return "newborn" if _BIRTH.first(plain) or _BIRTH_TIMING.first(plain) else None


def stops_something_else(text: str) -> bool:
    """Every "stop" in the message stops something other than the treatment ("stop drinking",
    "can I stop worrying?", "does the vaccine stop working?")."""
    objects = _STOP_WORD.findall(normalise(text))
    return bool(objects) and all(
        word in _OTHER_THINGS_TO_STOP or (word.endswith("ing") and word not in _STOPPING_TREATMENT)
        for word in objects
    )


TABLETS_DO_NOT_CURE_KEY = "ask_stop/stop_danger"  # tablets keep the virus quiet but do not kill it
_CURES = re.compile(
    r"\b(?:cure[sd]?|get rid of|got rid of|clear(?:s|ed)? (?:it|the virus|hep)|wipe out|kill)\b"
)
_TABLETS = Lexicon.of(
    {
        True: [
            *ANSWER_WORDS["drug_classes"]["nucleoside_analogue"],
            *(
                word
                for name, drug in DRUGS.items()
                if drug["class"] == "NA"
                for word in [name, *drug["aliases"]]
            ),
            "meds",
            "medication",
        ]
    }
)


def asks_if_tablets_cure(text: str) -> bool:
    """'can the tablets cure hep b?', 'do the tablets ever get rid of the virus?' (not interferon,
    not a cure in general)."""
    plain = normalise(text)
    return (
        is_question(text)
        and _CURES.search(plain) is not None
        and _TABLETS.first(plain) is not None
        and _INTERFERON_WORDS.first(plain) is None
        and not asks_about_another_hepatitis(text)  # "hep C can be cured with pills, why not B?"
    )


def is_adherence_question(text: str) -> bool:
    """Breaks, skipped or every-other-day doses of tablets (not the interferon schedule)."""
    plain = normalise(text)
    for_good = _FOR_GOOD.search(plain) is not None  # "pause the medication for good" is stopping it
    return _ADHERENCE.first(plain) is not None and _INTERFERON_WORDS.first(plain) is None and not for_good


def is_personal(text: str) -> bool:
    """The message speaks of the patient or someone they speak for ('I', 'my', 'my dad'; not
    'excuse me')."""
    plain = normalise(text)
    for phrase in reversed(list(_NOT_PERSONAL.find(plain))):
        plain = plain[: phrase.start] + plain[phrase.end :]
    return _PERSONAL.first(plain) is not None


MEASURED = {slot for slot, question in QUESTIONS.items() if question["kind"] in _MEASURED_KINDS}
RESULTS = {slot for slot, question in QUESTIONS.items() if question["kind"] in ("hbv_dna", "alt", "alt_uln")}


def gives_results(text: str, topic: str) -> bool:
    """The message states lab results in numbers (a viral load, an ALT or its limit)."""
    if not _ANY_DIGIT.search(text):
        return False
    reading = read_statements(text, CHECKS[topic], date.today())
    return (
        bool(RESULTS & set(reading.values))
        or reading.missing_unit is not None
        or bool(_DNA_NUMBER.search(normalise(text)))
    )


def gives_values(text: str, topic: str, measured_only: bool = False) -> bool:
    """The message states values for a check of `topic`: any fact said of oneself, or, when
    `measured_only`, lab results and durations in numbers (a drug name alone does not count; a
    viral load without its unit does: "dna fell from 10^6 to 10^5")."""
    reading = read_statements(text, CHECKS[topic], date.today())
    found = [
        slot for slot, value in reading.values.items() if slot not in ("therapy", "drug", "res_question")
    ] + (["hbv_dna"] if reading.missing_unit is not None or _DNA_NUMBER.search(normalise(text)) else [])
    if measured_only:
        found = [slot for slot in found if slot in MEASURED] if _ANY_DIGIT.search(normalise(text)) else []
    return bool(found)


_ASKS_OF_A_DRUG = re.compile(r"\b(?:best|better|good|right|ideal|time|timing|moment|worth|when|how|why|vs)\b")


def is_bare_value(text: str) -> bool:
    """A short answer that is only a value or a drug, with units and filler words: "85 U/L",
    "<20 IU/mL", "18 months", "tablets", "grade 2" (not a question)."""
    plain = normalise(text)
    if not plain or is_question(text) or len(plain.split()) > 6 or _CHECK_REQUEST.first(plain):
        return False  # "check my interferon timing" asks for the check
    if len(plain.split()) <= 4 and "therapy" in read_statements(plain, ["therapy"]).values:
        return not _ASKS_OF_A_DRUG.search(plain)  # not "best time for interferon"
    for parse in (parse_hbv_dna, parse_alt, lambda value: parse_duration_months(value, date.today())):
        try:
            parse(plain)
            return True
        except UnitMissingError:
            return len(plain.split()) <= 3
        except LabValueError:
            continue
    return bool(re.fullmatch(r"\s*(?:g\s?[0-4]|grade\s*[0-4])\s*", plain))


class Vocabulary:
    """The words of the training data; a message made mostly of other words is not understood.

    A word also counts as known when one deleted letter (a typo) brings it onto a known word.
    """

    def __init__(self, words: Iterable[str]):
        self.words: set[str] = set(words)
        self.near: set[str] = {
            _without(word, i) for word in self.words if len(word) >= 4 for i in range(len(word))
        }

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        words = {word for text in texts for word in _WORD.findall(normalise(text))}
        words |= {word for phrase in _lexicon_phrases() for word in _WORD.findall(normalise(phrase))}
        return cls(words)

    def knows(self, word: str) -> bool:
        if word in self.words or len(word) <= 2:
            return word in self.words or len(word) == 1
        if len(word) < 4:
            return False
        return word in self.near or any(_without(word, i) in self.words | self.near for i in range(len(word)))

    def is_gibberish(self, text: str) -> bool:
        """Most words unknown (keyboard mashing, another language), and no number in it."""
        words = _WORD.findall(normalise(text))
        if not words or _ANY_DIGIT.search(text):
            return False
        known = sum(1 for word in words if self.knows(word))
        return known * 2 < len(words) or (len(words) == 1 and not known)


def _without(word: str, index: int) -> str:
    return word[:index] + word[index + 1 :]


def _lexicon_phrases() -> Iterable[str]:
    for question in QUESTIONS.values():
        for key in ("anchors", "yes", "no", "unknown", "cues"):
            yield from question.get(key, [])
    for key in ("yes", "no", "unknown"):
        yield from ANSWER_WORDS[key]
    for name, info in DRUGS.items():
        yield name.replace("_", " ")
        yield from info["aliases"]


def selections(parse: dict[str, Any]) -> list[Selection]:
    """The response selector's ranking in a parse result (best first)."""
    selector = (parse.get("response_selector") or {}).get("default") or {}
    return [
        Selection(entry["intent_response_key"], float(entry.get("confidence") or 0))
        for entry in selector.get("ranking") or []
        if entry.get("intent_response_key")
    ]
