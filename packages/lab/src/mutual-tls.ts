// The lab's final check: a real mutual-TLS handshake on loopback (node:tls) between the Lync
// front end (client: Lync opens SIP over TLS to the UM server on 5061) and the Exchange UM
// server. Each side presents its certificate with its key and judges the peer's chain against
// its OWN machine's stores with the store-sim chain engine, never node's CA list: node is told
// `rejectUnauthorized: false` and the raw DER of getPeerCertificate(true) goes to
// verifyPeerChain. SChannel judges during the handshake; node cannot wait for an async verdict
// there, so each side judges right after the Finished messages and closes the connection before
// any SIP is exchanged if it refuses the peer — what the other side observes is the same: the
// connection drops before the first SIP response. A SIP OPTIONS / 200 OK exchange proves the
// channel once both sides accepted.

import { createServer as createNetServer } from 'node:net';
import { connect, createServer, type PeerCertificate, type TLSSocket } from 'node:tls';
import { type Certificate, encodePem, type PrivateKey } from '@certlab/pki';
import type { CrlCache } from './crl-cache.js';
import { deFr } from './internal/french-de.js';
import type { LabHost } from './lab-host.js';
import type { LabNetwork } from './lab-network.js';
import { type Localized, l10n } from './localized.js';
import { type PeerVerdict, verifyPeerChain } from './peer-verify.js';

/**
 * One side of the handshake.
 *
 * @example
 * ```ts
 * const side: TlsSide = { host: lync01, chain: [lyncCert, issuingCa], key: lyncKey };
 * ```
 */
export interface TlsSide {
  readonly host: LabHost;
  /** The certificate first, then the intermediates it sends (as SChannel sends the chain). */
  readonly chain: readonly Certificate[];
  readonly key: PrivateKey;
}

/**
 * Options of {@link mutualTlsHandshake}.
 *
 * @example
 * ```ts
 * await mutualTlsHandshake({ client, server, serverName: 'ex01.contoso.com', clientName: 'lync01.contoso.com', network });
 * ```
 */
export interface MutualTlsOptions {
  /** The side that connects (Lync). */
  readonly client: TlsSide;
  /** The listening side (UM); undefined when it has no TLS listener (TCP mode, no certificate). */
  readonly server: TlsSide | undefined;
  /** The server's FQDN as the client knows it (SNI and name check). */
  readonly serverName: string;
  /** The client's FQDN as the server knows it (the UM IP gateway's address). */
  readonly clientName: string;
  readonly network: LabNetwork;
  readonly time?: Date;
  /** The command's CRLs already downloaded: both sides judge with the same CRLs, fetched once. */
  readonly crlCache?: CrlCache;
  /** Default 5,000 ms. */
  readonly timeoutMs?: number;
}

/**
 * Who ended the handshake, and why.
 *
 * @example
 * ```ts
 * const f: HandshakeFailure = { by: 'client', code: 'CERT_E_UNTRUSTEDROOT', message: '…' };
 * ```
 */
export interface HandshakeFailure {
  /** `client`: the client refused the server's certificate; `server`: the reverse; `network`: no TLS at all. */
  readonly by: 'client' | 'server' | 'network';
  /** A policy HRESULT name (CERT_E_…, CRYPT_E_…) or a socket error code (ECONNREFUSED). */
  readonly code: string;
  /** In English. */
  readonly message: string;
  /** The message in English and French (the checks quote it in the lab's language). */
  readonly localized?: Localized;
}

/** A failure whose message has both languages. */
function failed(by: HandshakeFailure['by'], code: string, en: string, fr: string): HandshakeFailure {
  return { by, code, message: en, localized: l10n(en, fr) };
}

/**
 * The outcome of a handshake.
 *
 * @example
 * ```ts
 * const r = await mutualTlsHandshake(options);
 * console.log(r.ok ? `${r.protocol} ${r.cipher}` : r.failure?.code);
 * ```
 */
export interface HandshakeResult {
  readonly ok: boolean;
  readonly failure?: HandshakeFailure;
  /** The client's verdict on the server's certificate. */
  readonly clientVerdict?: PeerVerdict;
  /** The server's verdict on the client's certificate. */
  readonly serverVerdict?: PeerVerdict;
  readonly protocol?: string;
  readonly cipher?: string;
  /** The SIP response line the client received. */
  readonly sipResponse?: string;
  readonly port: number;
  readonly durationMs: number;
}

