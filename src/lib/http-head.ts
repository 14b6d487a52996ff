/**
 * Response heads made once and written many times (the response cache's hits). Node's
 * res.writeHead(status, headers) checks every name and value and joins them into the head on every
 * call: for a hit's 17 headers (a long Content-Security-Policy among them) that was the larger part
 * of what a hit cost beyond a bare Node server answering the same bytes. Here the lines are checked
 * and joined once, as Node would; per answer Node still writes the status line and what belongs to
 * the connection (Date, Connection, Keep-Alive), the very bytes writeHead would have sent.
 */
import type { ServerResponse } from 'http';

/** Header lines made once: `Name: value\r\n` each, in order, and the Content-Length among them. */
export interface HeadLines {
  lines: string;
  /** The `Content-Length: n\r\n` line the lines hold ('' when none): Node is told it to frame the body. */
  lengthLine: string;
  contentLength?: string;
}

// Node's own checks (checkIsHttpToken, checkInvalidHeaderChar in node:_http_common).
const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
// Headers Node acts on (framing, connection, the Date it adds, latin1 re-encoding): it must see
// them itself, so lines holding one are not made (Content-Length aside: it is handed to Node).
const NODE_READS = /^(connection|transfer-encoding|date|expect|trailer|keep-alive|content-disposition)$/i;

/**
 * The lines of a flat header list (name, value, name, value…) as Node writes them; undefined when
 * Node would refuse one, when Node must see one itself, or for a second Content-Length.
 */
export const headLines = (flat: readonly string[]): HeadLines | undefined => {
  if (flat.length % 2 !== 0) return undefined;
  let lines = '';
  let lengthLine = '';
  let contentLength: string | undefined;
  for (let at = 0; at < flat.length; at += 2) {
    const name = flat[at];
    const value = flat[at + 1];
    if (typeof name !== 'string' || typeof value !== 'string') return undefined;
    if (!TOKEN.test(name) || INVALID_VALUE.test(value) || NODE_READS.test(name)) return undefined;
    const line = `${name}: ${value}\r\n`;
    if (name.toLowerCase() === 'content-length') {
      if (contentLength !== undefined) return undefined;
      contentLength = value;
      lengthLine = line;
    }
    lines += line;
  }
  return { lines, lengthLine, contentLength };
};

/** Heads' lines one after the other; undefined when one is, or when more than one has a Content-Length. */
export const joinLines = (...heads: (HeadLines | undefined)[]): HeadLines | undefined => {
  let lines = '';
  let length: HeadLines | undefined;
  for (const head of heads) {
    if (!head) return undefined;
    if (head.contentLength !== undefined) {
      if (length) return undefined;
      length = head;
    }
    lines += head.lines;
  }
  return { lines, lengthLine: length?.lengthLine ?? '', contentLength: length?.contentLength };
};

type Raw = ServerResponse & { _header?: unknown };

/**
 * res.writeHead(status, headers) with `head` = headLines(headers): the same bytes. Node writes the
 * head with only the Content-Length (so it frames the body and decides about the connection as for
 * the whole list: no other header it acts on is among the lines), and the prebuilt lines then take
 * that line's place, before Node's Date, Connection and Keep-Alive. The head is sent with the
 * body (res.end). False when Node's head does not read as expected (another Node version): then
 * nothing is written, and the caller writes the head the ordinary way.
 */
export const writeHeadLines = (res: ServerResponse, status: number, head: HeadLines): boolean => {
  res.writeHead(status, head.contentLength === undefined ? undefined : ['Content-Length', head.contentLength]);
  const raw = res as Raw;
  const written = raw._header;
  if (typeof written === 'string' && written.startsWith('HTTP/1.1 ')) {
    const line = written.indexOf('\r\n') + 2;
    if (line > 1 && written.startsWith(head.lengthLine, line)) {
      raw._header = written.slice(0, line) + head.lines + written.slice(line + head.lengthLine.length);
      return true;
    }
  }
  raw._header = null;
  return false;
};
