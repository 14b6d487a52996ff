/**
 * A TCP proxy on 127.0.0.1 in front of a local service (PostgreSQL, Redis), for fault tests:
 * `refuse()` drops every connection and refuses new ones (the service is down), `stall()` keeps
 * connections open but forwards nothing (the service hangs), `restore()` goes back to forwarding.
 */
import net from 'net';

export interface TcpProxy {
  readonly port: number;
  refuse(): Promise<void>;
  stall(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export const startTcpProxy = async (targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> => {
  let mode: 'forward' | 'stall' | 'refuse' = 'forward';
  const pairs = new Set<[net.Socket, net.Socket]>();
  // Bytes that arrived while stalled, sent on restore (held back, not lost).
  const held: (() => void)[] = [];

  const pipe = (client: net.Socket) => {
    const upstream = net.connect(targetPort, targetHost);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    const relay = (to: net.Socket) => (chunk: Buffer) =>
      mode === 'forward' ? to.write(chunk) : held.push(() => to.writable && to.write(chunk));
    client.on('data', relay(upstream));
    upstream.on('data', relay(client));
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  };

  const onConnection = (socket: net.Socket) => {
    if (mode === 'refuse') socket.destroy();
    else pipe(socket);
  };
  let server = net.createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer(onConnection);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const shut = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));

  return {
    port,
    async refuse() {
      mode = 'refuse';
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      await shut(); // connection refused, as with a stopped server
    },
    stall() {
      mode = 'stall';
    },
    async restore() {
      const wasRefusing = mode === 'refuse';
      mode = 'forward';
      held.splice(0).forEach((send) => send());
      if (wasRefusing) await listen();
    },
    async close() {
      mode = 'refuse';
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await shut();
    },
  };
};