async function pemOf(side: TlsSide): Promise<{ key: string; cert: string }> {
  return {
    key: encodePem('PRIVATE KEY', await side.key.toPkcs8()),
    cert: side.chain.map((c) => c.toPem()).join(''),
  };
}

/** The DER chain node received, leaf first, stopping at a self-issued certificate. */
function peerDers(socket: TLSSocket): Uint8Array[] {
  const out: Uint8Array[] = [];
  let c = socket.getPeerCertificate(true) as PeerCertificate & { issuerCertificate?: PeerCertificate };
  const seen = new Set<string>();
  while (c?.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    out.push(new Uint8Array(c.raw));
    c = c.issuerCertificate as PeerCertificate & { issuerCertificate?: PeerCertificate };
  }
  return out;
}

/** A loopback port nobody listens on: what a client meets when the server has no TLS listener. */
async function closedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** The refusal in words: the policy's HRESULT and the chain's error flags (French puts a space before the colon). */
function describe(v: PeerVerdict, lang: 'en' | 'fr' = 'en'): string {
  const flags = v.chain.errors.join(', ');
  return `${v.chain.policy.name} (0x${v.chain.policy.hresult.toString(16).padStart(8, '0')})${flags ? `${lang === 'fr' ? ' : ' : ': '}${flags}` : ''}`;
}

/**
 * Runs one mutual-TLS handshake and a SIP OPTIONS exchange on loopback.
 *
 * @example
 * ```ts
 * const r = await mutualTlsHandshake({ client: lyncSide, server: umSide, serverName: 'ex01.contoso.com',
 *   clientName: 'lync01.contoso.com', network });
 * r.ok; // true when both sides accepted each other's certificate
 * ```
 */
