// Malformed-input properties for ca-sim's text and byte readers that the certsrv and policy
// tests do not fuzz: request attributes (every attribute, not only the validity ones), the `san`
// attribute and GUIDs, query strings and form components, request ids, Accept-Language and
// User-Agent, SPNs, `--user NAME:PASSWORD`, decodeRequestInput, tlsServerEndPoint and the
// CertEnroll file lookup. Each returns, or throws the package's coded error (CaError ERR_CA_, a
// PkiError for request bytes, TypeError where the API documents misuse), within a time bound.
// Mutations of valid inputs (test/support/mutate.ts), fixed seed.

import { PkiError } from '@certlab/pki';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { attemptAsync, attemptSync, coded, Outcomes, typeError } from '../../../test/support/coded.js';
import { mutate, mutateText, mutationsArb, textMutationsArb } from '../../../test/support/mutate.js';
// Internal to the certsrv server (not re-exported), but they read what HTTP clients send.
import { decodeFormComponent, parseQueryString } from '../src/certsrv/form-fields.js';
import { selectLanguage, selectVariant } from '../src/certsrv/i18n.js';
import { parseRequestId } from '../src/certsrv/request-id.js';
import {
  CaError,
  type CertificationAuthority,
  decodeRequestInput,
  findCertEnrollFile,
  isServicePrincipalName,
  objectGuidAltName,
  parseRequestAttributes,
  parseSanAttribute,
  parseUserSpec,
  tlsServerEndPoint,
} from '../src/index.js';
import { contosoAuthority } from './support/certsrv-fixture.js';
import { makeCsr } from './support/csr.js';

const SEED = 20261202;
const RUNS = 400;
const CA = [coded(CaError, 'ERR_CA_')];
const PKI = [coded(PkiError, 'ERR_PKI_')];

function bothOutcomes(o: Outcomes): void {
  expect(o.ok, 'some inputs are accepted').toBeGreaterThan(0);
  expect(o.failed, 'some inputs are refused').toBeGreaterThan(0);
}

const ATTRIB = [
  'CertificateTemplate:WebServer\r\nSAN:dns=a.contoso.com&dns=b.contoso.com\r\nUserAgent:Go-http-client/1.1\r\n',
  'certificate-template: User\nsan:upn=alice@contoso.com&email=alice@contoso.com&guid={2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d}',
  'SAN:ipaddress=10.0.0.1&url=http://pki.contoso.com/x%20y&dn=CN=x,O=Contoso',
  'ValidityPeriod:Days\r\nValidityPeriodUnits:30\r\nExpirationDate:Tue, 21 Nov 2028 01:06:53 GMT',
];

