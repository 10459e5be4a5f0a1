"""How the servers run: the conversation store, log redaction, action calls, launchers.

- ``server.tracker_store``: the private, self-purging conversation store (endpoints.yml).
- ``server.forget``: ``make forget SENDER=...`` erases one conversation.
- ``server.redaction``: no message text, lab value, phone number or secret in logs above DEBUG.
- ``server.action_calls``: the action-call timeout (10 s) and failed calls noticed per turn.
- ``server.action_server``: starts rasa-sdk's action server with the log redaction, on HOST.
- ``server.rasa``: ``rasa`` with the speed-ups of ``server.speedups`` (same behaviour, faster).
"""
