#!/usr/bin/env bash
# Runs the whole pipeline on this machine, after installing what it needs and the machine lacks
# (scripts/prerequisites.sh run): Redis, a filesystem-backed S3Proxy, upload-service, the deploy-service
# replicas and request-handler. Ctrl-C stops everything it started: the services first, then S3Proxy and
# Redis. Its settings are the README's "run-local.sh settings"; the services' own settings (DEPLOY_WORKERS,
# API_TOKEN, GIT_ALLOWED_HOSTS, ...) are passed through from your environment.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOCAL_DIR="$ROOT/.local"
RUN_DIR="$LOCAL_DIR/run"
LOG_DIR="$LOCAL_DIR/logs"
SECRETS_DIR="$LOCAL_DIR/secrets"

REDIS_PORT="${LOCAL_REDIS_PORT:-6390}"
S3_PORT="${LOCAL_S3_PORT:-9000}"
UPLOAD_PORT="${LOCAL_UPLOAD_PORT:-3000}"
read -r -a DEPLOY_PORTS <<<"${LOCAL_DEPLOY_PORTS:-3002 3012}"
REQUEST_HANDLER_PORT="${LOCAL_REQUEST_HANDLER_PORT:-3001}"
START_TIMEOUT="${LOCAL_START_TIMEOUT:-180}"
STOP_TIMEOUT="${LOCAL_STOP_TIMEOUT:-40}"
INFRA_ONLY="${LOCAL_INFRA_ONLY:-}"
export S3_BUCKET="${S3_BUCKET:-deployments}"

say() { printf '%s\n' "$*" 2>/dev/null; }
warn() { printf 'run-local: %s\n' "$*" >&2 2>/dev/null; }
die() { warn "$*"; exit 1; }

# The local Redis's password and S3Proxy's keys: made at random for this checkout the first time, kept in
# .local/secrets/ (only you may read it), never your real AWS keys, which stay out of a local run. Builds
# cannot reach either server anyway (the egress gate refuses them); the credentials are the second wall.
secret() {
    local file="$SECRETS_DIR/$1"
    [[ -s "$file" ]] || (umask 077 && mkdir -p "$SECRETS_DIR" && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file")
    cat "$file"
}

# --- processes -------------------------------------------------------------------------------------------

# What this run started, in start order.
NAMES=()
PIDS=()
PORTS=()

# The kernel's start time of a pid, which tells the process an earlier run started from a later one with its pid.
start_time() {
    local stat fields
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
    read -r -a fields <<<"${stat##*) }"
    printf '%s\n' "${fields[19]}"
}

# start NAME PORT COMMAND...: runs COMMAND in the background, output to .local/logs/NAME.log, in a session of
# its own: Ctrl-C reaches only this script, which stops the services before the Redis and S3 they need, and
# killing the session's process group also ends whatever the child started (a build's npm).
start() {
    local name="$1" port="$2" log="$LOG_DIR/$1.log"
    shift 2
    [[ -f "$log" ]] && mv -f "$log" "$log.1"
    setsid "$@" </dev/null >"$log" 2>&1 9>&- &
    NAMES+=("$name"); PIDS+=("$!"); PORTS+=("$port")
    printf '%s %s %s\n' "$!" "$(start_time "$!")" "$port" >"$RUN_DIR/$name.pid"
    say "  started $name (pid $!, port $port), log .local/logs/$name.log"
}

started() { [[ " ${NAMES[*]} " == *" $1 "* ]]; }

# running INDEX WHAT: returns while that process runs; once it has ended, names its exit code and the end of
# its log, and ends the run (which stops the rest).
running() {
    local i="$1" code=0
    kill -0 "${PIDS[$i]}" 2>/dev/null && return 0
    wait "${PIDS[$i]}" || code=$?
    fail "$i" "$2 (exit code $code)"
}

fail() {
    warn "${NAMES[$1]} $2. The end of .local/logs/${NAMES[$1]}.log:"
    tail -n 30 "$LOG_DIR/${NAMES[$1]}.log" | sed 's/^/    /' >&2
    exit 1
}

ready() {
    case "${NAMES[$1]}" in
        redis) [[ "$(redis-cli -p "$REDIS_PORT" ping)" == PONG ]] ;; # REDISCLI_AUTH holds the password
        s3proxy) [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$S3_PORT/")" != 000 ]] ;;
        *) curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:${PORTS[$1]}/actuator/health" ;;
    esac
}

