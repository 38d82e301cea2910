#!/usr/bin/env bash
# Writes random credentials for docker-compose.yml into .env (readable by you alone): the Redis password, MinIO's
# root keys and request-handler's read-only keys (a MinIO user that compose's minio-users makes) of this
# installation. A variable .env holds already is kept, so running it again changes nothing, and one added since
# an installation was made is written beside the others. docker compose reads .env by itself; it refuses to start
# without them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

random() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
umask 077
touch .env
if [[ -s .env && -n "$(tail -c 1 .env)" ]]; then
    echo >>.env # a last line without its newline would run into the first one written
fi
write() {
    if grep -q "^$1=" .env; then
        echo "compose-secrets: .env holds $1 already; kept"
        return
    fi
    echo "$1=$2" >>.env
    echo "compose-secrets: wrote $1 to .env"
}
write REDIS_PASSWORD "$(random)"
write MINIO_ROOT_USER "deploy-$(random | head -c 12)"
write MINIO_ROOT_PASSWORD "$(random)"
write S3_READER_ACCESS_KEY_ID "reader-$(random | head -c 12)"
write S3_READER_SECRET_ACCESS_KEY "$(random)"
