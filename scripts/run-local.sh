#!/usr/bin/env bash
# Runs the whole pipeline on this machine: Redis, a filesystem-backed S3Proxy, upload-service and two
# deploy-service replicas (and request-handler once it is built). Ctrl-C stops everything it started.
#
# Settings (environment variables):
#   REDIS_URL                    use this Redis instead of starting one
#   S3_ENDPOINT                  use this S3-compatible endpoint (with your AWS_* keys) instead of S3Proxy
#   LOCAL_REDIS_PORT             port of the Redis it starts               (6390)
#   LOCAL_S3_PORT                port of S3Proxy                           (9000)
#   LOCAL_UPLOAD_PORT            port of upload-service                    (3000)
#   LOCAL_DEPLOY_PORTS           one deploy-service replica per port       ("3002 3012")
#   LOCAL_REQUEST_HANDLER_PORT   port of request-handler, when built       (3001)
#   LOCAL_SKIP_BUILD=1           start the jars already built, without running Maven
#   LOCAL_INFRA_ONLY=1           start only Redis and S3Proxy, e.g. to run the services from an IDE
#   LOCAL_START_TIMEOUT          seconds to wait for every health check    (180)
#   LOCAL_STOP_TIMEOUT           seconds to wait for a graceful stop       (40)
# The services' own settings (S3_BUCKET, DEPLOY_WORKERS, BUILD_TIMEOUT, API_TOKEN, GIT_ALLOWED_HOSTS,
# QUEUE_MAX_LENGTH, ...) are passed through from your environment.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

LOCAL_DIR="$ROOT/.local"
RUN_DIR="$LOCAL_DIR/run"
LOG_DIR="$LOCAL_DIR/logs"

REDIS_PORT="${LOCAL_REDIS_PORT:-6390}"
S3_PORT="${LOCAL_S3_PORT:-9000}"
UPLOAD_PORT="${LOCAL_UPLOAD_PORT:-3000}"
read -r -a DEPLOY_PORTS <<<"${LOCAL_DEPLOY_PORTS:-3002 3012}"
REQUEST_HANDLER_PORT="${LOCAL_REQUEST_HANDLER_PORT:-3001}"
START_TIMEOUT="${LOCAL_START_TIMEOUT:-180}"
STOP_TIMEOUT="${LOCAL_STOP_TIMEOUT:-40}"

