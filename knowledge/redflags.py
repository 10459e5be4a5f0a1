"""Red flags: symptoms that need urgent care now, whatever the conversation is about.

The patterns are data (`red_flags` in knowledge/data/rules.yaml). A symptom is not a red flag when
it is negated ("no yellow eyes", "I don't have jaundice, dark urine or pale stools"), said to be
over ("the jaundice has gone"), or asked about in general ("can hepatitis B cause yellow eyes?").
Self-harm is flagged in general questions and under any negation but its own denials ("I have never
had thoughts of hurting myself"); "is this an emergency?" always.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from .data import RED_FLAGS

MAX_CHARS = 2000  # longer messages are read up to here

# Up to three ({gap}) or seven ({span}) words between two parts of a pattern, none of them a negation.
_NOT_A_NEGATION = r"(?!(?:not|no|never|isn'?t|aren'?t|wasn'?t|weren'?t|don'?t|doesn'?t|didn'?t)\b)"
_GAP = r"(?: " + _NOT_A_NEGATION + r"[\w']+){0,3}"
_SPAN = r"(?:,? " + _NOT_A_NEGATION + r"[\w']+){0,7}"
_NEGATION = re.compile(
    RED_FLAGS["negation"]
    + r"|\b(?:don|doesn|didn|isn|aren|wasn|weren|haven|hasn|hadn|can|couldn|won|wouldn|shouldn|ain)'?t\b"
)
_NOT_NEGATION = re.compile(
    RED_FLAGS["not_negations"].replace("do not", "do(?:n'?t| not)").replace("can not", "can(?:'?t| not)")
)
_SCOPE_BREAK = re.compile(RED_FLAGS["scope_breaks"])
_RESOLVED = re.compile(RED_FLAGS["resolved"])
_OVER_LATER = re.compile(RED_FLAGS["over_later"])
_NAMED_AS_SIGN = re.compile(RED_FLAGS["named_as_sign"])
_SAID = re.compile(r"\b(?:says?|said|told (?:me|us|him|her)|reckons?|thinks?|reads?)(?: that)?\b")
_STILL_THERE = re.compile(RED_FLAGS["still_there"])
_ANIMAL = re.compile(RED_FLAGS["animal"])
_FICTION = re.compile(RED_FLAGS["fiction"])
_CHECKED_FOR = re.compile(RED_FLAGS["checked_for"])
_DIED_BEFORE = re.compile(RED_FLAGS["died_before"])
_HYPOTHETICAL = re.compile(RED_FLAGS["hypothetical"])
_AFTER_STOPPING = re.compile(RED_FLAGS["after_stopping"])
_REPORT = re.compile(RED_FLAGS["report"])
_LONG_AGO = re.compile(RED_FLAGS["long_ago"])
_OTHER_SENSE = re.compile(RED_FLAGS["other_senses"])
_HAPPENING_NOW = re.compile(RED_FLAGS["happening_to_me"])
_BODY_SIGN = re.compile(RED_FLAGS["body_signs"])
_SIGN_IS_FINE = re.compile(RED_FLAGS["sign_is_fine"])
_QUESTION_START = re.compile(r"^(?:what|which|how|can|could|does|do|is|are|why|when|should|will|would|may)\b")
_PERSON = re.compile(
    r"\b(?:i|i'm|im|i've|ive|i'd|my|me|mine|myself|we|our|us|he|she|he's|she's|his|her|they|their)\b"
)
_SOMEONE_WITH_HEP_B = re.compile(  # a question about people with the illness, not "anyone else's"
    r"\b(?:someone|somebody|anyone|anybody|people|a person|patients)"
    r" (?:with|who (?:has|have|has got|have got)) (?:chronic )?(?:hep|hepatitis|hbv)\b"
    r"(?![^?]*\b(?:this|else|these)\b)"
)
# A general question asks what a symptom means or what causes it.
_ABOUT_THE_ILLNESS = re.compile(
    r"\b(?:cause[sd]?|causing|mean[st]?|meaning|signs?|symptoms?|lead to|leads to|result in"
    r"|happen|common|why do|why does|make you|give you|side effects?|turns?|makes?|gives?"
    r"|your|contagious|infectious|catching|curable|treatable|permanent|reversible|dangerous"
    r"|for example|for instance|such as|eg)\b"
)
_ASKS_WHICH_SIGNS = re.compile(
    r"(?:what|which) (?:kind of |sort of |are the |are |were the )?"
    r"(?:warning |danger |red[- ]flag )?(?:symptoms|signs)\b"
)
_SIGNS = r"(?:common |typical |known |usual |early |late |warning |danger )?(?:sign|symptom)s? "
_ASKS_IF_A_SIGN = re.compile(  # "is a swollen belly a sign of cirrhosis?", not "is my yellow skin ...?"
    r"(?:is|are|can|could) (?![^,?]*\b(?:i|i'm|im|me|my|his|her|our|their|this|that|these|those)\b)"
    rf"(?:a |an |the )?[^,?]{{3,40}}? (?:a |an |the )?{_SIGNS}"
    r"(?:of|that|for|the|my|your|its?|it's|hep\w*|liver)\b"
)
_LISTED_THEN_ASKED = re.compile(  # "swollen belly, yellow skin, are those signs of cirrhosis?"
    r"(?![^?]*\b(?:i|i'm|im|i've|me|my|mine|he|she|his|her|we|our|they|their)\b)[^?]{3,80}?,? "
    rf"(?:are|is) (?:those|these|they|that|this|it) (?:the |a |an )?{_SIGNS}(?:of|that|for)\b"
)
_FINE_BEFORE = re.compile(r"\b(?:fine|normal|ok|okay|good|better|well|clear[- ]headed|alert|sharp)\s+$")
_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?](?=[^\s.!?]))+[.!?]*")  # '39.5' stays in one sentence


@dataclass(frozen=True)
class RedFlag:
    """A red flag found in the patient's text: its id and the words that matched."""

    id: str
    phrase: str


