// Issue 7's acceptance test: a root installed through the NSS adapter into `$HOME/.pki/nssdb`
// makes headless Chromium (Linux) load an HTTPS page served with a certificate from that CA, and
// removing it brings net::ERR_CERT_AUTHORITY_INVALID back. The real browser and the real certutil.

import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createTestCA, type TestCA } from '@certlab/ca-sim';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTool } from '../../../test/support/tools.js';
import { nssTrust } from '../src/index.js';

const TITLE = 'certlab trust check';

/** The chromium executable: /usr/bin/chromium (Debian package) or the first one on PATH. */
function chromiumPath(): string {
  const dirs = ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  for (const d of dirs) {
    try {
      accessSync(join(d, 'chromium'), constants.X_OK);
      return join(d, 'chromium');
    } catch {
      // not here
    }
  }
  return '/usr/bin/chromium';
}

describeWithTool('chromium', 'Chromium trusts a root installed in $HOME/.pki/nssdb', () => {
  describeWithTool('certutil', 'NSS trust installer seen by Chromium', () => {
    let ca: TestCA;
    let server: Server;
    let url: string;
    let home: string;

    beforeAll(async () => {
      ca = await createTestCA();
      const leaf = await ca.issue({ dns: ['localhost'], ip: ['127.0.0.1'] });
      server = createServer({ key: leaf.keyPem, cert: leaf.chainPem }, (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
        res.end(`<!doctype html><title>${TITLE}</title><p id="ok">served by certlab</p>`);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `https://localhost:${(server.address() as AddressInfo).port}/`;
      home = await mkdtemp(join(tmpdir(), 'certlab-chromium-home-'));
    });

    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await ca?.close();
      if (home) await rm(home, { recursive: true, force: true });
    });

    /** A fresh headless Chromium with HOME=home: the page title, or the navigation error. */
    async function visit(): Promise<{ title?: string; text?: string; error?: string }> {
      const browser = await chromium.launch({
        executablePath: chromiumPath(),
        env: { ...process.env, HOME: home },
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = await browser.newPage();
        try {
          await page.goto(url, { timeout: 20_000 });
        } catch (e) {
          return { error: (e as Error).message };
        }
        return { title: await page.title(), text: (await page.textContent('#ok')) ?? undefined };
      } finally {
        await browser.close();
      }
    }

    it('fails before, loads once the root is installed, fails again after uninstall', async () => {
      const nss = nssTrust({ dbDir: join(home, '.pki/nssdb') });
      const root = ca.rootCertificate;

      const before = await visit();
      expect(before.error).toContain('net::ERR_CERT_AUTHORITY_INVALID');

      const added = await nss.install(root);
      expect(added.changed).toBe(true);
      expect(await nss.isInstalled(root)).toBe(true);
      const trusted = await visit();
      expect(trusted.error).toBeUndefined();
      expect(trusted.title).toBe(TITLE);
      expect(trusted.text).toBe('served by certlab');

      const removed = await nss.uninstall(root);
      expect(removed.changed).toBe(true);
      const after = await visit();
      expect(after.error).toContain('net::ERR_CERT_AUTHORITY_INVALID');
    }, 120_000);
  });
});
