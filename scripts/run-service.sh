#!/usr/bin/env bash
# Starts one service's jar with the pipeline's defaults, the one place they are written:
#   scripts/run-service.sh <upload-service|deploy-service|request-handler> [the service's own arguments...]
#   scripts/run-service.sh --prepare <service>   only unpacks the jar and makes its class-data archive
# It passes its environment through to the service (REDIS_URL, DEPLOY_WORKERS...) and execs java, so the
# JVM is this process: signals (SIGTERM from Ctrl-C, compose or Kubernetes) reach it. The README's
# "scripts/run-service.sh" section lists its settings and why each default is what it is.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
die() { printf 'run-service: %s\n' "$*" >&2; exit 2; }

PREPARE=0
if [[ "${1:-}" == --prepare ]]; then PREPARE=1; shift; fi
SERVICE="${1:-}"
case "$SERVICE" in
    upload-service | deploy-service | request-handler) shift ;;
    *) die "usage: $0 [--prepare] upload-service|deploy-service|request-handler [arguments...]" ;;
esac

# The jar: SERVICE_JAR, or the one ./mvnw package built in this checkout.
JAR="${SERVICE_JAR:-$HERE/../$SERVICE/target/$SERVICE.jar}"
[[ -f "$JAR" ]] || die "$JAR is missing: build it with ./mvnw -B -DskipTests package (or set SERVICE_JAR)"
JAR="$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")"
# Where the unpacked jar and its archive live: build output, made again whenever the jar or the JVM changes.
CACHE="${SERVICE_CACHE_DIR:-$(dirname "$JAR")/run-service}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
command -v "$JAVA" >/dev/null || die "no java: install a JDK 17 or set JAVA_HOME"

# --- the defaults --------------------------------------------------------------------------------------------
# Every one was measured (README, "scripts/run-service.sh"): each service stays under 256 MB resident after the
# benchmark's load, no slower than with the JVM's own defaults. JAVA_OPTS comes last, so it wins.
# SERVICE_JVM_OPTIONS replaces them all, to measure another choice.
JVM=(
    -XX:+UseSerialGC            # one core's worth of GC threads and no G1 remembered sets: ~40 MB less, as fast here
    -XX:MinHeapFreeRatio=10     # the heap a peak took is given back: 10-30% of it kept free, not 40-70%
    -XX:MaxHeapFreeRatio=30
    -XX:MaxRAM="${SERVICE_MAX_RAM:-1g}" # the heap is sized as a share of this, not of the machine's whole memory
    -XX:MaxRAMPercentage=25
    -XX:MaxMetaspaceSize=192m   # a bound, well above the ~80 MB a service uses, so a leak fails loudly
    -XX:ReservedCodeCacheSize=64m
    -Xss512k
    -XX:+ExitOnOutOfMemoryError # a replica out of memory is in an unknown state: it ends, to be started again
    -XX:TieredStopAtLevel=1
    -XX:CompileThresholdScaling=0.1 # compile after ~20 calls, not ~200: the code run once per deployment is
                                    # compiled after a few deployments instead of running interpreted for hundreds
)
# glibc's malloc keeps an arena per thread that allocates (up to 8 per core), each holding freed memory: two do
# for a service whose memory is its Java heap.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# shellcheck disable=SC2206 # a list of options, split on spaces
[[ -n "${SERVICE_JVM_OPTIONS+set}" ]] && JVM=(${SERVICE_JVM_OPTIONS})