@dataclass(frozen=True)
class _Pattern:
    id: str
    regexes: tuple[re.Pattern[str], ...]
    interferon: bool
    always: bool  # flagged in general questions and when negated, unless one of its denials says so
    denials: tuple[re.Pattern[str], ...]


def _expand(pattern: str) -> str:
    """A pattern with {gap}, {span} and the shared word families ({yellow}, {pee}, ...) written out."""
    for name, words in RED_FLAGS["words"].items():
        pattern = pattern.replace("{" + name + "}", words)
    return pattern.replace("{gap}", _GAP).replace("{span}", _SPAN)


_PATTERNS = tuple(
    _Pattern(
        id=flag["id"],
        regexes=tuple(re.compile(_expand(p)) for p in flag["patterns"]),
        interferon=flag.get("interferon", False),
        always=flag.get("always", False),
        denials=tuple(re.compile(_expand(p)) for p in flag.get("denials", [])),
    )
    for flag in RED_FLAGS["flags"]
)
RED_FLAG_IDS: tuple[str, ...] = tuple(pattern.id for pattern in _PATTERNS)


@dataclass(frozen=True)
class _Explanation:
    """A harmless cause that explains some symptoms away ("it was the iron tablets")."""

    explains: frozenset[str] | None  # flag ids; None: any symptom
    regex: re.Pattern[str]
    unless: re.Pattern[str] | None  # words in the symptom's text that this cause cannot explain

    def covers(self, flag_id: str, phrase: str) -> bool:
        return (self.explains is None or flag_id in self.explains) and not (
            self.unless and self.unless.search(phrase)
        )


_EXPLANATIONS = tuple(
    _Explanation(
        explains=None if entry["explains"] == "any" else frozenset(entry["explains"]),
        regex=re.compile(_expand(entry["pattern"])),
        unless=re.compile(_expand(entry["unless"])) if "unless" in entry else None,
    )
    for entry in RED_FLAGS["explained"]
)
_OVER_OR_EXPLAINED = re.compile(
    "|".join([_OVER_LATER.pattern, _NAMED_AS_SIGN.pattern] + [e.regex.pattern for e in _EXPLANATIONS])
)