# await FIRST: waits until every process started from index FIRST on is ready, or fails at DEADLINE.
await() {
    local i
    for ((i = $1; i < ${#PIDS[@]}; i++)); do
        until ready "$i" >/dev/null 2>&1; do
            running "$i" "stopped while starting"
            ((SECONDS < DEADLINE)) || fail "$i" "was not ready within ${START_TIMEOUT}s"
            sleep 1
        done
        say "  ${NAMES[$i]} is ready"
    done
}

# signal SIGNAL INDEX: to the process's group, or to the process alone while it is not yet the leader of one.
signal() { kill "-$1" -- "-${PIDS[$2]}" 2>/dev/null || kill "-$1" "${PIDS[$2]}" 2>/dev/null; }

# stop INDEX...: TERM, a bounded wait, then KILL for whatever is left.
stop() {
    local i left=("$@") still deadline=$((SECONDS + STOP_TIMEOUT))
    for i in "$@"; do signal TERM "$i"; done
    while ((${#left[@]})) && ((SECONDS < deadline)); do
        sleep 0.2
        still=()
        for i in "${left[@]}"; do signal 0 "$i" && still+=("$i"); done
        left=("${still[@]}")
    done
    for i in "${left[@]}"; do
        warn "${NAMES[$i]} (pid ${PIDS[$i]}) did not stop within ${STOP_TIMEOUT}s; killing it"
        signal KILL "$i"
    done
    for i in "$@"; do
        wait "${PIDS[$i]}" 2>/dev/null
        rm -f "$RUN_DIR/${NAMES[$i]}.pid"
    done
}

# Stopping must finish even when the terminal or a pipe (run-local.sh | tee) went away with the same
# Ctrl-C: no write may kill or stop it, so SIGPIPE is ignored and errors are no longer fatal here.
cleanup() {
    local status=$? i services=() infrastructure=()
    set +e
    trap - EXIT
    trap '' INT TERM HUP PIPE
    if ((${#PIDS[@]})); then
        say "Stopping everything run-local started..."
        for i in "${!NAMES[@]}"; do
            case "${NAMES[$i]}" in redis | s3proxy) infrastructure+=("$i") ;; *) services+=("$i") ;; esac
        done
        # The services first, while the Redis and S3 they finish their work with are still there.
        ((${#services[@]})) && stop "${services[@]}"
        ((${#infrastructure[@]})) && stop "${infrastructure[@]}"
        say "Stopped."
    fi
    exit "$status"
}

# --- before starting -------------------------------------------------------------------------------------

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# check_ports NAME:PORT...: every port must be free; what an earlier run left running is named with the
# command that stops it.
check_ports() {
    local problems=() leftovers=() taken=0 file pid started port entry
    for file in "$RUN_DIR"/*.pid; do
        [[ -e "$file" ]] || continue
        read -r pid started port <"$file" || true
        if [[ -n "${started:-}" && "$(start_time "$pid")" == "$started" ]]; then
            leftovers+=("-$pid") # its process group: the service and what it ran
            problems+=("$(basename "$file" .pid) (pid $pid, port $port) is still running from an earlier run-local.sh")
        else
            rm -f "$file"
        fi
    done
    for entry in "$@"; do
        port="${entry##*:}"
        if port_in_use "$port" && [[ "${problems[*]}" != *"port $port)"* ]]; then
            problems+=("port $port, wanted for ${entry%:*}, is taken by another program (ss -ltnp 'sport = :$port' shows which)")
            taken=1
        fi
    done
    ((${#problems[@]})) || return 0
    warn "cannot start:"
    printf '  - %s\n' "${problems[@]}" >&2
    ((${#leftovers[@]})) && warn "stop what an earlier run left running with: kill -TERM -- ${leftovers[*]}"
    ((taken)) && warn "or choose other ports: LOCAL_REDIS_PORT, LOCAL_S3_PORT, LOCAL_UPLOAD_PORT, LOCAL_DEPLOY_PORTS, LOCAL_REQUEST_HANDLER_PORT"
    exit 1
}

# The S3Proxy jar of pom.xml's version, fetched once into .local/lib/.
fetch_s3proxy() {
    local version
    version="$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' pom.xml | head -n 1)"
    S3PROXY_JAR="$LOCAL_DIR/lib/s3proxy-$version-jar-with-dependencies.jar"
    if [[ ! -f "$S3PROXY_JAR" ]]; then
        say "Fetching S3Proxy $version into .local/lib/..."
        ./mvnw -q -B -N dependency:copy "-Dartifact=org.gaul:s3proxy:$version:jar:jar-with-dependencies" \
            "-DoutputDirectory=$LOCAL_DIR/lib"
    fi
}

# redis_ping URL: PINGs the Redis at a redis:// or rediss:// URL as the services read it, the password in
# REDISCLI_AUTH rather than on the command line, where `ps` would show it, and the user, if the URL names one,
# with --user: redis-cli 7.0 takes `redis://:password@host` for the user "", which Redis refuses.
redis_ping() {
    local scheme="${1%%://*}" rest="${1#*://}" userinfo="" user="" password=""
    if [[ "${rest%%/*}" == *@* ]]; then
        userinfo="${rest%%@*}"
        rest="${rest#*@}"
        if [[ "$userinfo" == *:* ]]; then
            user="${userinfo%%:*}" password="${userinfo#*:}"
        else
            password="$userinfo" # redis://password@host, as Lettuce reads it
        fi
    fi
    local args=(--no-auth-warning -u "$scheme://$rest")
    [[ -n "$user" ]] && args+=(--user "$(percent_decoded "$user")")
    if [[ -n "$password" ]]; then
        REDISCLI_AUTH="$(percent_decoded "$password")" redis-cli "${args[@]}" ping
    else
        env -u REDISCLI_AUTH redis-cli "${args[@]}" ping
    fi
}

percent_decoded() { printf '%b' "${1//%/\\x}"; }

# --- starting --------------------------------------------------------------------------------------------

REDIS_CLI="redis-cli -u \$REDIS_URL"
start_redis() {
    local password config="$LOCAL_DIR/redis.conf"
    password="$(secret redis-password)"
    mkdir -p "$LOCAL_DIR/redis"
    # The password goes in a file of the run's own, not on the command line, where `ps` would show it.
    (umask 077 && printf 'requirepass %s\n' "$password" >"$config")
    start redis "$REDIS_PORT" redis-server "$config" --port "$REDIS_PORT" --bind 127.0.0.1 \
        --dir "$LOCAL_DIR/redis" --appendonly yes --save "" --daemonize no --logfile ""
    export REDIS_URL="redis://:$password@127.0.0.1:$REDIS_PORT" REDISCLI_AUTH="$password"
    REDIS_CLI="redis-cli -p $REDIS_PORT"
}

start_s3proxy() {
    local properties="$LOCAL_DIR/s3proxy.properties"
    mkdir -p "$LOCAL_DIR/s3"
    (umask 077 && cat >"$properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$(secret s3-access-key)
s3proxy.credential=$(secret s3-secret-key)
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$LOCAL_DIR/s3
jclouds.identity=local
jclouds.credential=local
EOF
    )
    start s3proxy "$S3_PORT" java -Xmx512m -jar "$S3PROXY_JAR" --properties "$properties"
    export S3_ENDPOINT="http://127.0.0.1:$S3_PORT" AWS_REGION="${AWS_REGION:-us-east-1}"
    AWS_ACCESS_KEY_ID="$(secret s3-access-key)" AWS_SECRET_ACCESS_KEY="$(secret s3-secret-key)"
    export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
    unset AWS_SESSION_TOKEN AWS_PROFILE
}

# Each service through scripts/run-service.sh, with the pipeline's JVM defaults and its start archive (made the
# first time after a build).
start_services() {
    # Builds may install from the npm registry this machine's npm uses, wherever it answers from, and
    # corepack fetches yarn and pnpm there too.
    local registry host n=0 port
    registry="$(npm config get registry)"
    host="${registry#*://}" && host="${host%%/*}"
    export BUILD_EGRESS_ALLOWED_HOSTS="${BUILD_EGRESS_ALLOWED_HOSTS:+$BUILD_EGRESS_ALLOWED_HOSTS,}$host"
    export COREPACK_NPM_REGISTRY="${COREPACK_NPM_REGISTRY:-${registry%/}}"
    if [[ $EUID -ne 0 && -z "${BUILD_ISOLATION:-}" ]]; then
        say "  WARNING: not root, so builds cannot be isolated: running them with BUILD_ISOLATION=none."
        say "  Build only repositories you trust, or run this script as root (README, \"Builds on a machine\")."
        export BUILD_ISOLATION=none
    fi
    SERVER_PORT="$UPLOAD_PORT" start upload-service "$UPLOAD_PORT" scripts/run-service.sh upload-service
    for port in "${DEPLOY_PORTS[@]}"; do
        n=$((n + 1))
        # In the system's temp folder: builds' uids must pass through every folder above their own.
        SERVER_PORT="$port" DEPLOY_WORK_DIR="${TMPDIR:-/tmp}/deploy-pipeline-local/deploy-service-$n" \
            start "deploy-service-$n" "$port" scripts/run-service.sh deploy-service
    done
    SERVER_PORT="$REQUEST_HANDLER_PORT" start request-handler "$REQUEST_HANDLER_PORT" \
        scripts/run-service.sh request-handler
}

print_ready() {
    local auth="" i
    [[ -n "${API_TOKEN:-}" ]] && auth=" -H \"Authorization: Bearer \$API_TOKEN\""
    say ""
    say "Ready:"
    for i in "${!NAMES[@]}"; do
        printf '  %-18s port %-6s log .local/logs/%s.log\n' "${NAMES[$i]}" "${PORTS[$i]}" "${NAMES[$i]}" 2>/dev/null
    done
    started s3proxy && say "  S3 objects are files under .local/s3/$S3_BUCKET/"
    say ""
    if [[ "$INFRA_ONLY" == 1 ]]; then
        say "Run the services with:"
        # The password stays in its file, off the screen and out of the terminal's scrollback.
        local redis_url='$REDIS_URL'
        started redis && redis_url="redis://:\$(cat .local/secrets/redis-password)@127.0.0.1:$REDIS_PORT"
        say "  export REDIS_URL=$redis_url S3_ENDPOINT=$S3_ENDPOINT S3_BUCKET=$S3_BUCKET AWS_REGION=${AWS_REGION:-us-east-1}"
        started s3proxy && say "  export AWS_ACCESS_KEY_ID=\$(cat .local/secrets/s3-access-key) AWS_SECRET_ACCESS_KEY=\$(cat .local/secrets/s3-secret-key)"
    else
        say "Deploy a site:"
        say "  curl -X POST http://localhost:$UPLOAD_PORT/deploy -H 'Content-Type: application/json'$auth -d '{\"repoUrl\":\"https://github.com/mdn/beginner-html-site-scripted\"}'"
        say ""
        say "Watch it (ID is the \"id\" in that answer):"
        say "  curl 'http://localhost:$UPLOAD_PORT/status?id=ID'$auth"
        started redis && say "  export REDISCLI_AUTH=\$(cat .local/secrets/redis-password)   # once, for redis-cli"
        say "  $REDIS_CLI LLEN build-queue"
        say "  $REDIS_CLI LRANGE build-queue 0 -1"
        say "  $REDIS_CLI HGET status ID"
        say "  tail -f .local/logs/deploy-service-*.log"
        say ""
        say "Once deployed, the site is at http://ID.localhost:$REQUEST_HANDLER_PORT/"
    fi
    say ""
    say "Ctrl-C stops everything."
}

# --- the run ---------------------------------------------------------------------------------------------

scripts/prerequisites.sh run
mkdir -p "$RUN_DIR" "$LOG_DIR" "$LOCAL_DIR/lib"
# One run per checkout at a time; the children do not inherit the lock.
exec 9>"$RUN_DIR/lock"
flock -n 9 || die "another run-local.sh is already running in this checkout; stop it with Ctrl-C in its terminal"

wanted=()
[[ -z "${REDIS_URL:-}" ]] && wanted+=("redis:$REDIS_PORT")
[[ -z "${S3_ENDPOINT:-}" ]] && wanted+=("s3proxy:$S3_PORT")
if [[ "$INFRA_ONLY" != 1 ]]; then
    wanted+=("upload-service:$UPLOAD_PORT" "request-handler:$REQUEST_HANDLER_PORT")
    for i in "${!DEPLOY_PORTS[@]}"; do wanted+=("deploy-service-$((i + 1)):${DEPLOY_PORTS[$i]}"); done
fi
check_ports "${wanted[@]}"

if [[ "${LOCAL_SKIP_BUILD:-}" == 1 ]]; then
    say "Skipping the build (LOCAL_SKIP_BUILD=1)."
else
    say "Building (./mvnw -q -B -DskipTests package)..."
    ./mvnw -q -B -DskipTests package
fi
[[ -n "${S3_ENDPOINT:-}" ]] || fetch_s3proxy

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
trap 'exit 141' PIPE # stdout went away (run-local.sh | head): stop what started, too

say "Starting:"
DEADLINE=$((SECONDS + START_TIMEOUT))
if [[ -n "${REDIS_URL:-}" ]]; then
    if command -v redis-cli >/dev/null && [[ "$(redis_ping "$REDIS_URL" 2>&1)" != PONG ]]; then
        die "the Redis at REDIS_URL does not answer PING"
    fi
    say "  using the Redis at REDIS_URL"
else
    start_redis
fi
if [[ -n "${S3_ENDPOINT:-}" ]]; then
    say "  using the S3 endpoint at S3_ENDPOINT ($S3_ENDPOINT)"
else
    start_s3proxy
fi
await 0
if [[ "$INFRA_ONLY" != 1 ]]; then
    first_service=${#PIDS[@]}
    start_services
    await "$first_service"
fi
print_ready
((${#PIDS[@]})) || { say "Nothing to keep running: Redis and S3 are your own."; exit 0; }

# Until Ctrl-C, or until one of them stops on its own, which ends the run.
while :; do
    wait -n || true
    for i in "${!PIDS[@]}"; do running "$i" "stopped unexpectedly"; done
done
