#!/usr/bin/env bash
# Entry point of the portal image: docker/entrypoint.sh ROLE [ARGS...]
#
#   web        run database migrations, create the sysadmin, serve on :5000 (gunicorn)
#   gather     ckan harvester gather-consumer
#   fetch      ckan harvester fetch-consumer
#   scheduler  ckan harvester run, every HARVEST_INTERVAL seconds (default 900), and
#              the periodic jobs: data request reminders, reuse digests and usage
#              purge daily, reuse link check and full assessment run weekly, the
#              assessment of changed datasets nightly (see "scheduler" below)
#   worker     ckan jobs worker [ARGS...]
#   anything else is run as given, once the config is written and the
#   services answer (e.g. "ckan sysadmin add NAME", "ckan db version", "bash")
#
# Before any of these, CKAN_SECRET_KEY is checked (required), the secrets and
# the harvest queue host are written into $CKAN_INI with "ckan config-tool",
# and PostgreSQL, Solr and Redis are waited for (up to CKAN_WAIT_TIMEOUT s).
# CKAN itself reads CKAN_SQLALCHEMY_URL, CKAN_SOLR_URL, CKAN_REDIS_URL,
# CKAN_SITE_URL, CKAN_STORAGE_PATH and CKAN_SMTP_* from the environment.
set -euo pipefail

CKAN_INI=${CKAN_INI:-/srv/app/ckan.ini}
export CKAN_INI
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd) # wsgi.py sits beside this script

log() { printf '[entrypoint] %s\n' "$*" >&2; }
die() { printf '[entrypoint] ERROR: %s\n' "$*" >&2; exit 1; }

role=${1:-web}
[ "$#" -gt 0 ] && shift

# ------------------------------------------------------------ checks first
# These need nothing but the environment, so a misconfigured container stops
# at once with a clear message instead of waiting for services.
check_secret() {
  local key=${CKAN_SECRET_KEY:-}
  [ -n "$key" ] || die "CKAN_SECRET_KEY is not set. Set it in docker/.env (generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))')."
  case "$key" in
    change-me*) die "CKAN_SECRET_KEY still has the placeholder value from .env.example; set a random secret in docker/.env." ;;
  esac
  [ "${#key}" -ge 32 ] || die "CKAN_SECRET_KEY is too short (${#key} characters); use at least 32 random characters."
  case "$key" in
    *$'\n'* | *' '*) die "CKAN_SECRET_KEY must be a single word; use letters, digits, '-' and '_'." ;;
  esac
}

check_settings() {
  local interval=${HARVEST_INTERVAL:-900}
  [[ "$interval" =~ ^[1-9][0-9]*$ ]] || die "HARVEST_INTERVAL must be a whole number of seconds, not '$interval'."
  [[ "${SCHEDULER_TICK:-300}" =~ ^[1-9][0-9]*$ ]] || die "SCHEDULER_TICK must be a whole number of seconds, not '${SCHEDULER_TICK}'."
  [[ "${SCHEDULER_HOUR:-2}" =~ ^(1?[0-9]|2[0-3])$ ]] || die "SCHEDULER_HOUR must be an hour from 0 to 23 (UTC), not '${SCHEDULER_HOUR}'."
  [[ "${SCHEDULER_WEEKDAY:-7}" =~ ^[1-7]$ ]] || die "SCHEDULER_WEEKDAY must be a day from 1 (Monday) to 7 (Sunday), not '${SCHEDULER_WEEKDAY}'."
  if [ -n "${CKAN_SYSADMIN_NAME:-}" ]; then
    [ -n "${CKAN_SYSADMIN_PASSWORD:-}" ] || die "CKAN_SYSADMIN_NAME is set but CKAN_SYSADMIN_PASSWORD is not."
    [ -n "${CKAN_SYSADMIN_EMAIL:-}" ] || die "CKAN_SYSADMIN_NAME is set but CKAN_SYSADMIN_EMAIL is not."
  fi
  # CKAN copies every CKAN_* variable into its ini parser, where '%' starts
  # an interpolation: one stray '%' (a URL-encoded password, say) stops
  # every ckan command with a traceback. Placeholders left from
  # .env.example are refused too. Name the variable, never the value.
  local var
  for var in $(compgen -e); do
    case "$var" in
      CKAN_*)
        [[ "${!var}" != *%* ]] || die "$var contains '%', which CKAN's config reader cannot take; choose a value without '%'."
        [[ "${!var}" != *change-me* ]] || die "$var still has a 'change-me' placeholder from .env.example; set a real value in docker/.env." ;;
    esac
  done
  [ -f "$CKAN_INI" ] || die "config file $CKAN_INI not found."
  [ -w "$CKAN_INI" ] || die "config file $CKAN_INI is not writable by $(id -un)."
}

