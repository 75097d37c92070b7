/**
 * The files remote_write endpoints name (tokens, passwords, certificates) must be readable when
 * the stack starts: vmagent would otherwise start and fail every send, one log line per retry.
 */
import { accessSync, constants } from 'node:fs';
import { EdgewatchError, ErrorCode } from '../errors.js';
import type { RemoteWriteEndpoint } from './remote-write-config.js';

export function checkEndpointFiles(endpoints: readonly RemoteWriteEndpoint[]): void {
  endpoints.forEach((e, i) => {
    const files: Array<[string, string | undefined]> = [
      ['bearer_token_file', e.bearerTokenFile],
      ['basic_auth.password_file', e.basicAuth?.passwordFile],
      ['tls.ca_file', e.tls?.caFile],
      ['tls.cert_file', e.tls?.certFile],
      ['tls.key_file', e.tls?.keyFile],
    ];
    for (const [key, file] of files) {
      if (file === undefined) continue;
      try {
        accessSync(file, constants.R_OK);
      } catch {
        throw new EdgewatchError(ErrorCode.CONFIG_INVALID, `remote_write[${i}].${key}: cannot read ${file}`);
      }
    }
  });
}