describe('request attributes', () => {
  it('parseRequestAttributes (text, lines, record) then parseSanAttribute: a result or ERR_CA_ATTRIBUTE_INVALID', () => {
    const o = new Outcomes();
    fc.assert(
      fc.property(fc.nat(), textMutationsArb(4), (i, ms) => {
        const text = mutateText(ATTRIB[i % ATTRIB.length]!, ms);
        const forms = [
          text,
          text.split('\r\n'),
          Object.fromEntries(text.split('\n').map((l) => l.split(':', 2))),
        ];
        for (const f of forms) {
          const attrs = attemptSync('parseRequestAttributes', o, [], () =>
            parseRequestAttributes(f as string | string[] | Record<string, string>),
          );
          // Prototype keys must stay plain data.
          if (attrs) expect(Object.getPrototypeOf(attrs)).toBe(null);
          // The text ends at a NUL (AD CS's NUL-terminated attribute string): none is kept.
          if (attrs) expect(JSON.stringify(attrs)).not.toContain('\\u0000');
          if (attrs?.san !== undefined)
            attemptSync('parseSanAttribute', o, CA, () => parseSanAttribute(attrs.san!));
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });

  it('parseSanAttribute on mutated values: general names or ERR_CA_ATTRIBUTE_INVALID', () => {
    const o = new Outcomes();
    const sans = [
      'dns=a.contoso.com&dns=b.contoso.com',
      'upn=alice@contoso.com&email=alice%40contoso.com',
      'guid={2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d}&ipaddress=2001:db8::1',
      'url=http://pki.contoso.com/&dn=CN=x%2C O=Contoso',
    ];
    fc.assert(
      fc.property(fc.nat(), textMutationsArb(), (i, ms) => {
        const v = mutateText(sans[i % sans.length]!, ms);
        attemptSync('parseSanAttribute', o, CA, () => parseSanAttribute(v));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });

  it('objectGuidAltName on mutated GUIDs', () => {
    const o = new Outcomes();
    fc.assert(
      fc.property(textMutationsArb(2), (ms) => {
        const g = mutateText('{2f1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d}', ms);
        const n = attemptSync('objectGuidAltName', o, CA, () => objectGuidAltName(g));
        if (n?.type === 'otherName') expect(n.value.length).toBe(18);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });
});

describe('certsrv header, query and field readers (never throw)', () => {
  it('parseQueryString and decodeFormComponent on mutated queries', () => {
    const o = new Outcomes();
    const queries = [
      '?ReqID=12&Enc=b64&Lang=fr',
      'Type=delta&Renewal=0&Enc=bin',
      '?Mode=newreq&a=%E2%82%AC+x%2',
    ];
    fc.assert(
      fc.property(fc.nat(), textMutationsArb(), (i, ms) => {
        const q = mutateText(queries[i % queries.length]!, ms);
        const m = attemptSync('parseQueryString', o, [], () => parseQueryString(q));
        if (m) attemptSync('FieldMap.get', o, [], () => [m.get('ReqID'), m.getAll('Enc')]);
        attemptSync('decodeFormComponent', o, [], () => decodeFormComponent(q));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('parseRequestId: a request id in 1…2^31−1 or undefined', () => {
    const o = new Outcomes();
    fc.assert(
      fc.property(fc.constantFrom('12', ' 2147483647 ', '1', '0007'), textMutationsArb(2), (s, ms) => {
        const id = attemptSync('parseRequestId', o, [], () => parseRequestId(mutateText(s, ms)));
        if (id !== undefined) expect(Number.isSafeInteger(id) && id >= 1 && id <= 0x7fffffff).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('selectLanguage and selectVariant on mutated headers: en or fr, browser or text', () => {
    const o = new Outcomes();
    const langs = ['fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7', 'en', 'de-DE, fr;q=0.5', 'fr;q=1e400, en;q=NaN'];
    fc.assert(
      fc.property(fc.nat(), textMutationsArb(), fc.option(fc.string({ maxLength: 6 })), (i, ms, override) => {
        const h = mutateText(langs[i % langs.length]!, ms);
        const l = attemptSync('selectLanguage', o, [], () => selectLanguage(h, override ?? undefined));
        expect(['en', 'fr']).toContain(l);
        expect(['browser', 'text']).toContain(selectVariant(h));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('isServicePrincipalName on mutated SPNs: a boolean', () => {
    const o = new Outcomes();
    const spns = ['HTTP/pki.contoso.com', 'HTTP/[::1]:8443', 'http/127.0.0.1:80/x', 'HTTP/pki.contoso.com.'];
    fc.assert(
      fc.property(fc.nat(), textMutationsArb(), (i, ms) => {
        const r = attemptSync('isServicePrincipalName', o, [], () =>
          isServicePrincipalName(mutateText(spns[i % spns.length]!, ms)),
        );
        expect(typeof r).toBe('boolean');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('parseUserSpec on mutated NAME:PASSWORD: a name and password, or its documented TypeError', () => {
    const o = new Outcomes();
    fc.assert(
      fc.property(
        fc.constantFrom('CONTOSO\\alice:pa:ss', 'alice@contoso.com:P@ssw0rd'),
        textMutationsArb(),
        (s, ms) => {
          const r = attemptSync('parseUserSpec', o, [typeError], () => parseUserSpec(mutateText(s, ms)));
          if (r) expect(r.name.length > 0 && r.password.length > 0).toBe(true);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });
});

describe('request and certificate bytes', () => {
  let pem: string;
  let der: Uint8Array;
  let ca: CertificationAuthority;
  beforeAll(async () => {
    ca = await contosoAuthority();
    const csr = await makeCsr({ subject: 'CN=exch01.contoso.com' });
    pem = csr.toPem();
    der = csr.der;
  });

  it('decodeRequestInput on mutated DER, PEM text and PEM bytes: bytes or a PkiError', () => {
    const o = new Outcomes();
    fc.assert(
      fc.property(mutationsArb(), textMutationsArb(), (ms, ts) => {
        attemptSync('decodeRequestInput(der)', o, PKI, () => decodeRequestInput(mutate(der, ms)));
        const text = mutateText(pem, ts);
        attemptSync('decodeRequestInput(text)', o, PKI, () => decodeRequestInput(text));
        attemptSync('decodeRequestInput(latin1 bytes)', o, PKI, () =>
          decodeRequestInput(new Uint8Array(Buffer.from(text, 'latin1'))),
        );
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });

  it('tlsServerEndPoint on mutated certificates: the binding, undefined, or a PkiError', () => {
    const o = new Outcomes();
    const certs = [ca.certificate.der, ca.rootCertificate!.der];
    fc.assert(
      fc.property(fc.nat(), mutationsArb(), (i, ms) => {
        const b = mutate(certs[i % certs.length]!, ms);
        attemptSync('tlsServerEndPoint', o, PKI, () => tlsServerEndPoint(b));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    bothOutcomes(o);
  });

  it('findCertEnrollFile on mutated file names: a file or undefined', async () => {
    const o = new Outcomes();
    const names = [
      'Contoso Issuing CA.crl',
      'Contoso Issuing CA+.crl',
      'pki.contoso.com_Contoso Issuing CA.crt',
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(), textMutationsArb(2), async (i, ms) => {
        const name = mutateText(names[i % names.length]!, ms);
        await attemptAsync('findCertEnrollFile', o, [], () => findCertEnrollFile(ca, name));
      }),
      { seed: SEED, numRuns: 150 },
    );
    expect(await findCertEnrollFile(ca, names[0]!)).toBeDefined();
  });
});
