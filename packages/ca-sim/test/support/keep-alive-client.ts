// One keep-alive HTTP(S) connection for the NTLM tests: NTLM signs a TCP connection in (reference
// §2.2), so every request of a handshake must go over the same socket (an agent of one socket).

import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What the server answered. */
export interface KeepAliveAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** WWW-Authenticate headers one by one (node joins them in `headers`). */
  challenges: string[];
  body: string;
  /** The client's local port: the same for every request of one connection. */
  port: number;
}

/**
 * A client on one keep-alive connection to `base` (`http://…` or `https://…`, trusting the PEM
 * certificates `ca`): every request goes over the same socket. Requests carry a Go client's
 * User-Agent (the text page variant) unless `headers` gives another.
 */
export function keepAliveConnection(base: string, o: { ca?: string } = {}) {
  const https = base.startsWith('https:');
  const agent = https
    ? new HttpsAgent({ keepAlive: true, maxSockets: 1, ...(o.ca ? { ca: o.ca } : {}) })
    : new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const request = https ? httpsRequest : httpRequest;
  const send = (path = '/certsrv/', headers: Record<string, string> = {}, body?: string) =>
    new Promise<KeepAliveAnswer>((resolve, reject) => {
      const req = request(
        `${base}${path}`,
        {
          agent,
          method: body === undefined ? 'GET' : 'POST',
          headers: {
            'user-agent': 'Go-http-client/1.1',
            ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
            ...headers,
          },
        },
        (res) => {
          // Read now: at 'end' the socket has gone back to the agent.
          const port = res.socket.localPort ?? 0;
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            const challenges: string[] = [];
            for (let i = 0; i < res.rawHeaders.length; i += 2)
              if (res.rawHeaders[i]!.toLowerCase() === 'www-authenticate')
                challenges.push(res.rawHeaders[i + 1]!);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, challenges, body: text, port });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}
