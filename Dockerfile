# One image per service, from the jar ./mvnw package built (build that first), started by scripts/run-service.sh
# with the same defaults as on a machine:
#   docker build --build-arg SERVICE=deploy-service -t deploy-pipeline/deploy-service .
# SERVICE is upload-service, deploy-service or request-handler; docker-compose.yml builds all three.
ARG SERVICE=upload-service
# The Java the services run on: 17, as everywhere; 25 makes the start archive the JVM's AOT cache, which starts a
# deploy replica on about a quarter less processor time (README, "scripts/run-service.sh").
ARG JAVA=17

FROM node:20-bookworm-slim AS node

# What every service's image holds: a JRE, curl for the container's health check, and the launcher.
FROM eclipse-temurin:${JAVA}-jre AS base
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
COPY scripts/run-service.sh /app/run-service.sh

# upload-service and request-handler run as a user of their own, who owns nothing but the start archive.
FROM base AS upload-service-base
RUN useradd --system --home-dir /app --shell /usr/sbin/nologin app
ENV SERVICE_USER=app

FROM upload-service-base AS request-handler-base

FROM base AS deploy-service-base
# git for builds whose dependencies come from git; bubblewrap, setpriv and prlimit (util-linux), mount and
# mkfs.ext4 (e2fsprogs) for the builds' isolation.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git ca-certificates bubblewrap util-linux mount e2fsprogs \
    && rm -rf /var/lib/apt/lists/*
# Node 20 and npm, which run the sites' builds, taken from the official Node image.
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack \
    && node --version && npm --version && corepack --version
# Builds are untrusted code: each runs as a uid of its own (BUILD_UIDS; no user needs to exist), which owns
# nothing but its own disk. The service itself runs as root so that it can hand out those uids, cgroups and
# disks; a build cannot see its processes or read its environment.
RUN mkdir -p /var/lib/deploy-service/work \
    && chmod 711 /var/lib/deploy-service /var/lib/deploy-service/work
ENV DEPLOY_WORK_DIR=/var/lib/deploy-service/work SERVICE_USER=root

FROM ${SERVICE}-base
ARG SERVICE
ENV SERVICE=${SERVICE} SERVICE_JAR=/app/${SERVICE}.jar SERVICE_CACHE_DIR=/app/run-service
COPY ${SERVICE}/target/${SERVICE}.jar /app/${SERVICE}.jar
# The unpacked jar and its start archive, made once here rather than at each container's start (the training run
# has no Redis or S3 to reach, so it covers the classes up to their first use).
RUN /app/run-service.sh --prepare "$SERVICE" && chown -R "$SERVICE_USER" /app/run-service
USER ${SERVICE_USER}
WORKDIR /app
EXPOSE 3000 3001 3002
# exec: java is the container's first process, so docker stop's SIGTERM reaches the service.
ENTRYPOINT ["/bin/sh", "-c", "exec /app/run-service.sh \"$SERVICE\" \"$@\"", "run-service"]
