// Every command, grouped by noun. The order here is the order of `certlab --help`.

import type { Command } from './command.js';
import { certSelfsign } from './commands/cert-selfsign.js';
import { certShow } from './commands/cert-show.js';
import { convert } from './commands/convert.js';
import { crlShow } from './commands/crl-show.js';
import { csrNew } from './commands/csr-new.js';
import { csrShow } from './commands/csr-show.js';
import { demo } from './commands/demo.js';
import { keyNew } from './commands/key-new.js';
import { keyShow } from './commands/key-show.js';
import { show } from './commands/show.js';
import { verify } from './commands/verify.js';

/** A noun and its verbs. */
export interface Noun {
  readonly name: string;
  readonly summary: string;
  readonly verbs: readonly Command[];
}

export const NOUNS: readonly Noun[] = [
  { name: 'key', summary: 'Private keys: generate and inspect.', verbs: [keyNew, keyShow] },
  { name: 'csr', summary: 'Certificate requests (PKCS #10): create and inspect.', verbs: [csrNew, csrShow] },
  { name: 'cert', summary: 'Certificates (X.509): self-sign and inspect.', verbs: [certSelfsign, certShow] },
  { name: 'crl', summary: 'Certificate revocation lists: inspect, look up a serial.', verbs: [crlShow] },
];

/** Commands that take no verb. */
export const STANDALONE: readonly Command[] = [show, convert, verify, demo];

/** Every leaf command, in help order. */
export const ALL_COMMANDS: readonly Command[] = [...NOUNS.flatMap((n) => n.verbs), ...STANDALONE];

/** The verb of a command name (`csr new` → `new`). @example `verbOf(csrNew)` */
export function verbOf(command: Command): string {
  return command.name.split(' ').pop()!;
}
