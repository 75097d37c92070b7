/** Starts the HTTP server for `sensor` and `up` from the web.* options. */
import { commonOptions } from '../config/common-options.js';
import type { Config } from '../config/load.js';
import { EdgewatchError, ErrorCode } from '../errors.js';
import { type AccessCheck, buildApp } from '../http/app.js';
import { webOptions } from '../http/options.js';
import type { Route } from '../http/router.js';
import { closeServer, createHttpServer, isLoopbackHost, listen, parseListenAddress } from '../http/server.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Logger } from '../log/logger.js';
import type { ServiceCollector } from '../metrics/collectors/service-collector.js';

export const webServerOptions = [...Object.values(webOptions), commonOptions.logLevel];

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
  const { host } = parseListenAddress(address);
  if (!isLoopbackHost(host) && !access) {
    throw new EdgewatchError(
      ErrorCode.INSECURE_LISTEN,
      `refusing to listen on ${address} without credentials: set web.auth.token-file or web.auth.username and web.auth.password-file, or listen on 127.0.0.1`,
    );
  }
  const handler = buildApp({ routes, metrics, log, access, logRequests: config.get(webOptions.logRequests) });
  const server = createHttpServer(handler, {
    maxHeaderSize: config.get(webOptions.maxHeaderSize),
    requestTimeoutMs: config.get(webOptions.requestTimeout),
    keepAliveTimeoutMs: config.get(webOptions.keepAliveTimeout),
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
