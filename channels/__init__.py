"""Input channels for the web widget, the kiosk and messaging apps.

- ``channels.socketio.SocketIOInput``: Rasa's socket.io channel with session persistence that
  works with python-socketio 5.x (the web widget and the kiosk).
- ``channels.twilio_signed.SignedTwilioInput``: Twilio SMS and WhatsApp, every webhook request
  checked against its ``X-Twilio-Signature``; buttons sent as numbered text choices.
- ``channels.choices``: buttons as numbered text and a reply "1" mapped back to its payload.
- ``channels.credentials``: writes the credentials file used at run time (messaging channels
  only when their environment variables are set).
"""
