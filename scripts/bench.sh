#!/usr/bin/env bash
# Measures the pipeline side by side with what a user compares it with, in one run on this machine, and prints
# one table (README, "Benchmark"). The pipeline runs on its defaults: a Redis, S3Proxy and git over HTTP of the
# test kit, each service a process of its own started through scripts/run-service.sh when the checkout has it
# (java -jar otherwise), one deploy replica with 2 workers.
#
#   scripts/bench.sh            the issue's counts (1000 files, 15 static runs, 60 sites); several minutes
#   scripts/bench.sh --short    small counts, every row: what CI runs so the benchmark keeps working
#
# BENCH_SKIP_BUILD=1 uses the jars and test classes already built. Run it as root, as the services' full
# build isolation needs (see "Builds on a machine").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

for arg in "$@"; do
    case "$arg" in
        --short) ;;
        *) die "unknown argument '$arg'; usage: scripts/bench.sh [--short]" ;;
    esac
done

if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
    ./mvnw -q -B -DskipTests package
fi
CLASSPATH_FILE="system-tests/target/bench-classpath.txt"
[[ -s "$CLASSPATH_FILE" && -d system-tests/target/test-classes ]] \
    || die "$CLASSPATH_FILE is missing: build first (./mvnw -q -B -DskipTests package), or unset BENCH_SKIP_BUILD"

# S3Proxy's jar, fetched once as run-local.sh fetches it.
if [[ -z "${S3PROXY_JAR:-}" ]]; then
    version="$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' pom.xml | head -n 1)"
    S3PROXY_JAR="$ROOT/.local/lib/s3proxy-$version-jar-with-dependencies.jar"
    if [[ ! -f "$S3PROXY_JAR" ]]; then
        mkdir -p "$ROOT/.local/lib"
        ./mvnw -q -B -N dependency:copy "-Dartifact=org.gaul:s3proxy:$version:jar:jar-with-dependencies" \
            "-DoutputDirectory=$ROOT/.local/lib"
    fi
fi

exec java -Xmx512m -cp "system-tests/target/test-classes:$(cat "$CLASSPATH_FILE")" \
    "-Dbench.root=$ROOT" "-Ds3proxy.jar=$S3PROXY_JAR" \
    -Daws.accessKeyId=local-access-key -Daws.secretAccessKey=local-secret-key \
    dev.deploypipeline.bench.Benchmark "$@"