# The local Redis's password and S3Proxy's keys: made at random for this checkout the first time, kept in
# .local/secrets/ (only you may read it), never your real AWS keys, which stay out of a local run. Builds
# cannot reach either server anyway (the egress gate refuses them); the credentials are the second wall.
SECRETS_DIR="$LOCAL_DIR/secrets"
secret() {
    local file="$SECRETS_DIR/$1"
    if [[ ! -s "$file" ]]; then
        (umask 077 && mkdir -p "$SECRETS_DIR" && head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file")
    fi
    cat "$file"
}

UPLOAD_JAR="upload-service/target/upload-service.jar"
DEPLOY_JAR="deploy-service/target/deploy-service.jar"
REQUEST_HANDLER_JAR="request-handler/target/request-handler.jar"

# What this run started, in start order: name, pid, port, log.
NAMES=()
PIDS=()
PORTS=()
LOGS=()

say() { printf '%s\n' "$*" 2>/dev/null; }
warn() { printf 'run-local: %s\n' "$*" >&2 2>/dev/null; }
die() { warn "$*"; exit 1; }

# --- processes -------------------------------------------------------------------------------------------

# Each child gets a session of its own, so Ctrl-C reaches only this script, which then stops the services
# before the Redis and S3 they need, and a group kill also ends whatever a child started (a build's npm).
if command -v setsid >/dev/null; then SETSID=(setsid); else SETSID=(); fi

start_time_of() { # the kernel's start time of a pid, to tell it from a later process with the same pid
    local stat rest fields
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    rest="${stat##*) }"
    read -r -a fields <<<"$rest"
    printf '%s\n' "${fields[19]}"
}

# start NAME PORT COMMAND...: runs COMMAND in the background, output to .local/logs/NAME.log.
start() {
    local name="$1" port="$2"; shift 2
    local log="$LOG_DIR/$name.log"
    [[ -f "$log" ]] && mv -f "$log" "$log.1"
    "${SETSID[@]}" "$@" </dev/null >"$log" 2>&1 9>&- &
    local pid=$!
    NAMES+=("$name"); PIDS+=("$pid"); PORTS+=("$port"); LOGS+=("$log")
    printf '%s %s %s\n' "$pid" "$(start_time_of "$pid" || echo 0)" "$port" >"$RUN_DIR/$name.pid"
    say "  started $name (pid $pid, port $port), log ${log#"$ROOT"/}"
}

signal_one() { # signal_one SIGNAL PID: the child's whole process group when it has one of its own
    if ((${#SETSID[@]})); then kill "-$1" -- "-$2" 2>/dev/null || kill "-$1" "$2" 2>/dev/null || true
    else kill "-$1" "$2" 2>/dev/null || true; fi
}

alive() {
    if ((${#SETSID[@]})); then kill -0 -- "-$1" 2>/dev/null || kill -0 "$1" 2>/dev/null
    else kill -0 "$1" 2>/dev/null; fi
}

# stop_all INDEX...: TERM, a bounded wait, then KILL for whatever is left.
stop_all() {
    local i pid deadline=$((SECONDS + STOP_TIMEOUT)) left
    for i in "$@"; do signal_one TERM "${PIDS[$i]}"; done
    while :; do
        left=()
        for i in "$@"; do alive "${PIDS[$i]}" && left+=("$i"); done
        ((${#left[@]} == 0)) && break
        if ((SECONDS >= deadline)); then
            for i in "${left[@]}"; do
                warn "${NAMES[$i]} (pid ${PIDS[$i]}) did not stop within ${STOP_TIMEOUT}s; killing it"
                signal_one KILL "${PIDS[$i]}"
            done
            sleep 0.5
            break
        fi
        sleep 0.2
    done
    for i in "$@"; do
        pid="${PIDS[$i]}"
        wait "$pid" 2>/dev/null || true
        rm -f "$RUN_DIR/${NAMES[$i]}.pid"
    done
}

# Stopping must finish even when the terminal or a pipe (run-local.sh | tee) went away with the same
# Ctrl-C: no write may kill or stop it, so SIGPIPE is ignored and errors are no longer fatal here.
cleanup() {
    local status=$?
    set +e
    trap - EXIT
    trap '' INT TERM HUP PIPE
    if ((${#PIDS[@]})); then
        say "Stopping everything run-local started..."
        local i services=() infrastructure=()
        for i in "${!NAMES[@]}"; do
            case "${NAMES[$i]}" in
                redis | s3proxy) infrastructure+=("$i") ;;
                *) services+=("$i") ;;
            esac
        done
        # The services first, while the Redis and S3 they finish their work with are still there.
        ((${#services[@]})) && stop_all "${services[@]}"
        ((${#infrastructure[@]})) && stop_all "${infrastructure[@]}"
        say "Stopped."
    fi
    exit "$status"
}

on_signal() {
    set +e
    trap '' PIPE
    say ""
    say "Caught SIG$1."
    exit "$2" # runs cleanup through the EXIT trap
}

# --- checks ----------------------------------------------------------------------------------------------

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Every port must be free; a process an earlier run left behind is named with the command that stops it.
check_ports() {
    local wanted=("$@") problems=() leftovers=() taken=0 pid_file name pid started port entry
    for pid_file in "$RUN_DIR"/*.pid; do
        [[ -e "$pid_file" ]] || continue
        name="$(basename "$pid_file" .pid)"
        read -r pid started port <"$pid_file" || true
        if [[ -n "${pid:-}" && "$(start_time_of "$pid" || echo gone)" == "${started:-}" ]]; then
            leftovers+=("$pid")
            ((${#SETSID[@]})) && leftovers[-1]="-$pid" # its process group: the service and what it ran
            problems+=("$name (pid $pid, port $port) is still running from an earlier run-local.sh")
        else
            rm -f "$pid_file"
        fi
    done
    for entry in "${wanted[@]}"; do
        name="${entry%%:*}"; port="${entry##*:}"
        if port_in_use "$port" && ! printf '%s\n' "${problems[@]}" | grep -q "port $port)"; then
            problems+=("port $port, wanted for $name, is taken by another program (ss -ltnp 'sport = :$port' shows which)")
            taken=1
        fi
    done
    if ((${#problems[@]})); then
        warn "cannot start:"
        printf '  - %s\n' "${problems[@]}" >&2
        ((${#leftovers[@]})) && warn "stop what an earlier run left running with: kill -TERM -- ${leftovers[*]}"
        ((taken)) && warn "or choose other ports: LOCAL_REDIS_PORT, LOCAL_S3_PORT, LOCAL_UPLOAD_PORT, LOCAL_DEPLOY_PORTS, LOCAL_REQUEST_HANDLER_PORT"
        exit 1
    fi
}

check_java() {
    command -v java >/dev/null || die "java is not on PATH; install a JDK 17 or newer (apt-get install openjdk-17-jdk-headless)"
    local version
    version="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
    if ! [[ "${version%%.*}" =~ ^[0-9]+$ ]] || ((${version%%.*} < 17)); then
        die "java on PATH is version ${version:-unknown}; the services need 17 or newer"
    fi
}

check_tools() {
    check_java
    command -v curl >/dev/null || die "curl is not on PATH (apt-get install curl); it checks the services' health"
    if [[ -z "${REDIS_URL:-}" ]] && ! command -v redis-server >/dev/null; then
        die "redis-server is not on PATH. Install it (apt-get install redis-server on Debian or Ubuntu),
or point REDIS_URL at a Redis you already run."
    fi
}

# --- building --------------------------------------------------------------------------------------------

s3proxy_version() {
    sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' pom.xml | head -n 1
}

build() {
    if [[ "${LOCAL_SKIP_BUILD:-}" == 1 ]]; then
        say "Skipping the build (LOCAL_SKIP_BUILD=1)."
    else
        say "Building (./mvnw -q -B -DskipTests package)..."
        ./mvnw -q -B -DskipTests package
    fi
    if [[ "${LOCAL_INFRA_ONLY:-}" != 1 ]]; then
        local jar
        for jar in "$UPLOAD_JAR" "$DEPLOY_JAR"; do
            [[ -f "$jar" ]] || die "$jar is missing after the build: is its module listed in pom.xml's <modules>?
Run with LOCAL_INFRA_ONLY=1 to start only Redis and S3Proxy."
        done
    fi
}

# The S3Proxy jar is fetched once per version into .local/lib/.
S3PROXY_JAR=""
fetch_s3proxy() {
    local version
    version="$(s3proxy_version)"
    [[ -n "$version" ]] || die "no <s3proxy.version> property in pom.xml"
    S3PROXY_JAR="$LOCAL_DIR/lib/s3proxy-$version-jar-with-dependencies.jar"
    if [[ ! -f "$S3PROXY_JAR" ]]; then
        say "Fetching S3Proxy $version into .local/lib/..."
        ./mvnw -q -B -N dependency:copy \
            "-Dartifact=org.gaul:s3proxy:$version:jar:jar-with-dependencies" \
            "-DoutputDirectory=$LOCAL_DIR/lib"
        [[ -f "$S3PROXY_JAR" ]] || die "Maven did not put S3Proxy at $S3PROXY_JAR"
    fi
}

# --- starting --------------------------------------------------------------------------------------------

REDIS_CLI=()
start_redis() {
    if [[ -n "${REDIS_URL:-}" ]]; then
        REDIS_CLI=(redis-cli -u "\$REDIS_URL")
        if command -v redis-cli >/dev/null && [[ "$(redis-cli -u "$REDIS_URL" ping 2>&1)" != PONG ]]; then
            die "the Redis at REDIS_URL does not answer PING"
        fi
        say "  using the Redis at REDIS_URL"
        return
    fi
    mkdir -p "$LOCAL_DIR/redis"
    local password config="$LOCAL_DIR/redis.conf"
    password="$(secret redis-password)"
    # The password goes in a file of the run's own, not on the command line, where `ps` would show it.
    (umask 077 && printf 'requirepass %s\n' "$password" >"$config")
    start redis "$REDIS_PORT" redis-server "$config" --port "$REDIS_PORT" --bind 127.0.0.1 \
        --dir "$LOCAL_DIR/redis" --appendonly yes --save "" --daemonize no --logfile ""
    export REDIS_URL="redis://:$password@127.0.0.1:$REDIS_PORT"
    export REDISCLI_AUTH="$password"
    REDIS_CLI=(redis-cli -p "$REDIS_PORT")
}

start_s3proxy() {
    if [[ -n "${S3_ENDPOINT:-}" ]]; then
        say "  using the S3 endpoint at S3_ENDPOINT ($S3_ENDPOINT)"
        return
    fi
    mkdir -p "$LOCAL_DIR/s3"
    local properties="$LOCAL_DIR/s3proxy.properties"
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
    export S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
    AWS_ACCESS_KEY_ID="$(secret s3-access-key)" AWS_SECRET_ACCESS_KEY="$(secret s3-secret-key)"
    export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
    export AWS_REGION="${AWS_REGION:-us-east-1}"
    unset AWS_SESSION_TOKEN AWS_PROFILE
}

# Builds may install from the npm registry this machine's npm uses, wherever it answers from, and corepack
# fetches yarn and pnpm there too; on a machine that cannot isolate builds (not root), they run without.
build_settings() {
    local registry host
    if command -v npm >/dev/null && registry="$(npm config get registry 2>/dev/null)" && [[ -n "$registry" ]]; then
        host="${registry#*://}"; host="${host%%/*}"
        export BUILD_EGRESS_ALLOWED_HOSTS="${BUILD_EGRESS_ALLOWED_HOSTS:+$BUILD_EGRESS_ALLOWED_HOSTS,}$host"
        export COREPACK_NPM_REGISTRY="${COREPACK_NPM_REGISTRY:-${registry%/}}"
    fi
    if [[ $EUID -ne 0 && -z "${BUILD_ISOLATION:-}" ]]; then
        say "  WARNING: not root, so builds cannot be isolated: running them with BUILD_ISOLATION=none."
        say "  Build only repositories you trust, or run this script as root (README, \"Builds on a machine\")."
        export BUILD_ISOLATION=none
    fi
}

start_services() {
    build_settings
    SERVER_PORT="$UPLOAD_PORT" start upload-service "$UPLOAD_PORT" java -jar "$UPLOAD_JAR"
    local n=0 port
    for port in "${DEPLOY_PORTS[@]}"; do
        n=$((n + 1))
        # In the system's temp folder: builds' uids must pass through every folder above their own.
        SERVER_PORT="$port" DEPLOY_WORK_DIR="${TMPDIR:-/tmp}/deploy-pipeline-local/deploy-service-$n" \
            start "deploy-service-$n" "$port" java -jar "$DEPLOY_JAR"
    done
    # request-handler: started once its module builds a jar.
    if [[ -f "$REQUEST_HANDLER_JAR" ]]; then
        SERVER_PORT="$REQUEST_HANDLER_PORT" start request-handler "$REQUEST_HANDLER_PORT" java -jar "$REQUEST_HANDLER_JAR"
    fi
}

# --- waiting ---------------------------------------------------------------------------------------------

DEADLINE=0

index_of() {
    local i
    for i in "${!NAMES[@]}"; do [[ "${NAMES[$i]}" == "$1" ]] && { printf '%s\n' "$i"; return; }; done
    return 1
}

# fail_start INDEX WHY: says why, shows the end of the log, and exits (which stops the rest).
fail_start() {
    local i="$1"
    warn "${NAMES[$i]} $2. The end of ${LOGS[$i]#"$ROOT"/}:"
    tail -n 30 "${LOGS[$i]}" | sed 's/^/    /' >&2
    exit 1
}

# await NAME CHECK...: runs CHECK until it succeeds, the process dies, or the deadline passes.
await() {
    local i code
    i="$(index_of "$1")"; shift
    until "$@" >/dev/null 2>&1; do
        if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
            code=0; wait "${PIDS[$i]}" || code=$?
            fail_start "$i" "stopped while starting (exit code $code)"
        fi
        ((SECONDS < DEADLINE)) || fail_start "$i" "was not ready within ${START_TIMEOUT}s"
        sleep 1
    done
    say "  ${NAMES[$i]} is ready"
}

redis_ready() { [[ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; } # REDISCLI_AUTH is set

s3proxy_answers() { [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$S3_PORT/")" != 000 ]]; }

# A signed ListBuckets with the keys the services get, so a wrong key shows up here and not in a build.
s3proxy_accepts_keys() {
    curl --help all 2>/dev/null | grep -q -- --aws-sigv4 || return 0 # curl older than 7.75 cannot sign
    local empty_sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 code
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
        --aws-sigv4 "aws:amz:$AWS_REGION:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
        -H "x-amz-content-sha256: $empty_sha256" "http://127.0.0.1:$S3_PORT/")"
    [[ "$code" == 200 ]] || fail_start "$(index_of s3proxy)" "refused a request signed with the local keys (HTTP $code)"
}

healthy() { curl -fsS --max-time 2 "http://127.0.0.1:$1/actuator/health"; }

# --- the run ---------------------------------------------------------------------------------------------

print_ready() {
    local redis_cli="${REDIS_CLI[*]}" auth="" i
    [[ -n "${API_TOKEN:-}" ]] && auth=" -H \"Authorization: Bearer \$API_TOKEN\""
    say ""
    say "Ready:"
    for i in "${!NAMES[@]}"; do
        printf '  %-18s port %-6s log %s\n' "${NAMES[$i]}" "${PORTS[$i]}" "${LOGS[$i]#"$ROOT"/}"
    done
    if [[ "${LOCAL_INFRA_ONLY:-}" != 1 && ! -f "$REQUEST_HANDLER_JAR" ]]; then
        say "  (request-handler is not built yet, so deployed sites are not served over HTTP)"
    fi
    [[ "${NAMES[*]}" == *s3proxy* ]] && say "  S3 objects are files under .local/s3/$S3_BUCKET/"
    say ""
    if [[ "${LOCAL_INFRA_ONLY:-}" == 1 ]]; then
        say "Run the services with:"
        say "  export REDIS_URL=$REDIS_URL S3_ENDPOINT=$S3_ENDPOINT S3_BUCKET=$S3_BUCKET AWS_REGION=${AWS_REGION:-us-east-1}"
        [[ "${NAMES[*]}" == *s3proxy* ]] && say "  export AWS_ACCESS_KEY_ID=\$(cat .local/secrets/s3-access-key) AWS_SECRET_ACCESS_KEY=\$(cat .local/secrets/s3-secret-key)"
    else
        say "Deploy a site:"
        say "  curl -X POST http://localhost:$UPLOAD_PORT/deploy -H 'Content-Type: application/json'$auth -d '{\"repoUrl\":\"https://github.com/mdn/beginner-html-site-scripted\"}'"
        say ""
        say "Watch it (ID is the \"id\" in that answer):"
        say "  curl 'http://localhost:$UPLOAD_PORT/status?id=ID'$auth"
        [[ "${NAMES[*]}" == *redis* ]] && say "  export REDISCLI_AUTH=\$(cat .local/secrets/redis-password)   # once, for redis-cli"
        say "  $redis_cli LLEN build-queue"
        say "  $redis_cli LRANGE build-queue 0 -1"
        say "  $redis_cli HGET status ID"
        say "  tail -f .local/logs/deploy-service-*.log"
        if [[ -f "$REQUEST_HANDLER_JAR" ]]; then
            say ""
            say "Once deployed, the site is at http://ID.localhost:$REQUEST_HANDLER_PORT/"
        fi
    fi
    say ""
    say "Ctrl-C stops everything."
}

main() {
    check_tools
    mkdir -p "$RUN_DIR" "$LOG_DIR" "$LOCAL_DIR/lib"

    # One run per checkout at a time; the children do not inherit the lock.
    exec 9>"$RUN_DIR/lock"
    if command -v flock >/dev/null && ! flock -n 9; then
        die "another run-local.sh is already running in this checkout; stop it with Ctrl-C in its terminal"
    fi

    local wanted=() port n=0 i code
    [[ -z "${REDIS_URL:-}" ]] && wanted+=("redis:$REDIS_PORT")
    [[ -z "${S3_ENDPOINT:-}" ]] && wanted+=("s3proxy:$S3_PORT")
    if [[ "${LOCAL_INFRA_ONLY:-}" != 1 ]]; then
        wanted+=("upload-service:$UPLOAD_PORT")
        for port in "${DEPLOY_PORTS[@]}"; do n=$((n + 1)); wanted+=("deploy-service-$n:$port"); done
        [[ -f "$REQUEST_HANDLER_JAR" ]] && wanted+=("request-handler:$REQUEST_HANDLER_PORT")
    fi
    check_ports "${wanted[@]}"

    build
    [[ -z "${S3_ENDPOINT:-}" ]] && fetch_s3proxy

    trap cleanup EXIT
    trap 'on_signal INT 130' INT
    trap 'on_signal TERM 143' TERM
    trap 'on_signal HUP 129' HUP

    export S3_BUCKET="${S3_BUCKET:-deployments}"
    say "Starting:"
    DEADLINE=$((SECONDS + START_TIMEOUT))
    start_redis
    start_s3proxy
    index_of redis >/dev/null && await redis redis_ready
    if index_of s3proxy >/dev/null; then
        await s3proxy s3proxy_answers
        s3proxy_accepts_keys
    fi

    if [[ "${LOCAL_INFRA_ONLY:-}" != 1 ]]; then
        start_services
        for i in "${!NAMES[@]}"; do
            case "${NAMES[$i]}" in
                redis | s3proxy) ;;
                *) await "${NAMES[$i]}" healthy "${PORTS[$i]}" ;;
            esac
        done
    fi
    print_ready
    ((${#PIDS[@]})) || { say "Nothing to keep running: Redis and S3 are your own."; exit 0; }

    # Until Ctrl-C, or until one of them stops on its own, which ends the run.
    while :; do
        wait -n || true
        for i in "${!PIDS[@]}"; do
            if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
                code=0; wait "${PIDS[$i]}" || code=$?
                fail_start "$i" "stopped unexpectedly (exit code $code)"
            fi
        done
    done
}

main "$@"