# "yellow eyes? no. dark urine? no." and "yellow eyes: no. belly: normal." answer their own
# questions: read as "no yellow eyes." ("my letter: no ascites" is no such answer.)
_ASKED_AND_DENIED = re.compile(
    r"([^.!?:\n]+)(?:\?\s*(?:no|nope|nah|none|not at all|neither"
    r"|only (?:by|about|over|with) [^.!?\n]*\w)|:\s*(?:no|none|normal|fine|clear|negative))"
    r"\b(?=\s*(?:[.!,;\n]|$))[.!,]*"
)
# "yellow skin - no. dark pee - no.": the same with a dash (a short subject, so that it stays fast)
_DASHED_AND_DENIED = re.compile(
    r"(?<![^\s.!?;,])([a-z][a-z' ]{0,40}?)\s+-+\s*(?:no|none|normal|fine|clear|negative)\b"
    r"(?=\s*(?:[.!,;\n]|$))[.!,]*"
)
# A checklist answered at its end ("jaundice? bleeding? confusion? - no to all of it"): read as
# "no jaundice, bleeding, confusion."
_CHECKLIST_DENIED = re.compile(
    r"(?<![^\s:;,(-])((?:[^.!?\n:;,-]{1,40}\?\s*){2,})[\s,-]*"
    r"(?:and )?(?:it was |they were |the answer was |answered )?"
    r"(?:no to (?:all|each|every|any)(?: of (?:it|them|those|these))?"
    r"|none of (?:it|them|those|these)|all (?:no|negative|clear))\b"
)


_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|approx|vs)\.")


def _questions_answered_no(text: str) -> str:
    """Symptom questions the message answers "no" to, written as denials ("no yellow eyes.")."""
    text = _CHECKLIST_DENIED.sub(lambda m: "no " + m.group(1).replace("?", ",").strip(" ,-") + ".", text)
    text = _ASKED_AND_DENIED.sub(lambda m: "no " + m.group(1).strip() + ".", text)
    return _DASHED_AND_DENIED.sub(lambda m: "no " + m.group(1).strip() + ".", text)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).replace("’", "'").replace("‘", "'").lower()
    text = _ABBREVIATION.sub(lambda m: m.group().replace(".", ""), text)  # "e.g." ends no sentence
    text = _questions_answered_no(text)
    return re.sub(r"[ \t]+", " ", text)


def _symptom_spans(sentence: str) -> list[tuple[int, int]]:
    """Where any red-flag pattern matches in the sentence, its own negations included."""
    return [
        (m.start(), m.end())
        for pattern in _PATTERNS
        for regex in pattern.regexes
        for m in regex.finditer(sentence)
    ]


def _negated(
    flag_id: str,
    sentence: str,
    start: int,
    end: int,
    symptoms: list[tuple[int, int]],
    literal: bool,
    this_year: int,
) -> bool:
    """A negation (or a condition: "if", "will I") earlier in the sentence whose reach is not
    broken before the symptom, an animal as its subject ("my cat keeps throwing up"), or the
    symptom said to be over or explained ("yellow but not any more", "jaundice has gone",
    "dark urine when dehydrated, back to normal now"), put long ago in its own clause ("back in
    2015 I went yellow"), or a word in another sense ("a yellow belt"). A negation inside a
    symptom's own words ("can't keep anything down, keep vomiting") negates nothing. `literal`
    (the patient says it is happening to them) drops conditions ("is it serious if ...")."""
    before = sentence[:start]
    if _ANIMAL.search(before) or _DIED_BEFORE.search(before) or _CHECKED_FOR.search(before):
        return True  # "my cat keeps throwing up", "he died after vomiting blood", "GP checked for jaundice"
    fiction = _FICTION.search(before)
    if fiction and not _SCOPE_BREAK.search(before, fiction.end()):
        return True  # "watched a film where a character vomited blood"
    if _OTHER_SENSE.match(sentence, end) or (
        _long_ago(sentence, start, end, this_year) and not _still_there(sentence, 0)
    ):
        return True  # "a yellow belt", "swollen with pride"; "back in 2015 I went yellow"
    ignored = [(m.start(), m.end()) for m in _NOT_NEGATION.finditer(before)] + symptoms
    negations = [
        m for m in _NEGATION.finditer(before) if not any(low <= m.start() < high for low, high in ignored)
    ]
    if negations and not _SCOPE_BREAK.search(before, negations[-1].end()):
        return True
    hypothetical = (
        [] if literal else [m for m in _HYPOTHETICAL.finditer(sentence, 0, end) if m.start() < start]
    )
    if hypothetical and not _SCOPE_BREAK.search(before, min(hypothetical[-1].end(), start)):
        return True  # "if my eyes turn yellow", "will I go yellow"
    resolved = _RESOLVED.search(sentence, end)
    between = sentence[end : resolved.start()].split() if resolved else []
    resolved_here = bool(resolved) and len(between) <= 3 and "and" not in between
    return resolved_here or _over_later(flag_id, sentence, start, end)


