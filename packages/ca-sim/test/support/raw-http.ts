// Low-level HTTP clients for the hostile certsrv tests: raw node:net sockets (framing, slow
// clients, bytes fetch would refuse to send) and node:http requests with a chosen local address
// and keep-alive agent.

import { type Agent, type IncomingHttpHeaders, request } from 'node:http';
import { connect, type Socket } from 'node:net';

/** What a raw socket received before it was closed (or the wait ran out). */
export interface RawResult {
  /** Everything received, as Latin-1 text. */
  readonly text: string;
  /** The status of the first response, if any. */
  readonly status: number | undefined;
  /** Whether the server closed the connection (false: the wait ran out first). */
  readonly closed: boolean;
  /** Milliseconds from connect to close (or to the end of the wait). */
  readonly ms: number;
}

function statusOf(text: string): number | undefined {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * Opens a socket to `port`, writes `data` (pieces in order), and resolves when the server
 * closes the connection or after `waitMs`. Write errors (the server closed first) are ignored.
 */
export function rawExchange(
  port: number,
  data: readonly (string | Uint8Array)[],
  options: { waitMs?: number; host?: string } = {},
): Promise<RawResult> {
  const waitMs = options.waitMs ?? 3000;
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ port, host: options.host ?? '127.0.0.1' });
    const received: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(received).toString('latin1');
      resolve({ text, status: statusOf(text), closed, ms: performance.now() - started });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
    socket.on('connect', () => {
      for (const piece of data)
        socket.write(typeof piece === 'string' ? Buffer.from(piece, 'latin1') : piece);
    });
  });
}

/**
 * A client that sends `head` one byte every `intervalMs` (then `trickle`, one byte at a time),
 * and reports when the server closed the connection.
 */
export function slowClient(
  port: number,
  o: { head: string; trickle?: string; intervalMs: number; giveUpMs: number },
): Promise<RawResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket: Socket = connect({ port, host: '127.0.0.1' });
    const received: Buffer[] = [];
    const bytes = Buffer.from(o.trickle === undefined ? o.head : o.head + o.trickle, 'latin1');
    // With a trickled body, the head goes at once and only the body trickles.
    let at = o.trickle === undefined ? 0 : Buffer.byteLength(o.head, 'latin1');
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearInterval(tick);
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(received).toString('latin1');
      resolve({ text, status: statusOf(text), closed, ms: performance.now() - started });
    };
    const tick = setInterval(() => {
      if (at < bytes.length && socket.writable) socket.write(bytes.subarray(at, ++at));
    }, o.intervalMs);
    const timer = setTimeout(() => finish(false), o.giveUpMs);
    socket.on('connect', () => {
      if (at > 0) socket.write(bytes.subarray(0, at));
      else socket.write(bytes.subarray(0, ++at));
    });
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
  });
}

/** A response read whole. */
export interface Reply {
  readonly status: number;
  readonly reason: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
}

/** One request with node:http (any bytes in the body, a chosen local address or agent). */
export function httpRequest(
  url: string,
  o: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Uint8Array;
    agent?: Agent;
    localAddress?: string;
  },
): Promise<Reply> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        method: o.method ?? 'GET',
        path: o.path,
        headers: o.headers,
        ...(o.agent ? { agent: o.agent } : {}),
        ...(o.localAddress ? { localAddress: o.localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            reason: res.statusMessage ?? '',
            headers: res.headers,
            body,
            text: body.toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(o.body);
  });
}
