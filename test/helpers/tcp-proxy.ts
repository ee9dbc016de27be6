import net from 'node:net';

export interface TcpProxy {
  /** host:port to give clients instead of the target. */
  address: string;
  /** Like a server going away: open connections are cut and new ones refused (nothing listens). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/** A TCP forwarder in front of `target` (host:port) that a test can take down and bring back. */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.once('close', () => sockets.delete(s));
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  const listen = (p: number) => new Promise<void>((resolve, reject) => server.once('error', reject).listen(p, '127.0.0.1', () => (server.off('error', reject), resolve())));
  await listen(0);
  const ownPort = (server.address() as net.AddressInfo).port;
  const down = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  return {
    address: `127.0.0.1:${ownPort}`,
    down,
    up: () => listen(ownPort),
    close: () => (server.listening ? down() : Promise.resolve()),
  };
}
