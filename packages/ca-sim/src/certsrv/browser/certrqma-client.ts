// certrqma.asp in the browser: generates the key pair with WebCrypto, builds the PKCS #10
// request, submits it to certfnsh.asp like certrqxt.asp does (reference §4, §5.1), and turns
// the answer into a .pfx download (issued) or an encrypted key download (pending). Bundled with
// @certlab/pki by scripts/build-browser.mjs into dist/browser/certrqma.js. Server text is only
// ever shown through textContent.

import type { PrivateKey } from '@certlab/pki';
import type { CertrqmaMessageKey as MessageKey } from '../enroll-form.js';
import {
  buildCsr,
  buildPfx,
  certfnshBody,
  chainFromP7b,
  type EnrollFields,
  EnrollInputError,
  encryptedKeyPem,
  formatMessage,
  parseResultPage,
  templateCn,
} from './enroll-logic.js';

// Used when the page's #certrqmaMessages JSON lacks a key or cannot be read. The keys are the
// shared CERTRQMA_MESSAGE_KEYS, which also type the server's message tables: every message shown
// here is localized by the page.
const DEFAULT_MESSAGES: Record<MessageKey, string> = {
  generating: 'Generating the key pair…',
  submitting: 'Submitting the request…',
  downloading: 'Downloading the certificate…',
  issued: 'The certificate was issued (request {id}).',
  pending: 'Your certificate request {id} is pending. Save the private key now: it only exists in this page.',
  denied: 'The request was denied: {message}',
  error: 'Error: {message}',
  downloadPfx: 'Download the certificate and private key (.pfx)',
  downloadKey: 'Download the private key',
  noWebCrypto: 'This browser cannot generate keys here (WebCrypto needs HTTPS).',
  passwordRequired: 'Enter a password to protect the private key.',
  storeLocalMachine: "Import the .pfx into the local computer's Personal store (LocalMachine\\My).",
  storeCurrentUser: 'Import the .pfx into your Personal store (CurrentUser\\My).',
};

function readMessages(): Record<MessageKey, string> {
  const el = document.getElementById('certrqmaMessages');
  const out = { ...DEFAULT_MESSAGES };
  if (!el?.textContent) return out;
  try {
    const parsed: unknown = JSON.parse(el.textContent);
    if (parsed && typeof parsed === 'object') {
      for (const [k, v] of Object.entries(parsed))
        if (Object.hasOwn(out, k) && typeof v === 'string') out[k as MessageKey] = v;
    }
  } catch {
    // Keep the defaults.
  }
  return out;
}

function fieldValue(id: string): string {
  const el = document.getElementById(id);
  return el instanceof HTMLInputElement ||
    el instanceof HTMLSelectElement ||
    el instanceof HTMLTextAreaElement
    ? el.value
    : '';
}

/** Whether *Store certificate in the local computer certificate store* is ticked. */
function localMachineTicked(): boolean {
  const el = document.getElementById('cbLocalMachineStore');
  return el instanceof HTMLInputElement && el.checked;
}

function formFields(): EnrollFields {
  return {
    commonName: fieldValue('tbName'),
    email: fieldValue('tbEmail'),
    organization: fieldValue('tbCompany'),
    organizationalUnit: fieldValue('tbDepartment'),
    locality: fieldValue('tbCity'),
    state: fieldValue('tbState'),
    country: fieldValue('tbCountry'),
    dnsNames: fieldValue('tbDnsNames'),
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url, { credentials: 'same-origin' });
  const type = res.headers.get('Content-Type') ?? '';
  // Failures come back as 200 text/html error pages (reference §6).
  if (!res.ok || type.startsWith('text/html')) {
    const page = parseResultPage(await res.text());
    throw new Error(
      page.kind === 'error' || page.kind === 'denied' ? page.message : `${url}: HTTP ${res.status}`,
    );
  }
  return new Uint8Array(await res.arrayBuffer());
}

