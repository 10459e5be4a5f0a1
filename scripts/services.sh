# Shared by scripts/run and scripts/cluster (sourced, not run): the environment the servers
# get, the private state folder, and starting servers under scripts/supervise until they
# answer; Ctrl-C (or any exit) stops every server started here.
# Everything listens on HOST (default 127.0.0.1: this machine only).

HOST=${HOST:-127.0.0.1}
case "$HOST" in 0.0.0.0 | ::) LOCAL=127.0.0.1 ;; *) LOCAL=$HOST ;; esac
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
WEB_PORT=${WEB_PORT:-8080}
CORS_ORIGINS=${CORS_ORIGINS:-"http://localhost:${WEB_PORT} http://127.0.0.1:${WEB_PORT}"}
export HOST CORS_ORIGINS RASA_PORT RASA_PUBLIC_URL=${RASA_PUBLIC_URL:-}
MODEL=${MODEL:-models/hepb-assistant.tar.gz}
export ACTION_ENDPOINT_URL=${ACTION_ENDPOINT_URL:-http://${LOCAL}:${ACTION_PORT}/webhook}
export RASA_TELEMETRY_ENABLED=false SQLALCHEMY_SILENCE_UBER_WARNING=1
# TensorFlow runs each message's small ops on one thread: on 2 cores a second TF thread only
# waits for the core that the action server and SQLite use (measured: bench/RESULTS.md).
export TF_INTRA_OP_PARALLELISM_THREADS=${TF_INTRA_OP_PARALLELISM_THREADS:-1}
export TF_INTER_OP_PARALLELISM_THREADS=${TF_INTER_OP_PARALLELISM_THREADS:-1}

# Private state (README, Privacy): the conversation store and the key that signs web chat
# sessions, in a folder only this user can open.
mkdir -p var && chmod 700 var
export TRACKER_DB=${TRACKER_DB:-var/tracker.db}
if [ -z "${SESSION_SECRET:-}" ]; then
  if [ ! -s var/session.key ]; then
    (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_hex(32))' > var/session.key)
  fi
  SESSION_SECRET=$(cat var/session.key)
fi
export SESSION_SECRET

pids=()
stop_all() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo; echo "==> stopping the assistant"
    # newest first: the load balancer and the replicas go before the stores they write to
    for (( i=${#pids[@]}-1; i>=0; i-- )); do kill "${pids[i]}" 2>/dev/null || true; done
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop_all INT TERM EXIT

# name, health URL (http://... or tcp://host:port), command...: supervised in the background.
# `start` waits until it answers; `launch` returns at once (`await` waits for it later).
launch() {
  scripts/supervise "$@" &
  pids+=($!)
}
await() {  # name, health URL, supervisor's pid
  for _ in $(seq 1 360); do
    if scripts/supervise --probe "$2"; then return 0; fi
    kill -0 "$3" 2>/dev/null || { echo "error: the $1 did not start" >&2; exit 1; }
    sleep 0.5
  done
  echo "error: the $1 did not answer on $2 within 180 s" >&2; exit 1
}
start() {
  launch "$@"
  await "$1" "$2" "${pids[-1]}"
}

web_bundle_built() {
  if [ ! -f web/dist/hepb-chat.js ]; then
    echo "error: the chat widget is not built (web/dist/hepb-chat.js): run \`make run\` or \`make web\`" >&2
    exit 1
  fi
}

input_channels() {  # credentials.yml plus Telegram / Twilio when their variables are set
  echo "==> input channels"
  .venv/bin/python -m channels.credentials --base credentials.yml --out .run/credentials.yml
}

start_action_server() {
  start "action server" "http://${LOCAL}:${ACTION_PORT}/health" \
    .venv/bin/python -m server.action_server --actions actions --port "$ACTION_PORT"
}

start_web_page() {
  start "web server" "http://${LOCAL}:${WEB_PORT}/" \
    .venv/bin/python scripts/serve_web.py --bind "$HOST" --port "$WEB_PORT"
}

rasa_command() {  # interface, port, endpoints file: sets RASA_COMMAND (one Rasa server)
  # server.rasa is `rasa` with the project's speed-ups (server/speedups.py)
  # shellcheck disable=SC2206  # CORS_ORIGINS is a space-separated list
  RASA_COMMAND=(.venv/bin/python -m server.rasa run --model "$MODEL" --interface "$1" --port "$2"
                --credentials .run/credentials.yml --endpoints "$3" --cors $CORS_ORIGINS)
}

how_to_talk() {
  cat <<MSG

==> The assistant is running on ${HOST} (Ctrl-C stops it).
    Open the web page with the chat widget: http://${LOCAL}:${WEB_PORT}/
    Kiosk mode:                             http://${LOCAL}:${WEB_PORT}/?kiosk=1
    Talk to it over REST:
      curl -s ${LOCAL}:${RASA_PORT}/webhooks/rest/webhook ${REST_TOKEN:+-H \"Authorization: Bearer \$REST_TOKEN\" }\\
           -H 'Content-Type: application/json' -d '{"sender": "me", "message": "hello"}'
    Web chat widgets connect to socket.io at http://${LOCAL}:${RASA_PORT} (allowed origins: ${CORS_ORIGINS}).
MSG
}