export async function mutualTlsHandshake(options: MutualTlsOptions): Promise<HandshakeResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 5_000;
  const verifyOpts = {
    network: options.network,
    ...(options.time ? { time: options.time } : {}),
    ...(options.crlCache ? { crlCache: options.crlCache } : {}),
  };
  let serverVerdict: Promise<PeerVerdict | undefined> = Promise.resolve(undefined);
  let server: ReturnType<typeof createServer> | undefined;
  let port: number;
  if (options.server) {
    const pem = await pemOf(options.server);
    const serverHost = options.server.host;
    server = createServer({
      key: pem.key,
      cert: pem.cert,
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
    });
    let resolveVerdict: (v: PeerVerdict | undefined) => void = () => {};
    serverVerdict = new Promise((r) => {
      resolveVerdict = r;
    });
    server.on('secureConnection', (socket: TLSSocket) => {
      socket.on('error', () => {});
      const ders = peerDers(socket);
      const judged: Promise<PeerVerdict | undefined> =
        ders.length === 0
          ? Promise.resolve(undefined)
          : verifyPeerChain(serverHost, ders, { ...verifyOpts, expectedName: options.clientName }).catch(
              () => undefined,
            );
      judged.then((v) => {
        resolveVerdict(v);
        if (!v?.trusted) {
          socket.destroy();
          return;
        }
        socket.on('data', (d: Buffer) => {
          if (d.toString('latin1').startsWith('OPTIONS '))
            socket.write(`SIP/2.0 200 OK\r\nServer: ${serverHost.fqdn}\r\nContent-Length: 0\r\n\r\n`);
        });
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  } else port = await closedPort();

  const clientPem = await pemOf(options.client);
  const outcome = await new Promise<Omit<HandshakeResult, 'durationMs' | 'port' | 'serverVerdict'>>(
    (resolve) => {
      let settled = false;
      let clientVerdict: PeerVerdict | undefined;
      const done = (r: Omit<HandshakeResult, 'durationMs' | 'port' | 'serverVerdict'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        resolve(r);
      };
      const timer = setTimeout(
        () =>
          done({
            ok: false,
            failure: failed('network', 'ETIMEDOUT', 'No answer in time.', 'Pas de réponse à temps.'),
          }),
        timeoutMs,
      );
      const socket = connect({
        host: '127.0.0.1',
        port,
        servername: options.serverName,
        key: clientPem.key,
        cert: clientPem.cert,
        rejectUnauthorized: false,
        minVersion: 'TLSv1.2',
      });
      let clientCheck: Promise<unknown> | undefined;
      socket.on('secureConnect', () => {
        const protocol = socket.getProtocol() ?? undefined;
        const cipher = socket.getCipher()?.name;
        clientCheck = verifyPeerChain(options.client.host, peerDers(socket), {
          ...verifyOpts,
          expectedName: options.serverName,
        })
          .then((v) => {
            clientVerdict = v;
            if (!v.trusted) {
              done({
                ok: false,
                clientVerdict: v,
                failure: failed(
                  'client',
                  v.chain.policy.name,
                  `${options.client.host.fqdn} refused the certificate of ${options.serverName}: ${describe(v)}.`,
                  `${options.client.host.fqdn} a refusé le certificat ${deFr(options.serverName)} : ${describe(v, 'fr')}.`,
                ),
              });
              return;
            }
            let buf = '';
            socket.on('data', (d: Buffer) => {
              buf += d.toString('latin1');
              const line = buf.split('\r\n')[0] ?? '';
              if (buf.includes('\r\n'))
                done({
                  ok: line.startsWith('SIP/2.0 200'),
                  clientVerdict: v,
                  sipResponse: line,
                  ...(protocol ? { protocol } : {}),
                  ...(cipher ? { cipher } : {}),
                });
            });
            socket.write(
              `OPTIONS sip:${options.serverName}:5061;transport=tls SIP/2.0\r\nFrom: <sip:${options.clientName}>\r\nContent-Length: 0\r\n\r\n`,
            );
          })
          .catch((e: unknown) =>
            done({
              ok: false,
              failure: failed(
                'client',
                'ERR_VERIFY',
                `${options.client.host.fqdn} could not check the chain of ${options.serverName}: ${String(e)}`,
                `${options.client.host.fqdn} n'a pas pu vérifier la chaîne ${deFr(options.serverName)} : ${String(e)}`,
              ),
            }),
          );
      });
      const dropped = (code: string, en: string, fr = en) => {
        const decide = () => {
          if (clientVerdict?.trusted || options.server)
            done({
              ok: false,
              ...(clientVerdict ? { clientVerdict } : {}),
              failure: failed('server', code, en, fr),
            });
          else done({ ok: false, failure: failed('network', code, en, fr) });
        };
        // Both sides judge the other's chain at once here; in a real handshake the client judges
        // the server's certificate first (it receives it first). So a connection the server drops
        // while the client's own check runs is decided by that check: a client refusal wins, and
        // who refused no longer depends on which check finished first.
        if (clientCheck) void clientCheck.then(decide, decide);
        else decide();
      };
      socket.on('error', (e: NodeJS.ErrnoException) => {
        if (!options.server)
          done({
            ok: false,
            failure: failed(
              'network',
              e.code ?? 'ECONNRESET',
              `${options.client.host.fqdn} could not open SIP over TLS to ${options.serverName}: ${e.code ?? e.message} (nothing listens for TLS).`,
              `${options.client.host.fqdn} n'a pas pu ouvrir SIP sur TLS vers ${options.serverName} : ${e.code ?? e.message} (rien n'écoute en TLS).`,
            ),
          });
        // Node's socket error text (e.g. "read ECONNRESET") is quoted as is in both languages.
        else dropped(e.code ?? 'ECONNRESET', e.message);
      });
      socket.on('close', () =>
        dropped('ECONNRESET', 'The server closed the connection.', 'Le serveur a fermé la connexion.'),
      );
    },
  );
  const sv = await Promise.race([
    serverVerdict,
    new Promise<undefined>((r) => setTimeout(() => r(undefined), 1_000).unref()),
  ]);
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  let failure = outcome.failure;
  if (failure?.by === 'server' && options.server) {
    failure = sv
      ? failed(
          'server',
          sv.chain.policy.name,
          `${options.server.host.fqdn} refused the certificate of ${options.clientName}: ${describe(sv)}.`,
          `${options.server.host.fqdn} a refusé le certificat ${deFr(options.clientName)} : ${describe(sv, 'fr')}.`,
        )
      : failed(
          'server',
          failure.code,
          `${options.server.host.fqdn} closed the connection: ${failure.message}`,
          `${options.server.host.fqdn} a fermé la connexion : ${failure.localized?.fr ?? failure.message}`,
        );
  }
  return {
    ...outcome,
    ...(failure ? { failure } : {}),
    ...(sv ? { serverVerdict: sv } : {}),
    port,
    durationMs: Math.round(performance.now() - started),
  };
}
