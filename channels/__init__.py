"""Input channels for the web widget, the kiosk, REST clients and messaging apps.

Every channel hands its messages to ``channels.guard.Guard`` (sender checks, a key prefix per
channel, input limits, typed "/" text as text, at most 10 bot messages per turn, "something
went wrong" when an action call fails):

- ``channels.rest.GuardedRestInput``: REST with JSON errors and an optional bearer token.
- ``channels.socketio.SocketIOInput``: socket.io for the web widget and the kiosk, with allowed
  origins, server-signed sessions and session persistence that works with python-socketio 5.x.
- ``channels.telegram.SecureTelegramInput``: Telegram, every update checked against the
  webhook's secret token, repeated updates dropped.
- ``channels.twilio_signed.SignedTwilioInput``: Twilio SMS and WhatsApp, every webhook request
  checked against its ``X-Twilio-Signature``, repeated deliveries dropped; buttons sent as
  numbered text choices (``channels.choices``).
- ``channels.recent``: the ids of recent deliveries; ``channels.credentials``: writes the
  credentials file used at run time (messaging channels only when their variables are set).
"""
