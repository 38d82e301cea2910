#!/bin/sh
# Writes random credentials into secrets/*.env (mode 0600, ignored by git) once, for kustomization.yaml's
# secretGenerator: the Redis password, MinIO's (S3) root keys, the request-handler's read-only keys (a MinIO user
# that minio-users.yaml makes) and the API's admin and read tokens. A file that exists is kept, so running it again
# changes nothing, and one added since an installation was made is written beside the others.
set -eu
cd "$(dirname "$0")"
umask 077
mkdir -p secrets
random() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
write() {
	if [ -e "secrets/$1" ]; then
		echo "secrets/$1 exists; kept"
		return
	fi
	printf '%s\n' "$2" >"secrets/$1"
	echo "wrote secrets/$1"
}
write redis.env "REDIS_PASSWORD=$(random 24)"
write s3.env "AWS_ACCESS_KEY_ID=$(random 10)
AWS_SECRET_ACCESS_KEY=$(random 24)"
write s3-read.env "AWS_ACCESS_KEY_ID=$(random 10)
AWS_SECRET_ACCESS_KEY=$(random 24)"
write api-tokens.env "API_TOKEN=$(random 32)
API_READ_TOKEN=$(random 32)"
