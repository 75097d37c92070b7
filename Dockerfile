# edgewatch: the whole stack (edgewatch up: sensors, VictoriaMetrics, vmalert, local alerting)
# in one container, so one memory limit is the budget and the supervisor, `edgewatch budget` and
# the component memory metrics work as on a bare box (README, "Containers").
#   docker build -t edgewatch .                                       (public base image)
#   docker build --build-arg BASE_IMAGE=edgewatch-base:bookworm .      (scripts/docker-base.sh)
#   docker buildx build --platform linux/amd64,linux/arm64 .          (multi-arch)
# Debian 12 brings VictoriaMetrics 1.79.5; BASE_IMAGE=debian:trixie-slim brings 1.112.0.
ARG BASE_IMAGE=debian:bookworm-slim

# Node.js 20 from npm's node-linux-* packages (official builds): Debian 12's nodejs is 18, and
# one source for every base keeps the image's Node the same on bookworm and trixie.
FROM ${BASE_IMAGE} AS node
ARG NODE_VERSION=20.20.2
ARG TARGETARCH
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm ca-certificates >/dev/null \
 && case "${TARGETARCH:-$(dpkg --print-architecture)}" in \
      amd64) arch=x64 ;; arm64) arch=arm64 ;; *) echo "no node-linux package for this architecture" >&2; exit 1 ;; \
    esac \
 && mkdir -p /opt/node && cd /opt/node \
 && npm pack --silent "node-linux-${arch}@${NODE_VERSION}" >/dev/null \
 && tar -xzf node-linux-*.tgz && rm node-linux-*.tgz \
 && mv package/bin/node /usr/local/bin/node20 && rm -rf package

# Build: dev dependencies (tsc, esbuild) stay in this stage.
FROM node AS build
ENV PATH=/opt/build/node_modules/.bin:$PATH
WORKDIR /opt/build
COPY package.json package-lock.json ./
RUN ln -sf /usr/local/bin/node20 /usr/local/bin/node && npm ci --no-audit --no-fund --ignore-scripts >/dev/null
COPY tsconfig.json biome.json ./
COPY scripts ./scripts
COPY src ./src
COPY dashboard ./dashboard
COPY bench ./bench
COPY test ./test
COPY rules ./rules
COPY deploy ./deploy
COPY bin ./bin
RUN /usr/local/bin/node20 node_modules/typescript/bin/tsc -p tsconfig.json \
 && /usr/local/bin/node20 scripts/build-dashboard.mjs \
 && /usr/local/bin/node20 scripts/build-bundle.mjs

# Runtime: the bundle (no node_modules: yaml is bundled), Node, VictoriaMetrics and vmalert from
# Debian, setpriv (util-linux) for the supervisor, wget for the health check (a second node
# process for each check would cost ~40 MB against the memory limit).
FROM ${BASE_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends victoria-metrics util-linux wget >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && useradd --system --uid 10001 --home-dir /var/lib/edgewatch --shell /usr/sbin/nologin edgewatch \
 && mkdir -p /var/lib/edgewatch && chown edgewatch:edgewatch /var/lib/edgewatch
COPY --from=node /usr/local/bin/node20 /usr/local/bin/node
WORKDIR /opt/edgewatch
COPY --from=build /opt/build/package.json ./
COPY --from=build /opt/build/bin ./bin
COPY --from=build /opt/build/dist/edgewatch.cjs ./dist/
COPY --from=build /opt/build/dist/dashboard ./dist/dashboard
COPY --from=build /opt/build/rules ./rules
COPY --from=build /opt/build/deploy ./deploy
RUN ln -s /opt/edgewatch/bin/edgewatch /usr/local/bin/edgewatch
USER edgewatch
# Everything written goes to the volume: the root filesystem can be read-only.
VOLUME /var/lib/edgewatch
ENV EDGEWATCH_STORAGE_PATH=/var/lib/edgewatch \
    EDGEWATCH_WEB_LISTEN_ADDRESS=0.0.0.0:8000
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD wget -q -O /dev/null http://127.0.0.1:8000/healthz || exit 1
ENTRYPOINT ["edgewatch"]
CMD ["up"]