# ------------------------------------------------------------ configuration
write_config() {
  # The harvest queue reads host/port/db from these options, not from
  # ckan.redis.url, so they follow the Redis service too.
  ckan config-tool "$CKAN_INI" \
    "SECRET_KEY=$CKAN_SECRET_KEY" \
    "ckan.harvest.mq.hostname=${CKAN_HARVEST_MQ_HOSTNAME:-redis}" \
    "ckan.harvest.mq.port=${CKAN_HARVEST_MQ_PORT:-6379}" \
    "ckan.harvest.mq.redis_db=${CKAN_HARVEST_MQ_REDIS_DB:-0}" >/dev/null ||
    die "ckan config-tool could not write $CKAN_INI."
  log "config written to $CKAN_INI (secret key, harvest queue on ${CKAN_HARVEST_MQ_HOSTNAME:-redis}:${CKAN_HARVEST_MQ_PORT:-6379})"
}

# ------------------------------------------------------------ services
wait_for_services() {
  log "waiting for PostgreSQL, Solr and Redis (up to ${CKAN_WAIT_TIMEOUT:-180} s)"
  python - "${CKAN_WAIT_TIMEOUT:-180}" <<'PY' || die "services did not answer in time (see above)."
import configparser
import os
import sys
import time
import urllib.request

timeout = float(sys.argv[1])
ini = configparser.ConfigParser(interpolation=None, strict=False)
ini.read(os.environ["CKAN_INI"])


def setting(env, option):
    """The effective value: the environment wins over the ini, as in CKAN."""
    return os.environ.get(env) or ini.get("app:main", option, fallback="")


def check_db():
    import psycopg2

    url = setting("CKAN_SQLALCHEMY_URL", "sqlalchemy.url")
    url = url.replace("postgresql+psycopg2://", "postgresql://", 1)
    psycopg2.connect(url, connect_timeout=5).close()


def check_solr():
    url = setting("CKAN_SOLR_URL", "solr_url").rstrip("/") + "/admin/ping?wt=json"
    request = urllib.request.Request(url)
    user = setting("CKAN_SOLR_USER", "solr_user")
    if user:
        import base64

        token = f"{user}:{setting('CKAN_SOLR_PASSWORD', 'solr_password')}"
        request.add_header("Authorization", "Basic " + base64.b64encode(token.encode()).decode())
    with urllib.request.urlopen(request, timeout=5) as response:
        if response.status != 200:
            raise RuntimeError(f"HTTP {response.status}")


def check_redis():
    import redis

    redis.Redis.from_url(setting("CKAN_REDIS_URL", "ckan.redis.url"), socket_timeout=5).ping()


deadline = time.monotonic() + timeout
for name, check in (("PostgreSQL", check_db), ("Solr", check_solr), ("Redis", check_redis)):
    last_said = 0.0
    while True:
        try:
            check()
            print(f"[entrypoint] {name} is ready", file=sys.stderr)
            break
        except Exception as error:  # any failure means "not yet"
            now = time.monotonic()
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            if now >= deadline:
                print(f"[entrypoint] ERROR: {name} is not ready: {reason}", file=sys.stderr)
                sys.exit(1)
            if now - last_said >= 10:
                print(f"[entrypoint] waiting for {name}: {reason}", file=sys.stderr)
                last_said = now
            time.sleep(2)
PY
}

# ------------------------------------------------------------ web set-up
migrate() {
  log "running database migrations (CKAN core and plugins)"
  ckan db upgrade || die "ckan db upgrade failed."
}

ensure_sysadmin() {
  local name=${CKAN_SYSADMIN_NAME:-} shown
  [ -n "$name" ] || return 0
  shown=$(ckan user show "$name") || die "ckan user show $name failed."
  if [ "$shown" = "User: None" ]; then
    log "creating sysadmin $name"
    ckan sysadmin add "$name" --create \
      "email=$CKAN_SYSADMIN_EMAIL" "password=$CKAN_SYSADMIN_PASSWORD" >/dev/null ||
      die "could not create sysadmin $name (CKAN wants a password of 8 characters or more and a valid email)."
  else
    log "user $name already exists: left as it is"
  fi
}

# ------------------------------------------------------------ scheduler
# Two loops in one service: "ckan harvester run" every HARVEST_INTERVAL
# seconds, and the portal's periodic jobs, checked every SCHEDULER_TICK
# seconds, so a long assessment run never delays harvesting. A job runs once
# per period (day, or ISO week), at or after SCHEDULER_HOUR o'clock UTC
# (weekly ones on SCHEDULER_WEEKDAY, 1 = Monday ... 7 = Sunday, or later in
# that week); the period it last ran in is kept in SCHEDULER_STATE_DIR (on
# the ckan_storage volume), so a restart neither repeats nor forgets a job,
# and a scheduler that was down at that hour catches up when it is back. A
# failed job is logged and tried again in its next period; the assessment's
# --changed-since starts at the last successful run, so nothing is missed.
#
#   name                   period  command
SCHEDULED_JOBS=(
  "datarequest-reminders daily   ckan reuse datarequest-reminders"
  "reuse-digests         daily   ckan reuse send-digests"
  "usage-purge           daily   ckan odassessment usage purge"
  "reuse-link-check      weekly  ckan reuse check-links"
  "assessment-full       weekly  assessment_run full"
  "assessment-changed    daily   assessment_run changed"
)