function init(): void {
  const form = document.getElementById('certrqmaForm');
  if (!(form instanceof HTMLFormElement)) return;
  const messages = readMessages();
  const status = document.getElementById('divStatus');
  const result = document.getElementById('divResult');
  const button = document.getElementById('btnSubmit');
  const blobUrls: string[] = [];

  const setStatus = (text: string) => {
    if (status) status.textContent = text;
  };
  const setButton = (enabled: boolean) => {
    if (button instanceof HTMLButtonElement || button instanceof HTMLInputElement) button.disabled = !enabled;
  };
  const show = (text: string, link?: { id: string; href: string; download: string; label: string }) => {
    if (!result) return;
    result.replaceChildren();
    const p = document.createElement('p');
    p.textContent = text;
    result.append(p);
    if (link) {
      const a = document.createElement('a');
      a.id = link.id;
      a.href = link.href;
      a.download = link.download;
      a.textContent = link.label;
      const q = document.createElement('p');
      q.append(a);
      result.append(q);
    }
  };
  const blobUrl = (data: Uint8Array | string, type: string): string => {
    const url = URL.createObjectURL(new Blob([data as BlobPart], { type }));
    blobUrls.push(url);
    return url;
  };

  async function enroll(): Promise<void> {
    const password = fieldValue('tbPfxPassword');
    if (!password) {
      setStatus('');
      show(messages.passwordRequired);
      return;
    }
    setStatus(messages.generating);
    const { csrPem, privateKey } = await buildCsr(formFields(), fieldValue('lbKeyAlgorithm') || 'ec-P-256');
    setStatus(messages.submitting);
    const res = await fetch('certfnsh.asp', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: certfnshBody(csrPem, templateCn(fieldValue('lbCertTemplateID')), navigator.userAgent, {
        localMachine: localMachineTicked(),
      }).toString(),
    });
    const page = parseResultPage(await res.text());
    switch (page.kind) {
      case 'issued':
        await issued(page.requestId, privateKey, password);
        return;
      case 'pending': {
        const pem = await encryptedKeyPem(privateKey, password);
        setStatus('');
        show(formatMessage(messages.pending, { id: page.requestId }), {
          id: 'lnkKey',
          href: blobUrl(pem, 'application/x-pem-file'),
          download: `request-${page.requestId}.key`,
          label: messages.downloadKey,
        });
        return;
      }
      case 'denied':
        setStatus('');
        show(formatMessage(messages.denied, { message: page.message }));
        return;
      default:
        setStatus('');
        show(formatMessage(messages.error, { message: page.message }));
    }
  }

  async function issued(id: number, privateKey: PrivateKey, password: string): Promise<void> {
    setStatus(messages.downloading);
    const [cer, p7b] = await Promise.all([
      fetchBytes(`certnew.cer?ReqID=${id}&Enc=bin`),
      fetchBytes(`certnew.p7b?ReqID=${id}&Enc=bin`),
    ]);
    const pfx = await buildPfx(
      privateKey,
      cer,
      chainFromP7b(p7b, cer),
      password,
      fieldValue('tbFriendlyName'),
    );
    setStatus('');
    const store = localMachineTicked() ? messages.storeLocalMachine : messages.storeCurrentUser;
    show(`${formatMessage(messages.issued, { id })} ${store}`, {
      id: 'lnkPfx',
      href: blobUrl(pfx, 'application/x-pkcs12'),
      download: 'certnew.pfx',
      label: messages.downloadPfx,
    });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!globalThis.crypto?.subtle) {
      show(messages.noWebCrypto);
      return;
    }
    for (const url of blobUrls.splice(0)) URL.revokeObjectURL(url);
    setButton(false);
    enroll()
      .catch((e: unknown) => {
        setStatus('');
        show(
          e instanceof EnrollInputError
            ? e.message
            : formatMessage(messages.error, { message: errorText(e) }),
        );
      })
      .finally(() => setButton(true));
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
