// The certificates of a PEM text with their positions, for the installers that read files or
// tool output holding several certificates (a bundle, `certutil -L -a`), match them by thumbprint
// and, for Debian, cut one out of a file while keeping the rest byte for byte.

import type { Certificate } from '@certlab/pki';
import * as pki from '@certlab/pki';

/** One PEM certificate block of a text: `text.slice(start, end)` is the block with its line end. */
export interface CertificateBlock {
  readonly start: number;
  readonly end: number;
  /** Undefined when the block does not parse (it still counts as a block). */
  readonly cert: Certificate | undefined;
  readonly thumbprint: string | undefined;
  /** The subject in Windows form; undefined when the block does not parse. */
  readonly subject: string | undefined;
}

// The labels OpenSSL's PEM reader takes as certificates, which is what update-ca-certificates
// relies on; the line end after END is part of the block, so that cutting it leaves no gap.
const BLOCK =
  /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----[\s\S]*?-----END (?:X509 |TRUSTED )?CERTIFICATE-----(?:\r?\n)?/g;

/**
 * Every certificate block of `text`, in order. Read bytes as latin1 so that positions are byte
 * offsets.
 *
 * @example
 * ```ts
 * const blocks = await certificateBlocks(readFileSync('bundle.crt', 'latin1'));
 * blocks.map((b) => b.thumbprint); // ['C235EA7A…', '3B1F…']
 * ```
 */
export async function certificateBlocks(text: string): Promise<CertificateBlock[]> {
  const out: CertificateBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    let cert: Certificate | undefined;
    let thumbprint: string | undefined;
    let subject: string | undefined;
    try {
      cert = pki.readCertificates(m[0])[0];
      // The subject is parsed on first use: read here, so that a block whose subject does not
      // parse is an unreadable block (OpenSSL, which parses the whole certificate, does not take
      // it either) rather than a PkiError thrown by the installer's list(), which hid every
      // other certificate of the directory (found by trust-debian-fuzz.test.ts).
      subject = cert?.subject.toWindowsString();
      thumbprint = await cert?.thumbprint();
    } catch {
      // listed without a thumbprint
      cert = undefined;
      thumbprint = undefined;
      subject = undefined;
    }
    out.push({ start: m.index, end: m.index + m[0].length, cert, thumbprint, subject });
  }
  return out;
}
