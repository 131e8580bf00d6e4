// Runs certsrv on HTTP and, given a key and certificate, HTTPS: listener timeouts that keep slow
// clients from holding connections (slowloris), scheduled CRL publication, and a graceful close
// that lets requests in flight finish.

import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { decodePem } from '@certlab/pki';
import { createCrlSchedule } from '../crl-schedule.js';
import { CaError } from '../errors.js';
import { resolveSignInOptions } from './app.js';
import { tlsServerEndPoint } from './extended-protection.js';
import { createCertsrvHandler } from './handler.js';
import type { CertsrvOptions } from './options.js';

/**
 * Listener options of {@link startCertsrv}.
 *
 * @example
 * ```ts
 * const listen: CertsrvListenOptions = { ca, users, port: 8080, https: { port: 8443, key, cert } };
 * ```
 */
export interface CertsrvListenOptions extends CertsrvOptions {
  /** Interface to listen on (default `127.0.0.1`). */
  readonly host?: string;
  /** HTTP port (default 0: any free port). */
  readonly port?: number;
  /** HTTPS listener: PEM private key and certificate chain (leaf first). */
  readonly https?: { readonly port?: number; readonly key: string; readonly cert: string };
  /** Publish base and delta CRLs when due, checked every minute (default true). */
  readonly crlSchedule?: boolean;
  /** Listener timeouts in milliseconds. */
  readonly timeouts?: {
    /** Time to receive the whole request head (default 20,000). */
    readonly headersMs?: number;
    /** Time to receive the whole request (default 60,000). */
    readonly requestMs?: number;
    /** Idle keep-alive connection lifetime (default 120,000, IIS connectionTimeout). */
    readonly keepAliveMs?: number;
    /** How often the timeouts above are checked (default 1,000). */
    readonly checkIntervalMs?: number;
  };
  /** How long {@link CertsrvServer.close} waits for requests in flight (default 5,000 ms). */
  readonly shutdownGraceMs?: number;
}

/**
 * A running certsrv.
 *
 * @example
 * ```ts
 * const server = await startCertsrv({ ca, users });
 * console.log(`${server.url}/certsrv/`);
 * await server.close();
 * ```
 */
export interface CertsrvServer {
  /** `http://host:port` (no trailing slash). */
  readonly url: string;
  /** `https://host:port` when HTTPS is on. */
  readonly httpsUrl: string | undefined;
  readonly httpServer: Server;
  readonly httpsServer: Server | undefined;
  /** Stops accepting connections, lets requests in flight finish (up to the grace period), closes. */
  close(): Promise<void>;
}

