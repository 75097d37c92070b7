/** Starts the HTTP server for `sensor` and `up` from the web.* options. */
import { commonOptions } from '../config/common-options.js';
import type { Config } from '../config/load.js';
import { type AccessCheck, buildApp } from '../http/app.js';
import { assertListenAllowed, authOptions, loadAuth } from '../http/auth.js';
import { hostPolicy } from '../http/host-check.js';
import { webOptions } from '../http/options.js';
import type { Route } from '../http/router.js';
import { closeServer, createHttpServer, listen, parseListenAddress } from '../http/server.js';
import type { ServiceCollector } from '../http/service-collector.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Logger } from '../log/logger.js';

export const webServerOptions = [
  ...Object.values(webOptions),
  ...Object.values(authOptions),
  commonOptions.logLevel,
];

/** The access check from web.auth.* (undefined when no credentials are configured). */
export function loadAccess(config: Config): AccessCheck | undefined {
  return loadAuth({
    tokenFile: config.get(authOptions.tokenFile),
    username: config.get(authOptions.username),
    passwordFile: config.get(authOptions.passwordFile),
  });
}

/** How long in-flight requests may take to finish at shutdown; SIGTERM must end within 2 s. */
const shutdownGraceMs = 1500;

export async function startWebServer(
  lifecycle: Lifecycle,
  config: Config,
  routes: readonly Route[],
  metrics: ServiceCollector,
  log: Logger,
  access?: AccessCheck,
): Promise<string> {
  const address = config.get(webOptions.listenAddress);
  assertListenAllowed(address, access);
  const hosts = hostPolicy(parseListenAddress(address).host, config.get(webOptions.allowedHosts));
  const handler = buildApp({
    routes,
    metrics,
    log,
    access,
    hosts,
    logRequests: config.get(webOptions.logRequests),
  });
  const server = createHttpServer(handler, {
    maxHeaderSize: config.get(webOptions.maxHeaderSize),
    requestTimeoutMs: config.get(webOptions.requestTimeout),
    keepAliveTimeoutMs: config.get(webOptions.keepAliveTimeout),
    maxConnections: config.get(webOptions.maxConnections),
  });
  const bound = await lifecycle.start(
    'http',
    () => listen(server, address),
    () => closeServer(server, shutdownGraceMs),
  );
  const shown =
    bound.family === 'IPv6' ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`;
  log.info('listening', { address: shown });
  return shown;
}