def _long_ago(sentence: str, start: int, end: int, this_year: int) -> bool:
    """A time long past in the symptom's own clause (between the scope breaks around it)."""
    breaks = [m for m in _SCOPE_BREAK.finditer(sentence) if m.end() <= start or m.start() >= end]
    low = max((m.end() for m in breaks if m.end() <= start), default=0)
    high = min((m.start() for m in breaks if m.start() >= end), default=len(sentence))
    return any(
        not found["year"] or int(found["year"]) < this_year
        for found in _LONG_AGO.finditer(sentence, low, high)
        if not start <= found.start() < end  # the symptom's own words: "calls me by my late aunt's name"
    )


def _over_later(flag_id: str, sentence: str, start: int, end: int) -> bool:
    """Said further on to be over ("dark urine when I was dehydrated, but it's back to normal now")
    and not put today or said to be still there or back; or explained away by a cause of this
    symptom ("yellow eyes, it was the lighting"; not "... and vomiting blood, it was the lighting")
    and not said after that to be still there or back."""
    said = [m.end() for m in _SAID.finditer(sentence, 0, start)] + [
        m.end() for m in _SCOPE_BREAK.finditer(sentence, 0, start)
    ]  # "my neighbour says black stools are a warning sign": nobody's stools
    named_as_sign = _NAMED_AS_SIGN.search(sentence, end) and not _PERSON.search(
        sentence, max(said, default=0), start
    )
    if (_OVER_LATER.search(sentence, end) or named_as_sign) and not _still_there(sentence, 0):
        return True  # not "my stools are black, which is a sign of bleeding"
    phrase = sentence[start:end]
    return any(
        found.end() > end and not _still_there(sentence, found.end())  # "my sick was red wine"
        for explanation in _EXPLANATIONS
        if explanation.covers(flag_id, phrase)
        for found in [explanation.regex.search(sentence, start)]
        if found
    )


def _still_there(sentence: str, start: int) -> bool:
    """Put recently, or said to be still there or back ("all fine today" is no such word)."""
    return any(
        not _FINE_BEFORE.search(sentence, max(0, m.start() - 16), m.start())
        for m in _STILL_THERE.finditer(sentence, start)
    )


def _is_general_question(sentence: str, message: str) -> bool:
    """'Can hepatitis B cause yellow eyes?' asks about the illness, not about anyone: a question
    about causes or meaning, in a message that speaks of no one ('I', 'my wife', 'he'), or one
    that asks which symptoms matter; either reports nothing happening now ('fever 39 for two
    days now - normal side effect?')."""
    sentence = sentence.strip()
    is_question = sentence.endswith("?") or _QUESTION_START.match(sentence) is not None
    if not is_question or _REPORT.search(sentence):
        return False
    if (
        _ASKS_WHICH_SIGNS.match(sentence)
        or _ASKS_IF_A_SIGN.match(sentence)
        or _LISTED_THEN_ASKED.match(sentence)
    ):
        return True  # "what symptoms mean I should go to A&E - yellow skin, dark urine?"
    if _PERSON.search(sentence) is None and _SOMEONE_WITH_HEP_B.search(sentence):
        return True  # "should a swollen tummy worry someone with hep b? mine is fine"
    return _ABOUT_THE_ILLNESS.search(sentence) is not None and not _PERSON.search(message)


def _cancelled(
    pattern: _Pattern,
    sentence: str,
    match: re.Match[str],
    symptoms: list[tuple[int, int]],
    literal: bool,
    this_year: int,
) -> bool:
    """A negation cancels a flag ("no yellow eyes"); an `always` flag only its own denials ("never had
    thoughts of hurting myself")."""
    if not pattern.always:
        return _negated(pattern.id, sentence, match.start(), match.end(), symptoms, literal, this_year)
    return any(
        d.start() <= match.start() and match.end() <= d.end()
        for denial in pattern.denials
        for d in denial.finditer(sentence)
    )


