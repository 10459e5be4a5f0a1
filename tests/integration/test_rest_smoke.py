"""The real servers answer over REST."""
import pytest

from tests.integration.rest import send, texts

pytestmark = pytest.mark.servers


def test_hello_gets_a_greeting_with_topic_buttons(rasa_url):
    replies = send(rasa_url, "smoke-greet", "hello")
    assert "Hello" in texts(replies)
    buttons = [button["payload"] for reply in replies for button in reply.get("buttons", [])]
    assert buttons == ["/ask_stop", "/ask_resistance", "/ask_interferon"]


def test_out_of_scope_question_is_scoped(rasa_url):
    replies = send(rasa_url, "smoke-oos", "can you book me a flight to Paris?")
    assert "only cover three hepatitis B treatment topics" in texts(replies)
