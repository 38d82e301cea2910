#!/usr/bin/env bash
# Measures how long a service takes from its JVM starting to being ready, started by scripts/run-service.sh:
#   scripts/start-time.sh [--runs N] [deploy-service|upload-service|request-handler]   (deploy-service, 5 runs)
# Ready is health UP and, for deploy-service, every worker taking from the queue ("Worker ... takes
# deployments" in its log). It needs the services' own variables (REDIS_URL, S3_ENDPOINT, AWS_*: see
# `LOCAL_INFRA_ONLY=1 scripts/run-local.sh`) and prints one line per run, then the median:
#   start-time: deploy-service ready in 1.84 s (health UP 1.80 s, 3.10 s of CPU), run 1 of 5
#   start-time: deploy-service median 1.86 s of 5 runs (java 17.0.15, load average 0.52 on 2 cores)
# The first start after a build unpacks the jar and makes its class-data archive (run-service.sh --prepare),
# which is done before the runs and not counted. The JVM's start is the moment run-service.sh is started,
# which execs java: the launcher's own few milliseconds are counted too.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

RUNS=5
if [[ "${1:-}" == --runs ]]; then RUNS="$2"; shift 2; fi
SERVICE="${1:-deploy-service}"
say() { printf 'start-time: %s\n' "$*"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
seconds() { printf '%d.%02d' $(($1 / 1000)) $((($1 % 1000) / 10)); }
# cpu_ms PID: the processor time the process and its waited-for children have used, in milliseconds.
cpu_ms() {
    local stat fields
    stat="$(cat "/proc/$1/stat")"
    read -r -a fields <<<"${stat##*) }"
    echo $(((fields[11] + fields[12] + fields[13] + fields[14]) * 1000 / $(getconf CLK_TCK)))
}

# health PORT: true once /actuator/health answers 200, asked over bash's own socket so polling forks nothing.
health() {
    local line
    { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
    printf 'GET /actuator/health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
    read -r -t 2 line <&3 || true
    exec 3<&- 3>&-
    [[ "$line" == *" 200 "* ]]
}

consuming() {
    [[ "$SERVICE" != deploy-service ]] && return 0
    local workers
    workers="$(grep -c 'Worker .* takes deployments' "$1" || true)"
    ((workers >= ${DEPLOY_WORKERS:-$(nproc)}))
}

WORK="$(mktemp -d)"
chmod 711 "$WORK"
PID=""
cleanup() {
    [[ -n "$PID" ]] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

"$ROOT/scripts/run-service.sh" --prepare "$SERVICE"
times=()
for ((run = 1; run <= RUNS; run++)); do
    port="$(free_port)" log="$WORK/$SERVICE-$run.log"
    start="$(now_ms)"
    SERVER_PORT="$port" DEPLOY_REPLICA_NAME="start-time-$$-$run" DEPLOY_WORK_DIR="$WORK/builds-$run" \
        "$ROOT/scripts/run-service.sh" "$SERVICE" >"$log" 2>&1 &
    PID=$!
    healthy=""
    until [[ -n "$healthy" ]] && consuming "$log"; do
        if ! kill -0 "$PID" 2>/dev/null; then
            tail -n 20 "$log" >&2
            say "$SERVICE stopped while starting"
            exit 1
        fi
        [[ -z "$healthy" ]] && health "$port" && healthy="$(now_ms)"
        (($(now_ms) - start < 120000)) || { say "$SERVICE was not ready within 120 s; see $log"; exit 1; }
        sleep 0.02
    done
    ready="$(now_ms)"
    cpu="$(cpu_ms "$PID")"
    times+=("$(seconds $((ready - start)))")
    say "$SERVICE ready in ${times[-1]} s (health UP $(seconds $((healthy - start))) s, $(seconds "$cpu") s of CPU), run $run of $RUNS"
    kill -TERM "$PID"
    wait "$PID" 2>/dev/null || true
    PID=""
done
median="$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")"
say "$SERVICE median $median s of $RUNS runs (java $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -n 1 | cut -d'"' -f2), load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores)"
