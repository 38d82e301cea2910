#!/usr/bin/env bash
# Installs, on Debian or Ubuntu, what the README's two commands need and this machine lacks:
#   scripts/prerequisites.sh run    what scripts/run-local.sh needs to build and run the pipeline
#   scripts/prerequisites.sh test   what scripts/test.sh needs to run every test
# With --dry-run it only says what it would install and how. It installs with apt-get as root, or through
# `sudo -n` when that works without a password; otherwise it stops and names the packages to install.
set -euo pipefail

MODE="${1:-}"
DRY_RUN=0
[[ "${2:-}" == --dry-run ]] && DRY_RUN=1
case "$MODE" in
    run) COMMAND=scripts/run-local.sh ;;
    test) COMMAND=scripts/test.sh ;;
    *) echo "usage: $0 run|test [--dry-run]" >&2; exit 2 ;;
esac

say() { printf 'prerequisites: %s\n' "$*"; }
die() { printf 'prerequisites: %s\n' "$*" >&2; exit 1; }

# A program on PATH, or in the system folders deploy-service takes its privileged tools from.
have() { command -v "$1" >/dev/null || [[ -x "/usr/sbin/$1" || -x "/sbin/$1" ]]; }

# What each mode needs: "program package" pairs, in install order. nodejs comes before npm and each is
# installed on its own, as some nodejs packages bring their own npm, which Debian's npm would conflict with.
NEEDS=(
    "javac openjdk-17-jdk-headless" # ./mvnw compiles the services
    "node nodejs" "npm npm"         # builds run npm; the egress relay runs on node
    # deploy-service's builds, isolated or not: README, "Builds on a machine"
    "bwrap bubblewrap" "mkfs.ext4 e2fsprogs" "setpriv util-linux" "prlimit util-linux" "setsid util-linux"
    "flock util-linux" "mount mount" "umount mount"
)
if [[ "$MODE" == run ]]; then
    NEEDS+=("curl curl") # run-local.sh's health checks
    # Only for the Redis run-local.sh starts; with REDIS_URL it uses yours.
    [[ -n "${REDIS_URL:-}" ]] || NEEDS+=("redis-server redis-server" "redis-cli redis-tools")
else
    NEEDS+=("redis-server redis-server" "git git") # tests start their own Redis and run git
    # The dashboard's browser tests drive Debian's chromium with playwright-core, which system-tests installs
    # itself (npm ci in src/test/browser, from its lock file).
    NEEDS+=("chromium chromium")
    # kubernetes-manifests renders deploy/kubernetes with kubectl kustomize, which needs kubectl 1.21 or newer
    # (kustomize v4+); Debian 12's kubernetes-client is 1.20, so give such a machine a newer kubectl yourself.
    NEEDS+=("kubectl kubernetes-client")
    # ComposeFileTest reads docker-compose.yml with Compose itself (no engine needed): the docker CLI's plugin
    # where it is installed, Debian's docker-compose otherwise.
    docker compose version >/dev/null 2>&1 || NEEDS+=("docker-compose docker-compose")
fi
# "program package" pairs installed with npm install -g. Yarn and pnpm builds go through corepack, which
# Debian's nodejs does not ship.
NPM_GLOBALS=("corepack corepack")

missing_packages() {
    local need program package seen=" "
    for need in "${NEEDS[@]}"; do
        read -r program package <<<"$need"
        if ! have "$program" && [[ "$seen" != *" $package "* ]]; then
            seen+="$package "
            printf '%s\n' "$package"
        fi
    done
}

missing_npm_globals() {
    local need program package
    for need in "${NPM_GLOBALS[@]}"; do
        read -r program package <<<"$need"
        have "$program" || printf '%s\n' "$package"
    done
}

# How to run a command as root here, if at all.
AS_ROOT=()
if ((EUID == 0)); then HOW="as root"
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then AS_ROOT=(sudo -n); HOW="through sudo -n"
else HOW=""; fi

still_missing() {
    local package
    while read -r package; do [[ "$package" == "$1" ]] && return 0; done < <(missing_packages)
    return 1
}

install_missing() {
    local packages npm_globals package updated=0
    mapfile -t packages < <(missing_packages)
    mapfile -t npm_globals < <(missing_npm_globals)
    if ((${#packages[@]} + ${#npm_globals[@]} == 0)); then
        ((DRY_RUN)) && say "nothing to install for $MODE"
        return 0
    fi
    local what="${packages[*]:+apt-get install ${packages[*]}}"
    what+="${packages[*]:+${npm_globals[*]:+, then }}${npm_globals[*]:+npm install -g ${npm_globals[*]}}"
    if [[ -z "$HOW" ]] || ! command -v apt-get >/dev/null; then
        die "this machine lacks what $COMMAND needs, and this script can install it only as root or through
sudo -n. As root, run: $what"
    fi
    if ((DRY_RUN)); then say "would run $HOW: $what"; return 0; fi
    say "installing $HOW: $what"
    for package in "${packages[@]}"; do
        # Again each time: one package may have brought another's program (nodejs its own npm).
        still_missing "$package" || continue
        if ((!updated)); then
            "${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
            updated=1
        fi
        "${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$package"
    done
    for package in "${npm_globals[@]}"; do
        "${AS_ROOT[@]}" npm install -g --no-audit --no-fund "$package"
    done
    mapfile -t packages < <(missing_packages; missing_npm_globals)
    ((${#packages[@]} == 0)) || die "still missing after installing: ${packages[*]}"
}

major_version() { sed -n 's/^[^0-9]*\([0-9][0-9]*\).*/\1/p' | head -n 1; }

check_versions() {
    local java node
    java="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | major_version)"
    ((${java:-0} >= 17)) || die "java on PATH is version ${java:-unknown}; the services need 17 or newer"
    node="$(node --version | major_version)"
    ((${node:-0} >= 20)) || die "node on PATH is version ${node:-unknown}; builds need Node 20 or newer (Debian 13's
nodejs, or Node 20 from your distribution's backports or NodeSource)"
    say "java $java, node $(node --version), npm $(npm --version)$(redis-server --version 2>/dev/null | sed -n 's/.* v=\([^ ]*\).*/, redis \1/p')"
}

install_missing
((DRY_RUN)) || check_versions
