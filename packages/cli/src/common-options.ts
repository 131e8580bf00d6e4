// Options several commands share, declared once so their help text is identical everywhere.

import type { OptionSpec } from './command.js';

export const OUT_OPTION: OptionSpec = {
  name: 'out',
  type: 'string',
  short: 'o',
  value: 'FILE',
  help: 'Write the result to FILE (required; - for stdout).',
};
export const FORCE_OPTION: OptionSpec = {
  name: 'force',
  type: 'boolean',
  short: 'f',
  help: 'Overwrite output files that already exist.',
};
export const FORMAT_OPTION: OptionSpec = {
  name: 'format',
  type: 'string',
  value: 'text|json',
  help: 'Output format (default text).',
};
export const DER_OPTION: OptionSpec = {
  name: 'der',
  type: 'boolean',
  help: 'Write binary DER instead of PEM.',
};
export const SUBJECT_OPTION: OptionSpec = {
  name: 'subject',
  type: 'string',
  value: 'DN',
  help: 'Subject name, e.g. "CN=web01.contoso.com, O=Contoso, C=FR" (RFC 4514, Windows or /C=FR/O=… form).',
};
export const ITERATIONS_OPTION: OptionSpec = {
  name: 'iterations',
  type: 'string',
  value: 'N',
  help: 'PBKDF2 iterations when encrypting a new key with a password (default 600000).',
};
