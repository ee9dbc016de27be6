import dgram from 'node:dgram';
import net from 'node:net';

export interface TestDnsServer {
  /** `host:port`, the form BENCH_DNS_SERVERS takes. */
  address: string;
  /** Sets the A records of a name (an empty list: the name exists, with no address). */
  set(name: string, addresses: string[]): void;
  /** A queries answered so far, per name. */
  queries: Map<string, number>;
  close(): Promise<void>;
}

const A = 1;
const IN = 1;

/**
 * A tiny authoritative DNS server on a loopback UDP port (RFC 1035 wire format): answers A queries for
 * the names it holds with their current addresses (TTL 0, so resolvers never cache them), NODATA for
 * any other type of a name it holds (AAAA), NXDOMAIN for every other name.
 */
export async function startDnsServer(host = '127.0.0.1'): Promise<TestDnsServer> {
  const names = new Map<string, string[]>();
  const queries = new Map<string, number>();
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, peer) => {
    if (msg.length < 12 || msg.readUInt16BE(4) !== 1) return;
    // QNAME: length-prefixed labels up to a zero byte (queries carry no compression pointers).
    const labels: string[] = [];
    let at = 12;
    while (at < msg.length && msg[at] !== 0) {
      const len = msg[at]!;
      if (len > 63 || at + 1 + len > msg.length) return;
      labels.push(msg.toString('latin1', at + 1, at + 1 + len));
      at += 1 + len;
    }
    if (at + 5 > msg.length) return;
    const qtype = msg.readUInt16BE(at + 1);
    const qclass = msg.readUInt16BE(at + 3);
    const question = msg.subarray(12, at + 5);
    const name = labels.join('.').toLowerCase();
    const addresses = names.get(name);
    const answers = addresses && qtype === A && qclass === IN ? addresses : [];
    if (qtype === A) queries.set(name, (queries.get(name) ?? 0) + 1);

    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0);
    // QR, the query's opcode and RD, AA, RA; RCODE 3 (NXDOMAIN) for a name we do not hold.
    header.writeUInt16BE(0x8000 | (msg.readUInt16BE(2) & 0x7900) | 0x0400 | 0x0080 | (addresses ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const records = answers.map((ip) => {
      const rr = Buffer.alloc(16);
      rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      rr.writeUInt16BE(A, 2);
      rr.writeUInt16BE(IN, 4);
      rr.writeUInt32BE(0, 6); // TTL
      rr.writeUInt16BE(4, 10);
      ip.split('.').forEach((octet, i) => rr.writeUInt8(Number(octet), 12 + i));
      return rr;
    });
    socket.send(Buffer.concat([header, question, ...records]), peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => socket.once('error', reject).bind(0, host, () => resolve()));
  return {
    address: `${host}:${socket.address().port}`,
    set(name, addresses) {
      for (const ip of addresses) if (!net.isIPv4(ip)) throw new Error(`not an IPv4 address: ${ip}`);
      names.set(name.toLowerCase().replace(/\.$/, ''), [...addresses]);
    },
    queries,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
