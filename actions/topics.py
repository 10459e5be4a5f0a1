"""The three topics as the patient sees them: button titles and the check each one offers."""
TOPIC_TITLES = {"stop": "Stopping treatment", "resistance": "Drug resistance",
                "interferon": "Timing of interferon"}
CHECK_BUTTONS = {
    "stop": {"title": "Check my own situation", "payload": "/check_stop"},
    "resistance": {"title": "Check my own treatment", "payload": "/check_resistance"},
    "interferon": {"title": "Check if now is a good time for me", "payload": "/check_interferon"},
}


def topic_buttons() -> list:
    """One button per topic; each shows that topic's overview (`choose_topic`)."""
    return [{"title": title, "payload": f'/choose_topic{{"topic":"{topic}"}}'}
            for topic, title in TOPIC_TITLES.items()]
