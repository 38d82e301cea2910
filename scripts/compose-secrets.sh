#!/usr/bin/env bash
# Writes random credentials for docker-compose.yml into .env (readable by you alone), once: the Redis password
# and MinIO's keys of this installation. docker compose reads .env by itself; it refuses to start without them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -e .env ]] && grep -q '^REDIS_PASSWORD=' .env; then
    echo "compose-secrets: .env already holds this installation's credentials; delete it to make new ones" >&2
    exit 0
fi
random() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
umask 077
{
    echo "REDIS_PASSWORD=$(random)"
    echo "MINIO_ROOT_USER=deploy-$(random | head -c 12)"
    echo "MINIO_ROOT_PASSWORD=$(random)"
} >>.env
echo "compose-secrets: wrote REDIS_PASSWORD, MINIO_ROOT_USER and MINIO_ROOT_PASSWORD to .env"
