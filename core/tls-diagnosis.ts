import net from 'node:net';
import tls from 'node:tls';
import type { ConnectionConfig } from './connection.js';

/**
 * Why a gRPC connection failed, in words a person can act on. The SDK reports every TLS problem as
 * "UNAVAILABLE" or a deadline; one direct TLS handshake with the same settings tells them apart:
 * plaintext against TLS (both ways), an unknown CA, a host name the certificate does not name, an
 * expired server certificate, a client certificate missing or refused on a mutual-TLS server.
 */
interface Probe {
  /** The handshake finished and the server answered the HTTP/2 preface (TLS itself is fine). */
  ok?: boolean;
  code?: string;
  error?: Error & { code?: string; reason?: string; cert?: tls.PeerCertificate };
}

const probeTimeoutMs = 3000;
// The HTTP/2 client preface and an empty SETTINGS frame: a TLS 1.3 server that wants a client
// certificate reports it (an alert) only after the client's first flight, so the probe sends one.
const h2Preface = Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]);

function probe(host: string, port: number, options: tls.ConnectionOptions): Promise<Probe> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host, port, ALPNProtocols: ['h2'], ...options });
    const done = (p: Probe) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(p);
    };
    const timer = setTimeout(() => done({ code: 'TIMEOUT' }), probeTimeoutMs);
    socket.once('secureConnect', () => socket.write(h2Preface));
    socket.once('data', () => done({ ok: true }));
    socket.once('error', (error: Probe['error'] & object) => done({ code: error.code, error }));
    socket.once('close', () => done({ code: 'CLOSED' }));
  });
}

const unknownIssuer = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT']);
const notTls = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ECONNRESET', 'CLOSED']);
const networkErrors = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ETIMEDOUT']);
const refusedClientCert = /ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|DECRYPT_ERROR|ACCESS_DENIED)/;

/** A one-line cause for a failed connection, or undefined when TLS is not what failed. */
export async function diagnoseTls(c: ConnectionConfig & { address: string }): Promise<string | undefined> {
  const files = c.tlsFiles ?? {};
  const split = c.address.lastIndexOf(':');
  const host = c.address.slice(0, split).replace(/^\[|\]$/g, '');
  const port = Number(c.address.slice(split + 1));
  const servername = c.tls?.serverNameOverride ?? (net.isIP(host) ? undefined : host);
  if (!c.tls) {
    const p = await probe(host, port, { rejectUnauthorized: false, servername });
    if (!p.ok && !/ALERT_CERTIFICATE_REQUIRED/.test(p.code ?? '')) return undefined;
    const mutual = p.ok ? '' : ' and requires a client certificate (mutual TLS)';
    return `the server at ${c.address} speaks TLS${mutual} and this client does not: pass --tls-ca FILE${mutual ? ' --tls-cert FILE --tls-key FILE' : ' (or --tls for a publicly signed server)'}${c.tlsOff ? ", or leave out --no-tls to use the local stack's certificates" : ''}`;
  }
  const p = await probe(host, port, {
    ca: c.tls.serverRootCACertificate,
    cert: c.tls.clientCertPair?.crt,
    key: c.tls.clientCertPair?.key,
    servername,
  });
  const code = p.code ?? '';
  if (p.ok || code === 'TIMEOUT' || networkErrors.has(code)) return undefined;
  const ca = files.ca ? `--tls-ca ${files.ca}` : c.tls.serverRootCACertificate ? 'the given CA' : "this host's trusted roots";
  if (notTls.has(code)) return `the server at ${c.address} does not speak TLS (the handshake got ${code === 'CLOSED' ? 'a closed connection' : code}): drop the TLS options, or check the port`;
  if (unknownIssuer.has(code)) return `the server's certificate at ${c.address} is not signed by ${ca} (${code})`;
  if (code === 'CERT_HAS_EXPIRED') return `the server's certificate at ${c.address} has expired (${code}); renew it on the server`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = p.error?.cert?.subjectaltname ?? '';
    const first = /DNS:([^,\s]+)/.exec(names)?.[1];
    return `the server's certificate at ${c.address} is not for ${servername ?? host} (it names ${names || 'other hosts'})${first ? `: pass --tls-server-name ${first}` : ''}`;
  }
  if (/ALERT_CERTIFICATE_REQUIRED/.test(code) || (!c.tls.clientCertPair && /ALERT_HANDSHAKE_FAILURE/.test(code))) {
    return `the server at ${c.address} requires a client certificate (mutual TLS): pass --tls-cert FILE --tls-key FILE`;
  }
  if (c.tls.clientCertPair && refusedClientCert.test(code)) {
    return `the server at ${c.address} refused the client certificate${files.cert ? ` --tls-cert ${files.cert}` : ''} (${code
      .replace(/^.*ALERT_/, '')
      .replace(/_/g, ' ')
      .toLowerCase()}): it is not signed by a CA the server trusts`;
  }
  return `TLS handshake with ${c.address} failed: ${code || p.error?.message}`;
}
