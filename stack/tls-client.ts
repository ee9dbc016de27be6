import fs from 'node:fs';
import type { StackTlsState } from './state.js';

/** The SDK's TLS settings of a client of a TLS stack: its CA, its client pair, its server name. */
export function stackClientTls(tls: StackTlsState): { serverRootCACertificate: Buffer; clientCertPair: { crt: Buffer; key: Buffer }; serverNameOverride: string } {
  return {
    serverRootCACertificate: fs.readFileSync(tls.caFile),
    clientCertPair: { crt: fs.readFileSync(tls.certFile), key: fs.readFileSync(tls.keyFile) },
    serverNameOverride: tls.serverName,
  };
}