STATE_DIR=${SCHEDULER_STATE_DIR:-/var/lib/ckan/scheduler}
CHILD=""

# Run a command in the background and wait for it, so TERM stops the loop
# (and the command) at once.
run_child() {
  "$@" &
  CHILD=$!
  local rc=0
  wait "$CHILD" || rc=$?
  CHILD=""
  return $rc
}

pause() { run_child sleep "$1" || true; }

stop_child() { [ -z "$CHILD" ] || kill "$CHILD" 2>/dev/null; exit 0; }

harvest_loop() {
  trap stop_child TERM INT
  local interval=${HARVEST_INTERVAL:-900}
  while true; do
    log "ckan harvester run"
    run_child ckan harvester run || log "ckan harvester run failed (exit $?); trying again in $interval s"
    pause "$interval"
  done
}

# The period a job belongs to now: 2026-11-23 (daily) or 2026-W48 (weekly).
period_of() { if [ "$1" = weekly ]; then date -u +%G-W%V; else date -u +%F; fi; }

is_due() { # name period
  local now_hour now_day stamp="$STATE_DIR/$1"
  now_hour=$((10#$(date -u +%H)))
  now_day=$(date -u +%u)
  [ "$(cat "$stamp" 2>/dev/null)" != "$(period_of "$2")" ] || return 1
  if [ "$2" = weekly ]; then
    [ "$now_day" -gt "${SCHEDULER_WEEKDAY:-7}" ] && return 0
    [ "$now_day" -eq "${SCHEDULER_WEEKDAY:-7}" ] || return 1
  fi
  [ "$now_hour" -ge "${SCHEDULER_HOUR:-2}" ]
}

# ckan odassessment run: the full weekly run, or the nightly run of what
# changed since the last successful one (the full run covers that night).
assessment_run() {
  local since_file="$STATE_DIR/assessment-since" started since
  started=$(date -u +%Y-%m-%dT%H:%M:%S)
  if [ "$1" = full ]; then
    ckan odassessment run || return $?
    period_of daily >"$STATE_DIR/assessment-changed"
  else
    since=$(cat "$since_file" 2>/dev/null || date -u -d yesterday +%Y-%m-%dT%H:%M:%S)
    ckan odassessment run --changed-since "$since" || return $?
  fi
  echo "$started" >"$since_file"
}

jobs_loop() {
  trap stop_child TERM INT
  local job name period command
  while true; do
    for job in "${SCHEDULED_JOBS[@]}"; do
      read -r name period command <<<"$job"
      is_due "$name" "$period" || continue
      log "$name: $command"
      # shellcheck disable=SC2086 # the command is split into words on purpose
      run_child $command || log "$name failed (exit $?); it runs again in its next period ($period)"
      period_of "$period" >"$STATE_DIR/$name"
    done
    pause "${SCHEDULER_TICK:-300}"
  done
}

LOOPS=""
run_scheduler() {
  mkdir -p "$STATE_DIR" || die "cannot create the scheduler's state folder $STATE_DIR."
  # Stop at once on "docker compose stop", running commands included.
  trap 'log "scheduler stopping"; kill $LOOPS 2>/dev/null; wait; exit 0' TERM INT
  log "scheduler: ckan harvester run every ${HARVEST_INTERVAL:-900} s; daily jobs from ${SCHEDULER_HOUR:-2}:00 UTC, weekly jobs on day ${SCHEDULER_WEEKDAY:-7} (1 = Monday); state in $STATE_DIR"
  local job
  for job in "${SCHEDULED_JOBS[@]}"; do log "  scheduled: $job"; done
  harvest_loop &
  LOOPS="$!"
  jobs_loop &
  LOOPS="$LOOPS $!"
  wait
}

# ------------------------------------------------------------ main
check_secret
check_settings
write_config
wait_for_services

case "$role" in
  web)
    migrate
    ensure_sysadmin
    log "serving on 0.0.0.0:5000 with gunicorn (${GUNICORN_WORKERS:-2} workers)"
    exec gunicorn --chdir "$HERE" --bind 0.0.0.0:5000 \
      --workers "${GUNICORN_WORKERS:-2}" --timeout "${GUNICORN_TIMEOUT:-120}" \
      --access-logfile - --error-logfile - "$@" wsgi:application ;;
  gather) exec ckan harvester gather-consumer "$@" ;;
  fetch) exec ckan harvester fetch-consumer "$@" ;;
  scheduler) run_scheduler ;;
  worker) exec ckan jobs worker "$@" ;;
  *) exec "$role" "$@" ;;
esac
