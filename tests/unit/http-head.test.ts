import http, { type IncomingMessage, type ServerResponse } from 'http';
import net, { type AddressInfo } from 'net';
import { headLines, joinLines, writeHeadLines } from '../../src/lib/http-head';

const CSP =
  "frame-src 'self' https:;connect-src 'self' https:;img-src 'self' data: blob:;default-src 'self';base-uri 'self';object-src 'none'";
const BODY = Buffer.from('{"data":{"title":"厂房 — plant"}}');
const HEADERS = [
  'Content-Security-Policy',
  CSP,
  'Vary',
  'Origin, Accept-Encoding, Authorization',
  'Access-Control-Allow-Origin',
  '*',
  'Content-Type',
  'application/json; charset=utf-8',
  'ETag',
  '"abc"',
  'X-Cache',
  'HIT',
  'Content-Length',
  String(BODY.length),
  'X-Powered-By',
  'Strapi <strapi.io>',
];
const HEADERS_304 = HEADERS.filter((_, at, all) => !/^content-(type|length)$/i.test(all[at - (at % 2)]));

describe('header lines made once', () => {
  it('are the lines Node writes, with the Content-Length found', () => {
    const made = headLines(['Vary', 'Origin', 'Content-Length', '12', 'X-Powered-By', 'Strapi <strapi.io>']);
    expect(made).toEqual({
      lines: 'Vary: Origin\r\nContent-Length: 12\r\nX-Powered-By: Strapi <strapi.io>\r\n',
      lengthLine: 'Content-Length: 12\r\n',
      contentLength: '12',
    });
    expect(headLines([])).toEqual({ lines: '', lengthLine: '', contentLength: undefined });
  });

  it('are not made for what Node refuses or must see itself', () => {
    expect(headLines(['X-Bad', 'a\r\nSet-Cookie: x=1'])).toBeUndefined(); // header injection
    expect(headLines(['Bad Name', 'x'])).toBeUndefined();
    expect(headLines(['X-Odd'])).toBeUndefined();
    for (const name of ['Connection', 'Transfer-Encoding', 'Date', 'Keep-Alive', 'Trailer', 'Content-Disposition'])
      expect(headLines([name, 'x'])).toBeUndefined();
    expect(headLines(['Content-Length', '1', 'content-length', '1'])).toBeUndefined();
  });

  it('join in order, with at most one Content-Length', () => {
    const a = headLines(['A', '1']);
    const b = headLines(['Content-Length', '2']);
    expect(joinLines(a, b, a)).toEqual({
      lines: 'A: 1\r\nContent-Length: 2\r\nA: 1\r\n',
      lengthLine: 'Content-Length: 2\r\n',
      contentLength: '2',
    });
    expect(joinLines(b, b)).toBeUndefined();
    expect(joinLines(a, undefined)).toBeUndefined();
  });
});

describe('writing a head from its lines', () => {
  let server: http.Server;
  let port: number;
  // Path: /list/<status> (res.writeHead with the list) or /lines/<status> (writeHeadLines).
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const [, how, code] = (req.url ?? '').split('/');
    const status = Number(code);
    const headers = status === 304 ? HEADERS_304 : HEADERS;
    if (how === 'lines') expect(writeHeadLines(res, status, headLines(headers)!)).toBe(true);
    else res.writeHead(status, headers);
    res.end(status === 304 ? undefined : BODY);
  };

  beforeAll(async () => {
    server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** The bytes a raw client gets for these requests on one connection (Date masked). */
  const exchange = (requests: string[]) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const socket = net.connect(port, '127.0.0.1', () => socket.write(requests.join('')));
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('error', reject);
      // Both cases end their last request with Connection: close, so the server ends the socket.
      socket.on('end', () =>
        resolve(
          Buffer.concat(chunks)
            .toString('latin1')
            .replace(/Date: [^\r]+/g, 'Date: -'),
        ),
      );
    });
  const get = (path: string, extra = '', version = '1.1') => `GET ${path} HTTP/${version}\r\nHost: x\r\n${extra}\r\n`;

  it.each([
    [
      'a 200 and a 304 on a kept-alive connection',
      (how: string) => [get(`/${how}/200`), get(`/${how}/304`), get(`/${how}/200`, 'Connection: close\r\n')],
    ],
    ['an HTTP/1.0 request', (how: string) => [get(`/${how}/200`, '', '1.0')]],
  ])('sends the very bytes res.writeHead does: %s', async (_, requests) => {
    const ordinary = await exchange(requests('list'));
    const made = await exchange(requests('lines'));
    expect(ordinary).toContain(`Content-Security-Policy: ${CSP}\r\n`);
    expect(ordinary).toContain(BODY.toString('latin1'));
    expect(made).toBe(ordinary);
  });

  it('leaves the head unwritten when Node’s does not read as expected', () => {
    const res = new http.ServerResponse({
      method: 'GET',
      httpVersionMajor: 1,
      httpVersionMinor: 1,
      headers: {},
    } as never);
    // A Content-Length Node did not write where the lines expect it: nothing is spliced.
    const head = { ...headLines(['Content-Length', '3'])!, lengthLine: 'Content-Length: 4\r\n' };
    expect(writeHeadLines(res, 200, head)).toBe(false);
    expect(res.headersSent).toBe(false);
    res.writeHead(200, ['Content-Length', '3']); // the ordinary way still works
    expect((res as unknown as { _header: string })._header).toMatch(/^HTTP\/1\.1 200 OK\r\nContent-Length: 3\r\n/);
  });
});
