# edgewatch: the whole stack (edgewatch up: sensors, VictoriaMetrics, vmalert, local alerting)
# in one container, so one memory limit is the budget and the supervisor, `edgewatch budget` and
# the component memory metrics work as on a bare box (README, "Containers").
#   docker build -t edgewatch .                                       (public base image)
#   docker build --build-arg BASE_IMAGE=edgewatch-base:bookworm .      (scripts/docker-base.sh)
#   docker buildx build --platform linux/amd64,linux/arm64,linux/arm/v7 -t REGISTRY/edgewatch --push .
# Debian 12 brings VictoriaMetrics 1.79.5; BASE_IMAGE=debian:trixie-slim brings 1.112.0.
ARG BASE_IMAGE=debian:bookworm-slim
# The platform being built: buildx sets it for each platform of a multi-arch build (amd64, arm64,
# arm); the legacy builder sets nothing, hence the default.
ARG TARGETARCH=amd64

# Node.js 20 from npm's node-linux-* packages (official builds), fetched from the registry as
# plain tarballs: Debian 12's nodejs is 18, Debian's npm pulls ~300 packages (~90 s here), and
# one source for every base keeps the image's Node the same on bookworm and trixie. Each
# platform's package name, as a stage per TARGETARCH (ENV: ARG values do not cross stages).
FROM ${BASE_IMAGE} AS node-amd64
ENV NODE_ARCH=x64
FROM ${BASE_IMAGE} AS node-arm64
ENV NODE_ARCH=arm64
# 32-bit ARMv7 (Raspberry Pi 2 and later on 32-bit Raspberry Pi OS): npm's newest armv7l build
# is 20.11.0, so this platform pins that version (ENV wins over the ARG of the same name
# below).
FROM ${BASE_IMAGE} AS node-arm
ENV NODE_ARCH=armv7l NODE_VERSION=20.11.0

FROM node-${TARGETARCH} AS node
ARG NODE_VERSION=20.20.2
ARG NPM_VERSION=10.8.2
ADD https://registry.npmjs.org/node-linux-${NODE_ARCH}/-/node-linux-${NODE_ARCH}-${NODE_VERSION}.tgz /tmp/node.tgz
ADD https://registry.npmjs.org/npm/-/npm-${NPM_VERSION}.tgz /tmp/npm.tgz
RUN mkdir -p /opt/node /opt/npm \
 && tar -xzf /tmp/node.tgz -C /opt/node --strip-components=1 package/bin/node \
 && tar -xzf /tmp/npm.tgz -C /opt/npm --strip-components=1 \
 && rm /tmp/node.tgz /tmp/npm.tgz \
 && /opt/node/bin/node --version

# Build: dev dependencies (tsc, esbuild) stay in this stage.
FROM node AS build
ENV PATH=/opt/node/bin:/opt/build/node_modules/.bin:$PATH
WORKDIR /opt/build
# Machines whose egress re-signs TLS (this project's CI) pass their CA here, PEM text; the build
# stage alone sees it, the final image does not.
ARG BUILD_CA_CERTS=""
COPY package.json package-lock.json ./
RUN printf '%s\n' "$BUILD_CA_CERTS" > /opt/build-ca.pem \
 && NODE_EXTRA_CA_CERTS=/opt/build-ca.pem node /opt/npm/bin/npm-cli.js ci --no-audit --no-fund --ignore-scripts >/dev/null
COPY tsconfig.json biome.json ./
COPY scripts ./scripts
COPY src ./src
COPY dashboard ./dashboard
COPY bench ./bench
COPY test ./test
COPY rules ./rules
COPY deploy ./deploy
COPY bin ./bin
RUN tsc -p tsconfig.json && node scripts/build-dashboard.mjs && node scripts/build-bundle.mjs

# Runtime: the bundle (no node_modules: yaml is bundled), Node, VictoriaMetrics and vmalert from
# Debian, setpriv (util-linux) for the supervisor, wget for the health check (a second node
# process for each check would cost ~40 MB against the memory limit).
FROM ${BASE_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends victoria-metrics util-linux wget >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && useradd --system --uid 10001 --home-dir /var/lib/edgewatch --shell /usr/sbin/nologin edgewatch \
 && mkdir -p /var/lib/edgewatch && chown edgewatch:edgewatch /var/lib/edgewatch
COPY --from=node /opt/node/bin/node /usr/local/bin/node
WORKDIR /opt/edgewatch
COPY --from=build /opt/build/package.json ./
COPY --from=build /opt/build/bin ./bin
COPY --from=build /opt/build/dist/edgewatch.cjs ./dist/
COPY --from=build /opt/build/dist/dashboard ./dist/dashboard
COPY --from=build /opt/build/rules ./rules
COPY --from=build /opt/build/deploy ./deploy
RUN ln -s /opt/edgewatch/bin/edgewatch /usr/local/bin/edgewatch
USER edgewatch
# Everything written goes to the volume: the root filesystem can be read-only. These ENV are
# `edgewatch render dockerfile` (test/deploy/drift.test.ts).
VOLUME /var/lib/edgewatch
ENV EDGEWATCH_STORAGE_PATH=/var/lib/edgewatch \
    EDGEWATCH_WEB_LISTEN_ADDRESS=0.0.0.0:8000
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1:8000/healthz || exit 1
ENTRYPOINT ["edgewatch"]
CMD ["up"]