def detect_red_flags(
    text: str, on_interferon: bool | None = None, today: date | None = None
) -> list[RedFlag]:
    """The red flags in a message, in data order, each once (`today` dates "in 2019": history).

    Negated mentions ('no yellow eyes'), symptoms said to be over and general questions are
    skipped; self-harm only when denied as such, emergency questions never.
    Interferon-related flags (severe depression, high fever) are checked unless the patient is
    known not to be on interferon.
    """
    found: dict[str, RedFlag] = {}
    this_year = (today or date.today()).year
    message = _normalise(text)
    literal = _HAPPENING_NOW.search(message) is not None  # "is it serious if ...? this is happening to me"
    if literal:
        message = re.sub(r"\byour\b", "my", message)  # "blood in your vomit...? happened twice tonight"
    for sentence in _SENTENCE.findall(message):
        general = not literal and _is_general_question(sentence, message)
        symptoms = _symptom_spans(sentence)
        for pattern in _PATTERNS:
            if pattern.id in found or (pattern.interferon and on_interferon is False):
                continue
            if general and not pattern.always:
                continue
            for regex in pattern.regexes:
                match = next(
                    (
                        m
                        for m in regex.finditer(sentence)
                        if not _cancelled(pattern, sentence, m, symptoms, literal, this_year)
                    ),
                    None,
                )
                if match:
                    found[pattern.id] = RedFlag(pattern.id, match.group())
                    break
    return [found[flag_id] for flag_id in RED_FLAG_IDS if flag_id in found]


def asks_only_in_general(text: str) -> bool:
    """Every sentence is a general question about symptoms ("what are the signs of cirrhosis?")."""
    message = _normalise(text)
    sentences = _SENTENCE.findall(message)
    return bool(sentences) and all(_is_general_question(sentence, message) for sentence in sentences)


def mentions_symptom(text: str) -> bool:
    """True when a red-flag symptom is named at all, negated or not ("no yellow eyes" too)."""
    message = _normalise(text)
    return any(regex.search(message) for pattern in _PATTERNS for regex in pattern.regexes)


def mentions_stopping(text: str) -> bool:
    """True when the message says treatment was stopped (a flare after stopping can be severe)."""
    return _AFTER_STOPPING.search(_normalise(text)) is not None


_PART = re.compile(r"[^.!?;,]+[.!?;,]*")
_PART_BREAK = re.compile(
    r"\s+(?=\bbut\b)|(?<=\bthat)\s+(?=\b(?:my|the) question\b)|\s+[-–—]+\s+"
    r"|\s+(?=\band (?:i|i'?ve|i'?m|my|he|she|we|they)\b)"
)  # "no symptoms and I missed ..."
_POINTS_BACK = re.compile(r"^(?:is|does|will|would|could|should|can)\s+(?:that|this|it)\b[^?]*\??$")
_DENIAL = re.compile(
    r"(?:but )?(?:no|not|never|nothing|without|there(?: is|'s| are) no"
    r"|(?:i|he|she|they|we)(?: do| does| did| have| has)? ?(?:n'?t|not|no)\b"
    r"|(?:i'm|im|i am|he's|she's|he is|she is|they're|they are) not)\b"
)

_WHEN = re.compile(
    r"\b(?:\d+ (?:hours?|days?|weeks?|months?|years?|yrs?)(?: ago)?|(?:19|20)\d\d)\b"
)  # not a value
_LEAD_IN = re.compile(
    r"^(?:(?:but|so|and|anyway|just|my question is|the question is|i wonder"
    r"|(?:i )?(?:want|wanted) to know|wanna know"
    r"|i'd like to know|wondering|(?:i'm |i am )?(?:just )?curious(?: about| as to| to know)?)\b[\s,:]*)+"
)


def without_denied_symptoms(text: str) -> str:
    """A question without the statements before it that deny symptoms, for reading what it asks:
    "no yellowing, no itching. What are the four gates?" -> "What are the four gates?". Parts that
    ask something, give numbers or raise a red flag stay; a message that asks nothing, or only
    about what it denied ("no fever after the first shot, is that normal?"), is unchanged."""
    text = _without_symptom_talk(text)
    parts, explained = _parts(text), _explained(text)
    kept: list[str] = []
    for part in parts:
        if not _only_denies(part, explained):
            kept.append(part.strip())
        elif kept and part.rstrip()[-1:] in ".!?":  # the sentence it ended ends there still
            kept[-1] = kept[-1].rstrip(",;") + ("" if kept[-1][-1:] in ".!?" else ".")
    if not kept or len(kept) == len(parts) or not any(_asks(part) for part in kept):
        return text
    asked = " ".join(kept)
    points_back = _POINTS_BACK.match(_normalise(asked)) and len(asked.split()) <= 6
    return text if points_back else asked  # "no fever after my first shot, is that normal?" asks about it