function urlOf(scheme: 'http' | 'https', host: string, server: Server): string {
  const { port } = server.address() as AddressInfo;
  const h = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${h}:${port}`;
}

const UNPARSED: Record<string, readonly [number, string, string, string]> = {
  // [status, reason phrase, page title, page text], worded after HTTP.sys's pages.
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'Bad Request - Request Too Long',
    'HTTP Error 431. The size of the request headers is too long.',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'Request Timeout',
    'Request Timeout',
    'HTTP Error 408. The request timed out.',
  ],
};
const BAD_REQUEST = [
  400,
  'Bad Request',
  'Bad Request',
  'HTTP Error 400. The request is badly formed.',
] as const;

/** node's current answer on a connection (the property its own clientError handling reads). */
function currentAnswer(socket: Duplex): ServerResponse | undefined {
  return (socket as { _httpMessage?: ServerResponse })._httpMessage;
}

/**
 * Answers a request node's parser refused (clientError) and logs it, unless the refused bytes
 * follow a request received whole, whose own answer goes out instead; never throws.
 */
function refuseUnparsed(err: NodeJS.ErrnoException, socket: Duplex, options: CertsrvListenOptions): void {
  const code = err.code ?? 'ERR_UNKNOWN';
  // A reset or an already closed socket has nobody to answer.
  if (code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const current = currentAnswer(socket);
  // Bytes after a request received whole (more data after `Connection: close`, which node
  // refuses as HPE_CLOSED_CONNECTION, or a broken request pipelined behind it) are not that
  // request's error. Answering 400 here, before its own answer, told the client a certfnsh.asp
  // submission had failed while the CA went on to issue it: a record that no answer and no log
  // line reported (certsrv-auth-fuzz.test.ts). Its answer goes out, then the connection closes
  // without reading on (RFC 9112 §9.6).
  if (current && !current.writableFinished && current.req?.complete) {
    if (!current.headersSent) current.shouldKeepAlive = false;
    else current.once('finish', () => socket.end());
    return;
  }
  // An answer already under way (a timeout while it is being sent) must not be followed by a
  // second one on the same bytes.
  if (current?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, reason, title, text] = UNPARSED[code] ?? BAD_REQUEST;
  const body = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">\r\n<HTML><HEAD><TITLE>${title}</TITLE>\r\n<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii"></HEAD>\r\n<BODY><h2>${title}</h2>\r\n<hr><p>${text}</p>\r\n</BODY></HTML>\r\n`;
  const now = options.now?.() ?? new Date();
  const bytes = Buffer.byteLength(body);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/html; charset=us-ascii\r\nServer: Microsoft-HTTPAPI/2.0\r\nDate: ${now.toUTCString()}\r\nConnection: close\r\nContent-Length: ${bytes}\r\n\r\n${body}`,
  );
  try {
    options.log?.({
      time: now.toISOString(),
      // Nothing of the request line is known for sure: '-' as in IIS logs.
      method: '-',
      path: '-',
      status,
      ms: 0,
      bytes,
      remote: (socket as { remoteAddress?: string }).remoteAddress ?? '',
      event: `unparsed:${code}`,
    });
  } catch {
    // A throwing log callback must not take the listener down.
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts certsrv. The CA is not closed by {@link CertsrvServer.close}: its owner closes it. A CA
 * whose keys are encrypted must have been opened with its key passphrase (ERR_CA_KEY_LOCKED).
 *
 * @example
 * ```ts
 * import { createTestCA, startCertsrv, UserDirectory } from '@certlab/ca-sim';
 * const { authority: ca } = await createTestCA();
 * const users = new UserDirectory('CONTOSO');
 * await users.add('alice', 'P@ssw0rd!');
 * const server = await startCertsrv({ ca, users });
 * const page = await fetch(`${server.url}/certsrv/`, {
 *   headers: { authorization: `Basic ${btoa('alice:P@ssw0rd!')}` },
 * });
 * await server.close();
 * ```
 */
export async function startCertsrv(options: CertsrvListenOptions): Promise<CertsrvServer> {
  // Every option the handler would refuse is refused before a port is taken.
  const signIn = resolveSignInOptions(options);
  if (options.https && signIn.extendedProtection !== 'none') assertBindable(options.https.cert);
  if (signIn.requireSsl && !options.https)
    throw new CaError(
      'ERR_CA_OPTIONS_INVALID',
      'requireSsl leaves /certsrv to HTTPS: give the https listener (key and cert) too.',
    );
  // A CA opened without its key passphrase would answer every submission with an error page.
  if (options.ca.keyProtection === 'locked')
    throw new CaError(
      'ERR_CA_KEY_LOCKED',
      "The CA's private keys are encrypted and certsrv signs: open the CA with its key passphrase (createAuthority's keyPassphrase) before starting the site.",
    );
  const host = options.host ?? '127.0.0.1';
  const t = options.timeouts ?? {};
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  let shuttingDown = false;
  const dispatch = (req: IncomingMessage, res: ServerResponse) => {
    // During shutdown every answer closes its connection, so keep-alive clients let go.
    if (shuttingDown) res.shouldKeepAlive = false;
    handler!(req, res);
  };
  // Open connections (per connection, not per request: nothing on the hot path), so that close()
  // can reach the answer each one is writing.
  const sockets = new Set<Duplex>();
  const track = (socket: Duplex) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const serverOptions = {
    headersTimeout: t.headersMs ?? 20_000,
    requestTimeout: t.requestMs ?? 60_000,
    keepAliveTimeout: t.keepAliveMs ?? 120_000,
    connectionsCheckingInterval: t.checkIntervalMs ?? 1_000,
    // IIS's default header limit (MaxRequestBytes 16 KB); node answers 431 beyond it.
    maxHeaderSize: 16_384,
  };
  const httpServer = createHttpServer(serverOptions, dispatch);
  const httpsServer = options.https
    ? createHttpsServer({ ...serverOptions, key: options.https.key, cert: options.https.cert }, dispatch)
    : undefined;
  const servers = [httpServer, ...(httpsServer ? [httpsServer] : [])];
  // The timeouts are applied by createServer from the options. Malformed heads, heads over
  // maxHeaderSize and slow clients never reach the handler: node's parser refuses them. They are
  // answered here in the style of HTTP.sys in front of IIS (its page layout and Server header;
  // HTTP.sys itself says 400 to an oversized head, we keep the more precise 431), with
  // Connection: close, and logged like any other request.
  for (const s of servers) {
    s.on('clientError', (err, socket) => refuseUnparsed(err, socket, options));
    // 'secureConnection' for HTTPS: its 'connection' socket is the raw TCP one, not the TLS one.
    s.on(s === httpServer ? 'connection' : 'secureConnection', track);
  }
  await listen(httpServer, options.port ?? 0, host);
  try {
    if (httpsServer) await listen(httpsServer, options.https?.port ?? 0, host);
  } catch (e) {
    httpServer.close();
    throw e;
  }
  const url = urlOf('http', host, httpServer);
  const httpsUrl = httpsServer ? urlOf('https', host, httpsServer) : undefined;
  handler = createCertsrvHandler({
    ...options,
    ...((options.httpsUrl ?? httpsUrl) ? { httpsUrl: options.httpsUrl ?? httpsUrl } : {}),
  });
  const schedule = options.crlSchedule === false ? undefined : createCrlSchedule(options.ca);
  if (schedule) {
    await schedule.tick().catch(() => undefined);
    schedule.start(60_000);
  }
  let closing: Promise<void> | undefined;
  return {
    url,
    httpsUrl,
    httpServer,
    httpsServer,
    close() {
      closing ??= (async () => {
        schedule?.stop();
        shuttingDown = true;
        // An answer whose head is not written yet says Connection: close; one already on its way
        // keep-alive has its connection closed by the sweep below once it is sent.
        for (const socket of sockets) {
          const res = currentAnswer(socket);
          if (res && !res.headersSent) res.shouldKeepAlive = false;
        }
        const grace = options.shutdownGraceMs ?? 5_000;
        const done = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
        const sweep = () => {
          for (const s of servers) s.closeIdleConnections();
        };
        sweep();
        // A connection whose answer went out keep-alive before close() turns idle when it is
        // sent, and is closed here within 50 ms rather than at the end of the grace period.
        const sweeper = setInterval(sweep, 50);
        sweeper.unref();
        const timer = setTimeout(() => {
          for (const s of servers) s.closeAllConnections();
        }, grace);
        timer.unref();
        await Promise.all(done);
        clearInterval(sweeper);
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}

/**
 * Extended Protection over HTTPS needs a certificate clients can bind to (RFC 5929 §4.1): one
 * whose signature names a hash. Checked before listening, so that a site that would refuse every
 * NTLM sign-in over HTTPS does not start.
 */
function assertBindable(certPem: string): void {
  let bindable = false;
  try {
    const first = decodePem(certPem)[0];
    bindable = first !== undefined && tlsServerEndPoint(first.bytes) !== undefined;
  } catch {
    bindable = false;
  }
  if (!bindable)
    throw new CaError(
      'ERR_CA_OPTIONS_INVALID',
      "Extended Protection cannot bind NTLM sign-ins to this HTTPS certificate: its signature names no hash for RFC 5929's tls-server-end-point (Ed25519, Ed448, or not a certificate certlab reads). Use an RSA or ECDSA certificate, or extendedProtection 'none'.",
    );
}
