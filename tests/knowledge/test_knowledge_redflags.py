"""Red flags: every flag of the spec in lay words and misspellings; negations and general questions."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge import detect_red_flags
from knowledge.data import RED_FLAGS
from knowledge.redflags import RED_FLAG_IDS, denies_symptoms, without_denied_symptoms


def flag_ids(text: str, **kwargs) -> list[str]:
    return [flag.id for flag in detect_red_flags(text, **kwargs)]


@pytest.mark.parametrize(
    "text, flag",
    [
        ("My eyes have gone yellow", "jaundice"),
        ("the whites of my eyes look yellowish", "jaundice"),
        ("I think I have yelow skin", "jaundice"),
        ("I have jaundice", "jaundice"),
        ("the doctor said I was jaundiced", "jaundice"),
        ("i have jaundise", "jaundice"),
        ("I'm turning yellow", "jaundice"),
        ("my pee is dark like cola", "dark_urine_pale_stools"),
        ("Dark urine since yesterday", "dark_urine_pale_stools"),
        ("tea-coloured urine", "dark_urine_pale_stools"),
        ("my poo is pale", "dark_urine_pale_stools"),
        ("clay coloured stools", "dark_urine_pale_stools"),
        ("I feel very confused", "confusion_drowsiness"),
        ("my husband says I am confused", "confusion_drowsiness"),
        ("I'm extremely sleepy all day", "confusion_drowsiness"),
        ("I can't stay awake", "confusion_drowsiness"),
        ("I vomited blood", "vomiting_blood"),
        ("I was vomitting blood last night", "vomiting_blood"),
        ("threw up some blood", "vomiting_blood"),
        ("it looked like coffee grounds", "vomiting_blood"),
        ("my stools are black", "black_stools"),
        ("black tarry poo", "black_stools"),
        ("black and tarry stool", "black_stools"),
        ("my belly is swollen", "swollen_belly"),
        ("my tummy keeps getting bigger", "swollen_belly"),
        ("swollen abdomen", "swollen_belly"),
        ("I bruise easily", "bleeding_bruising"),
        ("my gums bleed", "bleeding_bruising"),
        ("lots of bruises I can't explain", "bleeding_bruising"),
        ("I have severe stomach pain", "severe_abdominal_pain"),
        ("terrible belly pain", "severe_abdominal_pain"),
        ("I can't stop vomiting", "persistent_vomiting"),
        ("I keep throwing up", "persistent_vomiting"),
        ("I can't keep anything down", "persistent_vomiting"),
        ("I want to kill myself", "self_harm"),
        ("having suicidal thoughts", "self_harm"),
        ("I don't want to live anymore", "self_harm"),
        ("I feel severely depressed on interferon", "severe_depression"),
        ("I feel hopeless", "severe_depression"),
        ("I have a high fever", "high_fever"),
        ("my temperature is 39.5", "high_fever"),
        ("fever of 40 degrees", "high_fever"),
        ("103 °F since this morning", "high_fever"),
    ],
)
def test_red_flags_are_found(text: str, flag: str) -> None:
    assert flag in flag_ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "I have no yellow eyes",
        "my eyes are not yellow",
        "I don't have jaundice",
        "no dark urine and no black stools",
        "I have never vomited blood",
        "I'm confused about when I can stop",
        "the criteria are confusing",
        "Can hepatitis B cause yellow eyes?",
        "What does dark urine mean?",
        "Is a swollen belly a sign of cirrhosis?",
        "My viral load is 2000 IU/mL and my ALT is 85",
        "I have been on entecavir for 3 years",
        "my temperature is 37.5",
        "I feel a bit tired",
    ],
)
def test_no_false_alarm(text: str) -> None:
    assert flag_ids(text) == []


def test_a_negation_only_covers_its_own_clause() -> None:
    assert flag_ids("I don't have a fever, but my skin is yellow") == ["jaundice"]
    assert flag_ids("No. My eyes are yellow.") == ["jaundice"]


def test_self_harm_is_flagged_in_general_questions_but_not_when_denied() -> None:
    assert flag_ids("Can interferon make people suicidal?") == ["self_harm"]
    assert flag_ids("I'm not suicidal, just tired") == []  # the spec: a negated symptom is no red flag
    assert flag_ids("I don't feel suicidal, I only read that interferon can do that") == []
    assert flag_ids("I used to feel hopeless on interferon but that's passed") == []  # over
    assert flag_ids("never had thoughts of hurting myself, can I start peginterferon?") == []
    assert flag_ids("I'm not suicidal but I want to end it all") == ["self_harm"]
    assert flag_ids("I never felt suicidal before, but now I do") == ["self_harm"]
    assert flag_ids("no thoughts of harming myself until this week") == ["self_harm"]
    assert flag_ids("I can't stop thinking about suicide") == ["self_harm"]  # a negation, no denial
    assert flag_ids("I don't see the point of living any more") == ["self_harm"]


def test_interferon_flags_depend_on_being_on_interferon() -> None:
    assert flag_ids("I have a high fever", on_interferon=True) == ["high_fever"]
    assert flag_ids("I have a high fever") == ["high_fever"]
    assert flag_ids("I have a high fever", on_interferon=False) == []
    assert flag_ids("I want to kill myself", on_interferon=False) == ["self_harm"]


def test_several_flags_each_once_in_data_order() -> None:
    text = "My eyes are yellow, I vomited blood and my eyes are yellow again. Also dark urine."
    assert flag_ids(text) == ["jaundice", "dark_urine_pale_stools", "vomiting_blood"]
    assert detect_red_flags("my eyes are yellow")[0].phrase == "eyes are yellow"


@pytest.mark.parametrize(
    "text, flag",
    [
        ("my wife is acting strange and hardly responds when we talk to her", "confusion_drowsiness"),
        ("dad is unresponsive on the sofa", "confusion_drowsiness"),
        ("everything feels hopeless since I started the injections", "severe_depression"),
        ("I stopped my tablets last month and now I'm yellow", "jaundice"),
        ("I went yellow a few days after stopping my pills", "jaundice"),
        ("my dad is yellow", "jaundice"),
        ("my son is on peginterferon and he said he doesn't want to live anymore", "self_harm"),
        ("is it normal to be yellow on tenofovir", "jaundice"),
        ("my pee is like tea", "dark_urine_pale_stools"),
        ("wee the colour of coke", "dark_urine_pale_stools"),
        ("there were coffee grounds in my sick", "vomiting_blood"),
        ("blood when I vomited", "vomiting_blood"),
        ("my husband isn't making sense", "confusion_drowsiness"),
        ("mum keeps forgetting where she is", "confusion_drowsiness"),
        ("he's hard to wake this morning", "confusion_drowsiness"),
        ("I want to end it all", "self_harm"),
        ("thinking about hurting myself", "self_harm"),
        ("my wife on interferon talks about dying", "self_harm"),
        ("is this an emergency?", "emergency_question"),
        ("are yellow eyes an emergency?", "emergency_question"),
        ("I'm covered in bruises", "bleeding_bruising"),
        ("my nose has been bleeding for an hour", "bleeding_bruising"),
        ("agonising pain in my upper belly", "severe_abdominal_pain"),
        ("the vomiting won't stop", "persistent_vomiting"),
        ("my daughter on interferon is burning up", "high_fever"),
        ("he nicked himself and it wouldn't stop bleeding", "bleeding_bruising"),
        ("grandma has been vomiting black stuff since the morning", "vomiting_blood"),
        ("the pain in his stomach has him doubled up", "severe_abdominal_pain"),
        ("my father is confuse today and he dont know me", "confusion_drowsiness"),
        ("he threw up something dark red after dinner", "vomiting_blood"),
        ("on interferon I keep thinking about jumping off a bridge", "self_harm"),
        ("she has thoughts of not wanting to wake up", "self_harm"),
        ("pain under my ribs is really bad since I stopped the tablets", "severe_abdominal_pain"),
        ("I bled from my nose twice today", "bleeding_bruising"),
    ],
)
def test_red_flags_in_patients_own_words_any_tense_and_from_relatives(text: str, flag: str) -> None:
    assert flag in flag_ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "the jaundice has completely gone now, eyes are white again",
        "at the 3 month test what counts as not responding to entecavir?",
        "is it hopeless once the virus is resistant?",
        "I don't have yellow eyes or dark urine, can I stop?",
        "no jaundice, no pain",
        "I don't have jaundice, dark urine or pale stools",
        "i don't have any symptoms like yellow skin or dark pee",
        "I was yellow but not any more",
        "the jaundice has gone",
        "without any bleeding or bruising",
        "I had the yellow fever vaccine",
        "my urine is yellow, is that normal?",
        "i cut myself shaving",
        "since stopping the treatment I feel fine",
    ],
)
def test_negated_or_past_symptoms_raise_no_alarm(text: str) -> None:
    assert flag_ids(text) == []


def test_a_negation_does_not_reach_past_a_new_subject() -> None:
    assert flag_ids("I haven't been sleeping and I'm very drowsy") == ["confusion_drowsiness"]
    assert flag_ids("no appetite and my eyes are yellow") == ["jaundice"]
    assert flag_ids("I don't know why but my eyes are yellow") == ["jaundice"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("will I go yellow if I stop my pills?", []),
        ("if my eyes turn yellow what should I do", []),
        ("can I get jaundice from entecavir?", []),
        ("what are the signs of liver failure like yellow eyes", []),
        ("when I stopped my tablets I turned yellow", ["jaundice"]),
        ("could I be getting jaundice? my eyes look yellow", ["jaundice"]),
        ("can I take paracetamol for my severe stomach pain?", ["severe_abdominal_pain"]),
        ("can you tell me why I'm so confused and sleepy", ["confusion_drowsiness"]),
        ("is it an emergency if my eyes are yellow?", ["emergency_question"]),
        ("can interferon cause a high fever?", []),
        (
            "on interferon, fever 39 and chills for two days now - normal side effect?",
            ["high_fever"],
        ),  # a report
    ],
)
def test_a_symptom_asked_about_as_a_possibility_is_no_report(text: str, expected: list) -> None:
    found = flag_ids(text)
    assert set(expected) <= set(found) and (expected or not found)


@pytest.mark.parametrize(
    "text, asked",
    [
        (
            "no symptoms and i missed a few doses last month, is that a problem",
            "and i missed a few doses last month, is that a problem",
        ),  # the rest of the part stays
        (
            "no fever after my first interferon shot, is that normal?",
            "no fever after my first interferon shot, is that normal?",
        ),  # it asks about what it denies
        (
            "no yellowing, no itching. what are the four gates of resistance?",
            "what are the four gates of resistance?",
        ),
        ("I don't have yellow eyes or dark urine, can I stop?", "can I stop?"),
        (
            "i'm not bleeding or anything but what happens if hep b becomes resistant",
            "but what happens if hep b becomes resistant",
        ),
        ("no fever, yellow eyes, can I stop", "yellow eyes, can I stop"),  # the red flag stays
        ("no jaundice, no pain", "no jaundice, no pain"),  # asks nothing: unchanged
        ("no, the scan was clear", "no, the scan was clear"),  # an answer: unchanged
        ("no jaundice, my ALT is 30. can I stop?", "my ALT is 30. can I stop?"),
        ("skin's not yellow, eyes fine, stools normal colour - is one beer ok?", "is one beer ok?"),
        (  # sentences that only tell of symptoms or body signs, in a message with no red flag
            "My poo is a normal brown colour and my pee is pale. What happens if someone stops too early?",
            "What happens if someone stops too early?",
        ),
        (
            "threw up after a stag do, nothing odd in it. ok real question: how is resistance found?",
            "how is resistance found?",
        ),
        (  # body-sign words the lexicon does not know as a symptom stay for the classifier to judge
            "my wee looks weird. what happens if someone stops too early?",
            "my wee looks weird. what happens if someone stops too early?",
        ),
        (  # a sentence that names the treatment stays
            "her urine is normal, she's worried about resistance on lamivudine. what should she watch for?",
            "she's worried about resistance on lamivudine. what should she watch for?",
        ),
        (  # doubt is no denial of a symptom
            "I'm not sure my first tablet was a good pick, can you check",
            "I'm not sure my first tablet was a good pick, can you check",
        ),
        (  # "curious ..." asks
            "no bruising or anything of the sort. just curious how long the tablets usually go on",
            "just curious how long the tablets usually go on",
        ),
    ],
)
def test_symptom_denials_are_left_out_of_what_is_asked(text: str, asked: str) -> None:
    assert without_denied_symptoms(text) == asked


@pytest.mark.parametrize(
    "text, expected",
    [
        ("skin's not yellow, eyes fine, can I stop?", True),
        ("no swelling in my belly or legs. do I have to stop?", True),
        ("my ALT is normal, can I stop?", False),  # a lab value, no body sign
        ("my eyes are yellow", False),  # a red flag, not a denial
    ],
)
def test_denials_of_symptoms_are_recognised(text: str, expected: bool) -> None:
    assert denies_symptoms(text) is expected


@pytest.mark.parametrize(
    "text, flag",
    [
        ("his eyeballs look yellowy", "jaundice"),  # word forms and slang
        ("the whites of her eyes have yellowed a lot", "jaundice"),
        ("mi skin gone yella", "jaundice"),
        ("been passing urine as brown as black coffee", "dark_urine_pale_stools"),  # verbs, 'like tea'
        ("urin is darker than usual, orange brown", "dark_urine_pale_stools"),
        ("it's dark brown when I wee", "dark_urine_pale_stools"),
        ("his poos come out chalky", "dark_urine_pale_stools"),
        ("she is very confussed", "confusion_drowsiness"),  # misspelling
        ("mum gets confused about where she lives", "confusion_drowsiness"),
        ("we can't wake him, he just groans", "confusion_drowsiness"),
        ("his vomit was dark red", "vomiting_blood"),  # noun as subject
        ("he brought up a cup of blood", "vomiting_blood"),
        ("pooping black since tuesday", "black_stools"),
        ("blood on the tissue when I wipe", "black_stools"),
        ("bleeding from my back passage", "black_stools"),
        ("his belly is huge and hard", "swollen_belly"),
        ("my tummy, which was flat, is getting bigger and bigger", "swollen_belly"),
        ("people ask if I'm pregnant, my belly looks pregnant", "swollen_belly"),
        ("he bruises so easy, even from a handshake", "bleeding_bruising"),
        ("my finger bled for hours after a paper cut", "bleeding_bruising"),
        ("sharp pain under my ribs on the right", "severe_abdominal_pain"),  # severity x place
        ("my gut is killing me", "severe_abdominal_pain"),
        ("upper right hurts like hell", "severe_abdominal_pain"),
        ("really bad pain around my liver", "severe_abdominal_pain"),
        ("puked 6 times since breakfast", "persistent_vomiting"),
        ("I can't even hold water down, throwing up everything", "persistent_vomiting"),
        ("honestly kms", "self_harm"),
        ("I just want to end it", "self_harm"),
        ("my depression has got really bad on interferon", "severe_depression"),
        ("I feel worthless since the injections started", "severe_depression"),
        ("he's had a very bad fever since Friday", "high_fever"),
        ("103F this evening", "high_fever"),
        ("should we see a doctor right away?", "emergency_question"),
    ],
)
def test_each_family_of_lay_phrasing_is_found(text: str, flag: str) -> None:
    assert flag in flag_ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "can stopping make your skin go yellow?",  # a general question with 'you'
        "could you get dark urine from hepatitis b?",
        "is jaundice catching?",
        "the nurse told me to report any black stools",  # advice, not a report
        "my car is yellow",  # yellow, but no one is yellow
        "I have a yellow folder with my results",
        "my mum was sick last week and had a blood test",  # blood that is a test
        "I can't keep track of my pills, I keep forgetting",  # 'can't keep' without a symptom
        "my stomach is not getting any bigger",  # a negation inside the span
        "I feel so down about my results",  # sad, not severely depressed
        "no blood on the tissue when I wipe",
        "it's never dark when I wee",
    ],
)
def test_harmless_senses_denials_and_general_questions_stay_quiet(text: str) -> None:
    assert flag_ids(text) == []


@pytest.mark.parametrize(
    "text, flag",
    [
        ("some yellowness on my face lately", "jaundice"),  # noun forms
        (
            "is it ok to keep taking entecavir if my skin is yellow?",
            "jaundice",
        ),  # a state now, not a possibility
        ("my son's pee's dark orange", "dark_urine_pale_stools"),  # contractions
        ("her poo is the colour of chalk", "dark_urine_pale_stools"),
        ("he got lost in his own street", "confusion_drowsiness"),
        ("vomming blood", "vomiting_blood"),
        ("there's red in his vomit", "vomiting_blood"),
        ("he threw up something that looked like ground coffee", "vomiting_blood"),
        ("my motions are very dark", "black_stools"),
        ("bleeding when I wipe", "black_stools"),
        ("her belly is all puffed up", "swollen_belly"),
        ("I bruise from the lightest bump", "bleeding_bruising"),
        ("blood keeps coming and won't stop from my gum", "bleeding_bruising"),
        ("stabbing cramping under the ribs", "severe_abdominal_pain"),
        ("he's still throwing up", "persistent_vomiting"),
        ("I want to fall asleep and never wake up", "self_harm"),
    ],
)
def test_more_lay_phrasings_are_found(text: str, flag: str) -> None:
    assert flag in flag_ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "if my skin turns yellow after stopping, what then?",  # still a possibility
        "what if my stools go dark one day?",
        "nothing bad happened, just a sleepless night",
        "I drank coffee and then threw up once last year",
    ],
)
def test_possibilities_and_harmless_words_stay_quiet(text: str) -> None:
    assert flag_ids(text) == []


@pytest.mark.parametrize(
    "text, flag",
    [
        ("my right side area hurts really badly", "severe_abdominal_pain"),
        ("he can't keep any water down", "persistent_vomiting"),
        ("puking every few hours", "persistent_vomiting"),
        ("bruising everywhere on his arms", "bleeding_bruising"),
        ("black, sticky poo", "black_stools"),
        ("fluid collecting in her belly", "swollen_belly"),
        ("spat blood into the sink", "vomiting_blood"),
    ],
)
def test_word_order_and_modifier_variants_are_found(text: str, flag: str) -> None:
    assert flag in flag_ids(text)


def test_a_question_whether_a_body_part_will_change_is_a_possibility() -> None:
    assert flag_ids("would his skin turn yellow without treatment?") == []
    assert flag_ids("his skin is yellow, would it clear with treatment?") == ["jaundice"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # said to be over, or explained, further on in the sentence: no alarm
        ("my pee went dark after a long run in the heat but it's back to normal now", []),
        ("I was jaundiced when I was diagnosed in 2010, nothing like that since", []),
        ("her eyes looked yellow at the wedding but that was the lighting", []),
        ("his confusion turned out to be a chest infection", []),
        ("there was red in my sick but it was beetroot", []),
        ("bad stomach pain last spring from my appendix, all fine now", []),
        ("yellow skin? no. swollen belly? no. is my tablet working?", []),
        ("yellow eyes: no. belly: normal. can I stop?", []),
        ("the black stools were from my iron tablets, the GP checked", []),
        ("my wee was dark after a hot day because I didn't drink enough", []),
        ("jaundice once when I was diagnosed, never since", []),
        ("I had nosebleeds as a child but none for years", []),
        ("nobody in the house is yellow", []),
        ("my eyes looked yellow but the GP saw me today, it was the bathroom lighting", []),
        ("my tummy was swollen on Friday, just bloating from beans, and it went down by Saturday", []),
        ("I was confused earlier about the dose", []),
        ("people say entecavir can turn you yellow", []),
        ("the baby had newborn jaundice and the doctors said it was normal", []),
        ("my stools were black but the GP said it's the iron tablets", []),
        ("I'm scared of going yellow like my aunt did", []),
        ("she thought I was confused but I was just half asleep", []),
        ("my eyes looked yellow, in daylight they're white", []),
        ("grandad died of liver cancer after vomiting blood", []),
        ("had a high fever last week but it was covid", []),
        ("jaundice as a teenager with hepatitis A, fully recovered", []),
        ("my brother bruises easily but he has haemophilia", []),
        ("my belly swelled after eating a huge curry", []),
        ("the nosebleed was from the dry air on the plane", []),
        ("our old dog Rex had liver failure and turned yellow", []),
        ("dizzy and drowsy from the antihistamine, doctor agreed, all fine today", []),
        # explained, then said to be back, or dismissed by the patient, not a clinician: an alarm
        ("my eyes were yellowish in the mirror this morning, in daylight too", ["jaundice"]),
        ("the dark poo was from iron but now it's black again", ["black_stools"]),
        ("she looks yellow, she says it's nothing", ["jaundice"]),
        # a cause explains only the symptoms it can cause: the others still raise the alarm
        ("dark urine and pale stools, I was dehydrated", ["dark_urine_pale_stools"]),
        ("my wee is dark and my poo has gone pale, I haven't drunk much water", ["dark_urine_pale_stools"]),
        ("dark urine, I was dehydrated", []),
        ("my stools went white after the barium test", []),
        ("yellow eyes and vomiting blood, it was probably the kitchen light", ["vomiting_blood"]),
        ("he's yellow and very drowsy, it was his sleeping pills", ["jaundice"]),
        ("black stools and my gums bleed, it's the iron tablets", ["bleeding_bruising"]),
        ("fever of 39.5 and my eyes are yellow, GP confirmed flu", ["jaundice"]),
        ("my belly is swollen and I'm confused, it's wind", ["confusion_drowsiness"]),
        ("my belly is swollen and I'm confused, turned out to be nothing", []),
        # a question about people with hepatitis B, the patient's own said to be fine; not "anyone else's"
        ("should a swollen tummy worry someone with hep b? mine is fine", []),
        ("is anyone else's pee dark like cola on tenofovir?", ["dark_urine_pale_stools"]),
        ("should someone with hep b worry about dark urine like this?", ["dark_urine_pale_stools"]),
        ("is it normal for someone on interferon to be this confused?", ["confusion_drowsiness"]),
        # ... unless it is recent, still there or back: an alarm
        ("my pee went dark this morning on my run, but it's back to normal now", ["dark_urine_pale_stools"]),
        ("I was jaundiced in 2010 and it cleared up, but I'm yellow again", ["jaundice"]),
        ("my eyes were yellow last month, it's gone but they're still a bit yellow", ["jaundice"]),
        ("yellow skin? yes, since Monday", ["jaundice"]),
        # pets, and a question about what a term means
        ("our dog keeps throwing up", []),
        ("at 6 months, what counts as not responding?", []),
        ("he's stopped responding to us", ["confusion_drowsiness"]),
    ],
)
def test_symptoms_over_explained_or_recent(text: str, expected: list) -> None:
    assert flag_ids(text) == expected


@pytest.mark.parametrize(
    "text, flag",
    [
        ("her skin has gone kind of orange-yellow", "jaundice"),
        ("his skin has slowly taken on a yellowish tinge", "jaundice"),
        ("got the yellows again", "jaundice"),
        ("he wakes up and talks nonsense", "confusion_drowsiness"),
        ("my tummy's swelled up, my trousers don't fit", "swollen_belly"),
        ("bruises appear out of nowhere on my arms", "bleeding_bruising"),
        ("I cut my finger and it bled for an hour", "bleeding_bruising"),
        ("on interferon and I've started planning how I would do it", "self_harm"),
        ("she has been vomiting continuously since morning", "persistent_vomiting"),
        ("sick every hour since last night and now there's blood in it", "vomiting_blood"),
        ("stomach ache very strong for 3 days", "severe_abdominal_pain"),
        ("my eyes are the colour of butter", "jaundice"),
        ("I can barely stay awake", "confusion_drowsiness"),
        ("passed a black, really sticky stool", "black_stools"),
        ("my stomach is bloated and it won't go down", "swollen_belly"),
        ("I look seven months pregnant", "swollen_belly"),
        ("she bruises if you just touch her", "bleeding_bruising"),
        ("bruises without any reason", "bleeding_bruising"),
        ("sharp terrible pain under the right side of my belly", "severe_abdominal_pain"),
        ("my temperature after the injection this week is 39.6, on interferon", "high_fever"),
        ("1) can I get tested privately 2) my belly has been swelling for a week", "swollen_belly"),
        ("my eyes went a strange yellow", "jaundice"),
        ("on peginterferon she says life's pointless", "self_harm"),
        ("he seems drunk but hasn't touched alcohol", "confusion_drowsiness"),
        ("temperature of 104 on interferon", "high_fever"),
        ("thermometer shows 39.4, on interferon", "high_fever"),
        ("had a 40 fever overnight on interferon", "high_fever"),
        ("I bruise when just touching the table", "bleeding_bruising"),
        ("sever pain in my abdomin", "severe_abdominal_pain"),
        ("vomited 6 times since lunch", "persistent_vomiting"),
        ("tummy tight as a drum", "swollen_belly"),
        ("belly getting really big", "swollen_belly"),
    ],
)
def test_lay_phrasings_found_in_the_dev9_round(text: str, flag: str) -> None:
    assert flag in flag_ids(text, on_interferon=True)


def test_self_harm_denials_in_other_words_raise_no_alarm() -> None:
    assert flag_ids("no suicidal thoughts at all, just tired") == []
    assert flag_ids("I'm not thinking of harming myself, only fed up") == []
    assert flag_ids("no suicidal thoughts until now, I want to end it all") == ["self_harm"]


@pytest.mark.parametrize(
    "text, flag",
    [
        ("the whites of his eyes look like old newspaper, sort of yellowish", "jaundice"),
        ("she has gone a kind of mustard colour", "jaundice"),
        ("my eyes aren't white any more", "jaundice"),
        ("my skin has turned a strange colour", "jaundice"),
        ("friends ask whether I've been abroad cos my face has gone a weird colour", "jaundice"),
        ("the toilet after a wee looks like someone spilled cola in it", "dark_urine_pale_stools"),
        ("my poos have lost their colour", "dark_urine_pale_stools"),
        ("was retching up streaks of blood", "vomiting_blood"),
        ("he vomited and there was red in it", "vomiting_blood"),
        ("number 2s black as coal for days", "black_stools"),
        ("my bowel movements look like tar", "black_stools"),
        ("mum is sleeping most of the day and called me by my brother's name", "confusion_drowsiness"),
        ("my belly sloshes when I walk", "swollen_belly"),
        ("bruises popping up everywhere", "bleeding_bruising"),
        ("big purple bruises and I can't think where they came from", "bleeding_bruising"),
        ("pain is 9 out of 10 under my ribs", "severe_abdominal_pain"),
        ("I've been looking up how many tablets it would take", "self_harm"),
        ("some days I hope I just don't wake up", "self_harm"),
        ("the fevers came back tonight, 39.6", "high_fever"),
    ],
)
def test_lay_phrasings_found_in_the_dev12_round(text: str, flag: str) -> None:
    assert flag in flag_ids(text, on_interferon=True)


@pytest.mark.parametrize(
    "text",
    [
        # a checklist answered at its end, a letter's "no ...", a denial word, a listing
        "the nurse asked - yellow eyes? black stools? - no to all of them. When can I stop?",
        "discharge letter: no ascites, no jaundice. Can I stop my tablets?",
        "zero jaundice, zero swelling; is my entecavir still working?",
        "the leaflet mentions dark urine and confusion, can stopping cause them?",
        "what symptoms would mean I should call my doctor, like yellow eyes?",
        # over, long ago, before a death, explained by something harmless
        "I vomited blood once 15 years ago and it never happened again",
        "grandad had a swollen belly before he died, that was 1998",
        "my eyes went yellow when I was 12, I'm fine now",
        "the black poo was after I started iron supplements, the GP said that's expected",
        "a nosebleed in the dry air of the plane, just the one",
        "I was worried I might get dark urine. I haven't.",
        "heard interferon can make people suicidal; I'm fine, when is the best time to start?",
        "they ruled out jaundice, I'm asking about resistance",
        # general questions that name symptoms as examples
        "when should someone with hep b go to hospital, for example vomiting blood?",
        "which symptoms should worry me on tenofovir, e.g. jaundice?",
        "do people with hepatitis b get confused when the liver fails?",
        "my aunt said black stools are a warning sign, is that true?",
    ],
)
def test_denials_lists_and_explanations_of_the_dev12_round_stay_quiet(text: str) -> None:
    assert flag_ids(text) == []


def test_a_report_stays_a_report_beside_a_question_about_signs() -> None:
    assert flag_ids("my eyes are yellow, is that a sign of liver failure?") == ["jaundice"]
    assert flag_ids("do you think I get confused because of my liver?") == ["confusion_drowsiness"]
    assert flag_ids("black stools since yesterday, e.g. this morning") == ["black_stools"]


@pytest.mark.parametrize(
    "text, flag",
    [
        ("I was sick an hour ago and there was a lot of bright red blood in it", "vomiting_blood"),
        ("the toilet bowl went dark red after I threw up", "vomiting_blood"),
        ("keeps vomiting up brown gritty bits", "vomiting_blood"),
        ("his gums have been bleeding since Sunday", "bleeding_bruising"),
        ("bruises on her arms that don't come from anything", "bleeding_bruising"),
        ("my ankles are swollen and now my belly is as well", "swollen_belly"),
        ("last night I was thinking about taking all my sleeping tablets", "self_harm"),
        ("can your eyes go yellow on entecavir? this is happening to me", "jaundice"),
        ("do you pass black tarry stools with hep b? happened again this morning", "black_stools"),
        # a long-past time elsewhere in the sentence does not reach a symptom in another clause
        ("I started tenofovir in 2015 and my eyes are yellow", "jaundice"),
        ("diagnosed years ago, but now I'm vomiting blood", "vomiting_blood"),
        ("back in 2019 I stopped my tablets and I'm still yellow", "jaundice"),
        ("my gums are bleeding which is scary", "bleeding_bruising"),  # "which" is no other sense
        ("I vomited blood after my late shift", "vomiting_blood"),  # "my late" of a person only
        ("vomiting blood since my night shift", "vomiting_blood"),
        ("I vomited blood, then I ran into my GP in town", "vomiting_blood"),
        ("vomiting blood, the doctor thinks it is from an ulcer", "vomiting_blood"),  # an ulcer bleeds
        ("I had jaundice in 2019 and now my eyes are yellow again", "jaundice"),
    ],
)
def test_lay_phrasings_found_in_the_dev13_round(text: str, flag: str) -> None:
    assert flag in flag_ids(text, on_interferon=True)


@pytest.mark.parametrize(
    "text",
    [
        # long ago in the symptom's own clause
        "in 2017 I went yellow and spent a week in hospital. no problems since. how do I avoid resistance?",
        "my aunt vomited blood and died of liver cancer in the 80s, will that happen to me?",
        "I had a swollen tummy during my first flare, ages ago; can I stop one day?",
        "I had jaundice 30 years ago when I caught it, can I still pass it on?",
        "confused for a while when I was diagnosed (2012), fine since",
        "my late father went yellow with cirrhosis",
        # explained, hypothetical, asked about, another sense, a checklist with dashes
        "nosebleed this morning, the heating makes the air so dry",
        "I was a bit muddled after the dental anaesthetic, clear-headed today",
        "would stopping tenofovir make me vomit blood?",
        "my wife worries the interferon will make me suicidal",
        "can peginterferon cause suicidal thoughts in some people?",
        "is a swollen tummy a sign of cirrhosis?",
        "I'm a yellow belt in karate",
        "I'm confused about the stopping rules",
        "jaundice - no. dark urine - no. can I stop?",
        "she looked yellow but it's the fake tan",
        "I do night shifts so drowsy is my default state",
        "what if I vomited blood? if it happened tonight, what would it mean?",  # a condition, no report
        "my wee was dark on sunday but I'd hardly drunk anything all day, it's normal again",  # thirst
    ],
)
def test_long_past_explained_and_other_senses_of_the_dev13_round_stay_quiet(text: str) -> None:
    assert flag_ids(text) == []


def test_asking_whether_ones_own_symptom_is_a_sign_of_something_is_a_report() -> None:
    assert flag_ids("is my yellow skin a sign of a flare?") == ["jaundice"]
    assert flag_ids("is a swollen belly a sign of cirrhosis?") == []  # asked in general


def test_a_denial_of_what_the_loo_shows_is_a_denial() -> None:
    assert denies_symptoms("haven't noticed anything dark in the loo, can I stop my tablets?")


def test_every_explanation_names_flags_that_exist() -> None:
    causes = [entry["explains"] for entry in RED_FLAGS["explained"] if entry["explains"] != "any"]
    named = {flag for flags in causes for flag in flags}
    assert named and named <= set(RED_FLAG_IDS)


@pytest.mark.parametrize(
    "text, flag",
    [
        ("after the blood test my whole forearm went black and blue", "bleeding_bruising"),
        ("his wee is like rooibos and his poo is beige", "dark_urine_pale_stools"),
        ("no pain, no fever, just blood in my sick this morning", "vomiting_blood"),
        ("her belly button is sticking right out now", "swollen_belly"),
        ("my nose bled for ages and would not stop", "bleeding_bruising"),
        ("she's been bringing up stuff that looks like old coffee", "vomiting_blood"),
        ("my stomach is bulging and my belt needs two more holes", "swollen_belly"),
        ("he sleeps all day now and talks strange words", "confusion_drowsiness"),
        ("mum couldn't tell me what day it was this morning", "confusion_drowsiness"),
        ("the police found him wandering in his pyjamas", "confusion_drowsiness"),
        ("bruises keep popping up on my shins", "bleeding_bruising"),
        ("big bruises on my arms, I haven't bumped into anything", "bleeding_bruising"),
        ("looks like he swallowed a football", "swollen_belly"),
        ("honestly I wanna die", "self_harm"),
        ("I've written goodbye notes to my kids", "self_harm"),
        ("I can't see any point in getting up any more", "self_harm"),
        ("I keep having thoughts of steering into the oncoming lorry", "self_harm"),
        ("my tummy has been swelling for a fortnight", "swollen_belly"),
        ("tiny red pinprick spots on both legs", "bleeding_bruising"),
        ("passed a black, sticky motion today", "black_stools"),
        ("my face has gone a proper lemony colour", "jaundice"),
        ("her eyes are the same colour as a banana skin", "jaundice"),
        ("sick every time I drink even water", "persistent_vomiting"),
        ("he vomited an hour ago and it was all red", "vomiting_blood"),
        ("I'm scared if I feel like hurting myself I'll do it", "self_harm"),
        ("I was watching a film when I vomited blood", "vomiting_blood"),
        ("it's out of character for him to be this confused", "confusion_drowsiness"),
        ("grandad keeps calling me by my late uncle's name", "confusion_drowsiness"),
    ],
)
def test_red_flags_of_the_dev16_round(text: str, flag: str) -> None:
    assert flag in flag_ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "I thought my eyes were yellow but it was the new bulbs in the hall",
        "had a fever with a cold at christmas, long gone now",
        "the nurse checked my eyes for jaundice and said they were fine",
        "my consultant looked for signs of bruising and found none",
        "my pee was dark after a day in the garden without drinking, it's pale again now",
        "there was a film where the hero vomited blood, it stuck with me",
        "I don't feel like hurting myself at all",
        "no self-harm thoughts, just tired of the jabs",
        "if I ever feel like harming myself I know to call my nurse",
        "I'm worried I'll bruise easily like the booklet describes",
        "I read that people with cirrhosis can vomit blood",
        "yellow skin and dark pee, both a no",
        "the red in my sick was red wine, nothing more",
        "confused? only by the paperwork",
        "drowsy all day but that's just the night shifts",
    ],
)
def test_denied_explained_and_told_of_others_in_the_dev16_round_stay_quiet(text: str) -> None:
    assert flag_ids(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # symptoms listed, then asked whether they are signs of something: a general question ...
        ("swollen belly, yellow skin, are those signs of cirrhosis? I don't have them", []),
        ("dark pee and itching, are these symptoms of a flare?", []),
        # ... unless they are the patient's, or the patient says they have them
        (
            "my belly is swollen and my skin is yellow, are those signs of cirrhosis?",
            ["jaundice", "swollen_belly"],
        ),
        (
            "swollen belly, yellow skin, are those signs of cirrhosis? I have both",
            ["jaundice", "swollen_belly"],
        ),
        ("is a swollen belly a sign of cirrhosis? I have one", ["swollen_belly"]),
        ("is a swollen belly a sign of cirrhosis? I have one more question", []),
        (
            "swollen belly and yellow skin since yesterday, are these signs of cirrhosis?",
            ["jaundice", "swollen_belly"],
        ),
    ],
)
def test_signs_listed_then_asked_about(text: str, expected: list) -> None:
    assert flag_ids(text) == expected


def test_a_year_is_history_only_before_this_year() -> None:
    text = "I went yellow in 2026 and it worries me"
    assert detect_red_flags(text, today=date(2026, 11, 28))
    assert not detect_red_flags(text, today=date(2027, 1, 2))


@pytest.mark.parametrize(
    "text, flag",
    [
        ("tummy's been getting bigger and bigger over the last fortnight", "swollen_belly"),
        ("my belly's got huge over the past month", "swollen_belly"),
        ("not itchy, not in pain, but yellow. since thursday", "jaundice"),
        ("the whites of my eyes look like old piano keys", "jaundice"),
        ("people keep telling me i look tanned but i haven't been anywhere", "jaundice"),
        ("I cut myself on purpose last night", "self_harm"),
        # one's own symptom named as a sign of something stays a report
        ("my stools are black which is a sign of bleeding", "black_stools"),
        ("I have black stools, are they a sign of bleeding?", "black_stools"),
        ("bruises everywhere and my gums bleed when I brush", "bleeding_bruising"),
    ],
)
def test_red_flags_of_the_dev17_round(text: str, flag: str) -> None:
    assert flag in flag_ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "my grandad went yellow and vomited blood decades ago",
        "i keep googling 'hep b black stool' even though mine are normal",
        "I know someone with hep c who turned yellow but she's cured now",
        "my partner went yellow once from antibiotics, but that's years ago",
        "I heard stopping tablets can cause a flare that makes you yellow",
        "black stools, a forum post said, are the thing to watch for",
        "my neighbour says black stools are a warning sign of bleeding, is that true?",
        "they saw a TV programme about a man going yellow",
        "my kids think I'll go yellow too",
        "is yellow skin a sign the hepatitis is getting worse?",
        "his wee is darker in the morning but it clears once he drinks",
        "his wee was a bit dark and the doctor wasn't worried at all",
        "my gums bleed a bit but the dentist says that's just gum disease",
    ],
)
def test_told_of_others_searched_for_over_or_explained_in_the_dev17_round_stay_quiet(text: str) -> None:
    assert flag_ids(text) == []
