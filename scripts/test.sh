#!/usr/bin/env bash
# Runs every test, the README's test command: installs what the tests need and this machine lacks
# (scripts/prerequisites.sh test), then ./mvnw -B -T 2 verify (two modules at a time) with this script's arguments, e.g.
#   scripts/test.sh -pl shared -Dtest=DeploymentIdTest
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ((EUID != 0)); then
    echo "test: the tests must run as root (sudo scripts/test.sh): deploy-service isolates builds only as root" \
        "(each with a uid, cgroup and disk of its own; README, \"Builds on a machine\"), and its tests run such builds." >&2
    exit 1
fi
scripts/prerequisites.sh test
exec ./mvnw -B -T 2 verify "$@"
