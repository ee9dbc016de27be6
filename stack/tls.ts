import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';

export type TlsMode = 'server' | 'mtls';

/** What `bench stack up --tls` asks for. */
export interface StackTlsOptions {
  mode: TlsMode;
  /** Also encrypt (and authenticate) history/matching/frontend traffic between the server's own services. */
  internode: boolean;
}

/** The throwaway PKI of one stack, all PEM files under `<stack>/tls/`. */
export interface StackCertificates {
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
}

/** The name clients verify: every address a local or compose client uses is in the certificate. */
export const stackServerName = 'localhost';
// localhost and 127.0.0.1 for a local stack; the docker-compose services and addresses for its tls profile.
const serverNames = ['DNS:localhost', 'DNS:temporal', 'DNS:temporal-tls', 'IP:127.0.0.1', 'IP:172.28.0.10', 'IP:172.28.0.11'];
const validDays = 30;
const renewWithinMs = 24 * 3600_000;

export function certificateFiles(dir: string): StackCertificates {
  const tls = path.join(dir, 'tls');
  return {
    caFile: path.join(tls, 'ca.pem'),
    serverCertFile: path.join(tls, 'server.pem'),
    serverKeyFile: path.join(tls, 'server.key'),
    clientCertFile: path.join(tls, 'client.pem'),
    clientKeyFile: path.join(tls, 'client.key'),
  };
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new UsageError("--tls needs openssl to generate the stack's certificates: apt-get install openssl");
    throw new Error(`openssl ${args[0]} failed: ${e.stderr?.toString().trim().split('\n')[0] ?? e.message}`);
  }
}

/** An EC P-256 key and a certificate signed by the stack's CA (or self-signed for the CA). */
function issue(dir: string, name: string, subject: string, extensions: string[], ca?: { cert: string; key: string }, days = validDays): void {
  const ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(ext, `${extensions.join('\n')}\n`);
  const key = `${name}.key`;
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key], dir);
  if (!ca) {
    openssl(['req', '-x509', '-new', '-key', key, '-subj', subject, '-days', String(days), '-out', `${name}.pem`, '-extensions', 'v3', '-config', writeReqConfig(dir, ext)], dir);
  } else {
    openssl(['req', '-new', '-key', key, '-subj', subject, '-out', `${name}.csr`], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', String(days), '-extfile', ext, '-out', `${name}.pem`], dir);
    fs.rmSync(path.join(dir, `${name}.csr`));
  }
  fs.rmSync(ext);
  fs.chmodSync(path.join(dir, key), 0o600);
}

function writeReqConfig(dir: string, extFile: string): string {
  const file = path.join(dir, 'req.cnf');
  fs.writeFileSync(file, `[req]\ndistinguished_name = dn\n[dn]\n[v3]\n${fs.readFileSync(extFile, 'utf8')}`);
  return file;
}

/** A client certificate signed by the stack's CA: for tests and for a second client identity. */
export function issueClientCertificate(stackDir: string, name: string, days = validDays): { certFile: string; keyFile: string } {
  const files = certificateFiles(stackDir);
  const dir = path.dirname(files.caFile);
  issue(dir, name, `/O=temporal-bench/CN=${name}`, ['basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature', 'extendedKeyUsage = clientAuth'], { cert: 'ca.pem', key: 'ca.key' }, days);
  return { certFile: path.join(dir, `${name}.pem`), keyFile: path.join(dir, `${name}.key`) };
}

function stillValid(file: string): boolean {
  try {
    return Date.parse(new X509Certificate(fs.readFileSync(file)).validTo) - Date.now() > renewWithinMs;
  } catch {
    return false;
  }
}

/**
 * The stack's CA, server and client certificates: kept while they are valid for another day (so a
 * client that saved the CA keeps working across `stack up`), generated afresh otherwise. The server
 * certificate also authenticates as a client, for internode TLS and the system worker.
 */
export function ensureStackCertificates(stackDir: string): StackCertificates {
  const files = certificateFiles(stackDir);
  if (Object.values(files).every((f) => fs.existsSync(f)) && [files.caFile, files.serverCertFile, files.clientCertFile].every(stillValid)) return files;
  const dir = path.dirname(files.caFile);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  issue(dir, 'ca', '/O=temporal-bench/CN=temporal-bench stack CA', ['basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash']);
  fs.rmSync(path.join(dir, 'req.cnf'));
  const ca = { cert: 'ca.pem', key: 'ca.key' };
  issue(
    dir,
    'server',
    '/O=temporal-bench/CN=temporal-frontend',
    ['basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature', 'extendedKeyUsage = serverAuth, clientAuth', `subjectAltName = ${serverNames.join(', ')}`],
    ca,
  );
  issue(dir, 'client', '/O=temporal-bench/CN=bench-client', ['basicConstraints = critical, CA:FALSE', 'keyUsage = critical, digitalSignature', 'extendedKeyUsage = clientAuth'], ca);
  return files;
}
