import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { UsageError } from './errors.js';

/**
 * Reads and checks the TLS files a user named before any connection is tried, so a wrong file is
 * named as such (an expired certificate, a key of another certificate, a CA that is not PEM) rather
 * than surfacing as a handshake failure of the gRPC channel.
 */
export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
}

function read(flag: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch {
    throw new UsageError(`--${flag} ${file}: file not found or not readable`);
  }
}

function certificate(flag: string, file: string, pem: Buffer, now: number): X509Certificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new UsageError(`--${flag} ${file}: not a PEM certificate (expected -----BEGIN CERTIFICATE-----)`);
  }
  if (Date.parse(cert.validTo) <= now) throw new UsageError(`--${flag} ${file}: the certificate (${cert.subject.replace(/\n/g, ', ')}) expired on ${new Date(cert.validTo).toISOString()}`);
  if (Date.parse(cert.validFrom) > now) throw new UsageError(`--${flag} ${file}: the certificate is not valid before ${new Date(cert.validFrom).toISOString()} (check this host's clock)`);
  return cert;
}

function privateKey(file: string, pem: Buffer): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new UsageError(`--tls-key ${file}: not a PEM private key, or an encrypted one (give an unencrypted PKCS#8, PKCS#1 or SEC1 key)`);
  }
}

export interface CheckedTls {
  ca?: Buffer;
  pair?: { crt: Buffer; key: Buffer };
}

export function readTlsFiles(files: TlsFiles, now = Date.now()): CheckedTls {
  const out: CheckedTls = {};
  if (files.ca) {
    out.ca = read('tls-ca', files.ca);
    certificate('tls-ca', files.ca, out.ca, now);
  }
  if (files.cert && files.key) {
    const crt = read('tls-cert', files.cert);
    const key = read('tls-key', files.key);
    const cert = certificate('tls-cert', files.cert, crt, now);
    if (!cert.checkPrivateKey(privateKey(files.key, key))) throw new UsageError(`--tls-key ${files.key} does not match --tls-cert ${files.cert}: the key belongs to another certificate`);
    out.pair = { crt, key };
  }
  return out;
}
