# syntax=docker/dockerfile:1.7
# Opsloop verifier. Build from the repository root:
#   docker build -f deploy/docker/verifier.Dockerfile -t opsloop/verifier:0.1.0 .
# The monorepo ships TypeScript sources run by tsx (no compile step), so tsx is a
# runtime dependency (of @opsloop/service-kit) and is installed with --omit=dev.
ARG NODE_IMAGE=node:24-bookworm-slim

# Every workspace's package.json and the lock: npm ci checks the lock against all of them.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests && cp package.json package-lock.json /manifests/ \
 && find packages services web test deploy -maxdepth 2 -name package.json -exec cp --parents {} /manifests/ \;

# Production dependencies of this service only (no devDependencies, no install scripts).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace @opsloop/verifier

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/package.json ./package.json
COPY packages ./packages
COPY services/verifier ./services/verifier
# Tests, benchmarks and the npm CLI are not needed to run; files stay root-owned and the
# process runs as an unprivileged numeric user (runAsNonRoot can verify it). The pod's
# root filesystem is read-only; tsx caches to /tmp, an emptyDir.
RUN rm -rf packages/*/test packages/*/bench services/*/test \
    /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
    /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack
USER 10001:10001
EXPOSE 9464
# Node forwards SIGTERM to the service, which drains (service-kit runService).
ENTRYPOINT ["node", "--import", "tsx", "services/verifier/src/main.ts"]
