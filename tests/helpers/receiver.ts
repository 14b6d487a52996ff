/** A local webhook receiver: records every request; answers with the status `respond` picks. */
import http from 'http';
import type { AddressInfo } from 'net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: Record<string, unknown>;
  at: number;
}

/**
 * A status code to answer with, now or after a delay (with headers, e.g. a redirect's Location),
 * or 'hang' to never answer (a receiver that stalls).
 */
type Answer = number | { status: number; delayMs?: number; headers?: Record<string, string> } | 'hang';

export const startReceiver = async (respond: (request: Received, index: number) => Answer = () => 204) => {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const entry = { headers: req.headers, raw, body: JSON.parse(raw || '{}'), at: Date.now() };
      received.push(entry);
      const answer = receiver.respond(entry, received.length - 1);
      if (answer === 'hang') return;
      const { status, delayMs = 0, headers = {} } = typeof answer === 'number' ? { status: answer } : answer;
      setTimeout(() => res.writeHead(status, headers).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver = {
    respond,
    received,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    /** Requests about one document, in arrival order. */
    about: (documentId: string) => received.filter(({ body }) => body.documentId === documentId),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return receiver;
};

/** Polls until `check` returns a value (not undefined/false), or fails after `ms`. */
export const eventually = async <T>(
  check: () => T | Promise<T>,
  ms = 15000,
  what = 'condition',
): Promise<Exclude<T, false | null | undefined>> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false && value !== null) return value as Exclude<T, false | null | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