_TALK_MAX_CHARS = 600
_TREATMENT_TALK = re.compile(
    r"\b(?:resistan\w*|interferon|peg\w*|tablets?|pills?|antivirals?|meds?|medicines?|medication|"
    r"treatment|stop\w*|entecavir|tenofovir|lamivudine|adefovir|telbivudine|baraclude|viread|vemlidy|"
    r"alt|dna|viral load|hbeag|e antigen)\b"
)
# "... ok serious question: how long ...?", "Different question now: ...", "anyway - does ...?"
_QUESTION_MARKER = re.compile(
    r"\b(?:question(?: now| is| for you| for later)?|anyway|now)\s*[:\-\u2013\u2014]+\s*", re.I
)


def _without_symptom_talk(text: str) -> str:
    """In a message with no red flag, the question without the sentences before it that only tell
    of symptoms or body signs (denied, past, explained: "My poo is a normal brown colour. What
    happens if ...?"), and without what comes before a "question:" after such talk."""
    if len(text) > _TALK_MAX_CHARS or detect_red_flags(text):
        return text  # a long message is read whole (and in bounded time)
    markers = list(_QUESTION_MARKER.finditer(text))
    if markers and _tells_of_symptoms(text[: markers[-1].start()]) and _asks(text[markers[-1].end() :]):
        return text[markers[-1].end() :]
    sentences = _SENTENCE.findall(text)
    kept = [sentence for sentence in sentences if _asks(sentence) or not _tells_of_symptoms(sentence)]
    if kept and len(kept) < len(sentences) and any(_asks(sentence) for sentence in kept):
        return " ".join(sentence.strip() for sentence in kept)
    return text


def _tells_of_symptoms(sentence: str) -> bool:
    """A statement that tells of a symptom the lexicon knows (and found no red flag in) or says a
    body sign is fine, and asks, measures and names no treatment. Words the lexicon does not know
    as a symptom ("my pee is the colour of tea") stay for the classifier to judge."""
    plain = _normalise(sentence).strip()
    return (
        (_says_a_sign_is_fine(plain) or mentions_symptom(plain))
        and _asks_and_measures_nothing(plain)
        and not _TREATMENT_TALK.search(plain)
    )


def _says_a_sign_is_fine(plain: str) -> bool:
    """ "stools normal colour", "skin's not yellow": a body sign and a word that says it is fine."""
    return _BODY_SIGN.search(plain) is not None and _SIGN_IS_FINE.search(plain) is not None


def _asks_and_measures_nothing(plain: str) -> bool:
    """No question and no number but times ("2 years ago", "in 2015")."""
    return not _asks(plain) and not re.search(r"\d", _WHEN.sub("", plain))


def _asks(part: str) -> bool:
    plain = _LEAD_IN.sub("", _normalise(part).strip())
    return "?" in plain or _QUESTION_START.match(plain) is not None


def denies_symptoms(text: str) -> bool:
    """Some part of the message says that a symptom or body sign is absent or fine."""
    explained = _explained(text)
    return any(_only_denies(part, explained) for part in _parts(text))


def _parts(text: str) -> list[str]:
    """The message's parts, "yellow? nope." read as "no yellow."."""
    text = _questions_answered_no(text)
    return [part for piece in _PART_BREAK.split(text) for part in _PART.findall(piece)]


def _explained(text: str) -> bool:
    """No red flag, and some symptom said to be over or explained ("it was the lighting")."""
    return _OVER_OR_EXPLAINED.search(_normalise(text)) is not None and not detect_red_flags(text)


def _only_denies(part: str, explained: bool) -> bool:
    """The part denies a symptom (or, in an `explained` message, tells of it or of its end) and
    asks and measures nothing."""
    plain = _normalise(part).strip()
    denies = (
        (
            _DENIAL.match(plain) is not None and not _NOT_NEGATION.search(plain, 0, 20)
        )  # not "i'm not sure ..."
        or mentions_symptom(plain)
        or _says_a_sign_is_fine(plain)
        or (explained and (_OVER_OR_EXPLAINED.search(plain) or _RESOLVED.search(plain)) is not None)
    )
    return (
        denies
        and len(plain.split()) > 1
        and _asks_and_measures_nothing(plain)
        and (explained or not detect_red_flags(plain))
    )