# --- the unpacked jar and its class-data archive ---------------------------------------------------------------
# Spring Boot's own way to a fast start: the jar unpacked (-Djarmode=tools extract), so the JVM can map its
# classes from an archive made by one training run, and the bean definitions Spring's AOT processing generated
# at build time (-Dspring.aot.enabled=true) instead of scanning and reflection. On Java 25 or newer the archive
# is the JVM's AOT cache (JEP 483, 514, 515: classes loaded and linked, method profiles); before, a dynamic
# class-data-sharing archive. SERVICE_FAST_START=false runs the jar as it is.
JAVA_BIN="$(readlink -f "$(command -v "$JAVA")")"
JAVA_MAJOR="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$(dirname "$JAVA_BIN")/../release" 2>/dev/null || true)"
if ((${JAVA_MAJOR:-0} >= 25)); then
    ARCHIVE="$CACHE/$SERVICE.aot" RECORD=(-XX:AOTCacheOutput="$ARCHIVE") USE=(-XX:AOTCache="$ARCHIVE")
else
    ARCHIVE="$CACHE/$SERVICE.jsa" RECORD=(-XX:ArchiveClassesAtExit="$ARCHIVE") USE=(-XX:SharedArchiveFile="$ARCHIVE")
fi

# What the archive was made from: it is made again when the jar, the JVM or the options change.
stamp() { printf '%s|%s|%s|%s\n' "$(stat -c '%s %Y' "$JAR")" "$JAVA_BIN" "$(stat -c '%Y' "$JAVA_BIN")" "${JVM[*]}"; }

prepared() { [[ -f "$CACHE/stamp" && "$(cat "$CACHE/stamp")" == "$(stamp)" && -f "$ARCHIVE" ]]; }

prepare() {
    prepared && return 0
    local current
    current="$(stamp)"
    printf 'run-service: unpacking %s and making its start archive in %s (once per build)\n' "$SERVICE" "$CACHE" >&2
    rm -rf "$CACHE/app" "$CACHE"/*.jsa "$CACHE"/*.aot "$CACHE/stamp"
    "$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$CACHE/app" --application-filename "$SERVICE.jar" \
        >/dev/null
    # The training run: the application context is made and the JVM exits before anything starts, writing what
    # it loaded. Without Redis or S3 (an image's build) it stops earlier, which still leaves a useful archive.
    "$JAVA" "${JVM[@]}" "${RECORD[@]}" -Dspring.aot.enabled=true -Dspring.context.exit=onRefresh \
        -Dlogging.level.root=warn -jar "$CACHE/app/$SERVICE.jar" >"$CACHE/training.log" 2>&1 || true
    [[ -f "$ARCHIVE" ]] || die "no start archive was made; see $CACHE/training.log"
    printf '%s\n' "$current" >"$CACHE/stamp"
}

if [[ "${SERVICE_FAST_START:-true}" == false ]]; then
    ((PREPARE)) && exit 0
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options, split on spaces
    exec "$JAVA" "${JVM[@]}" ${JAVA_OPTS:-} -jar "$JAR" "$@"
fi
# Once made, the archive is only read, so a container with a read-only root or another uid starts from the image's.
# Else one preparation at a time, even when several replicas start together; the service does not inherit the lock.
if ! prepared; then
    mkdir -p "$CACHE"
    exec 8>"$CACHE/lock"
    flock 8
    prepare
    exec 8>&-
fi
((PREPARE)) && exit 0

# Spring's AOT code fixes at build time which beans exist, so a setting that adds or removes beans would be
# ignored: a management port of its own, profiles. Then the service starts without it (the archive still helps).
AOT=(-Dspring.aot.enabled=true)
if [[ "${SERVICE_AOT:-true}" == false ]]; then
    AOT=()
elif [[ -n "${MANAGEMENT_SERVER_PORT:-}" || -n "${SPRING_PROFILES_ACTIVE:-}" ]]; then
    printf 'run-service: MANAGEMENT_SERVER_PORT or SPRING_PROFILES_ACTIVE is set, which changes the beans: starting without Spring AOT\n' >&2
    AOT=()
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options, split on spaces
exec "$JAVA" "${JVM[@]}" "${USE[@]}" "${AOT[@]}" ${JAVA_OPTS:-} -jar "$CACHE/app/$SERVICE.jar" "$@"
