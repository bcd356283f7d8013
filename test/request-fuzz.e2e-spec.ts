import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { Response } from 'supertest';
import { PatientEntity } from '../src/patients/patient.entity';
import { submitIntake } from './support/intake-flow';
import { startPatientSession } from './support/patient-link';
import { listRoutes, Route } from './support/routes';
import {
  browser,
  Browser,
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';

/*
 * Hostile requests to every route the application serves (read from the
 * controllers' metadata, so a new route is fuzzed too), through the real app
 * on PostgreSQL: query strings of random bytes, NUL, invalid UTF-8, broken
 * escapes, huge values, repeated keys and `q[]` lists to every GET route
 * (as a clinician, an admin, the patient behind a link, and signed out);
 * paths with broken encoding; and compressed bodies (gzip, deflate, br) that
 * are truncated, corrupt, or inflate past the size limit to every POST, PUT
 * and PATCH route. Whatever arrives: never a 5xx. The runs are seeded, so a
 * failure repeats; fast-check prints the seed and the shrunk request.
 */

const SEED = 16_2025;

/** Query parameter names the routes read, to get past "not an accepted field" now and then. */
const KNOWN_KEYS = [
  'q',
  'protocol',
  'status',
  'pillar',
  'sort',
  'after',
  'limit',
  'paper',
  'action',
  'userId',
  'outcome',
  'targetId',
  'from',
  'to',
  'before',
];

/** Bytes and escapes that have broken decoders, as they appear in a URL. */
const NASTY = [
  '%00',
  'a%00b',
  '%FF',
  '%C3%28',
  '%E2%82',
  '%ED%A0%80',
  '%C0%AF',
  '%F4%90%80%80',
  '%',
  '%%',
  '%zz',
  'ab%4',
  '%u0041',
  '%2500',
  '%0A%0D',
  '%E2%80%AE',
  '%EF%BB%BF',
];

/** Every byte as an escape: random bytes are mostly not UTF-8, sometimes they are. */
const percentEncoded = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => `%${byte.toString(16).padStart(2, '0').toUpperCase()}`).join('');

/** One piece of a URL: plain text, random bytes, a nasty escape, or a huge value. */
const urlPiece: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }).map(encodeURIComponent) },
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 24 }).map(percentEncoded) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 500, max: 6_000 }), fc.constantFrom('x', '%41', '%00', '%FF'))
      .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length))),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...NASTY))
      .map(([text, nasty]) => `${encodeURIComponent(text)}${nasty}`),
  },
);

const queryKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...KNOWN_KEYS) },
  { weight: 2, arbitrary: fc.constantFrom(...KNOWN_KEYS).map((key) => `${key}[]`) },
  { weight: 1, arbitrary: fc.constantFrom(...KNOWN_KEYS).map((key) => `${key}[a]`) },
  { weight: 2, arbitrary: urlPiece.filter((piece) => piece.length < 200) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', '', '[]', 'q[][]') },
);

/** A query string: pairs, keys repeated on purpose, bare keys and stray separators. */
const queryString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 8, arbitrary: fc.tuple(queryKey, urlPiece).map(([k, v]) => `${k}=${v}`) },
      { weight: 1, arbitrary: queryKey },
      { weight: 1, arbitrary: fc.constantFrom('', '=', '==', '&') },
    ),
    { minLength: 1, maxLength: 6 },
  )
  .chain((pairs) =>
    // Repeat one pair's key with another value: q=a&q=b reads as a list.
    fc.tuple(fc.constant(pairs), urlPiece, fc.boolean()).map(([all, value, repeat]) => {
      const key = all[0].split('=')[0];
      return [...all, ...(repeat ? [`${key}=${value}`] : [])].join('&');
    }),
  );

/**
 * Whether a piece of a URL reads as text, by the platform's own decoder (a
 * URIError for a broken escape or bytes that are not UTF-8), with no NUL:
 * one that does not must be answered 400 (or 431, when Node finds the
 * request line too long before the application sees it).
 */
function readable(piece: string): boolean {
  try {
    return !decodeURIComponent(piece.replace(/\+/g, ' ')).includes('\u0000');
  } catch {
    return false;
  }
}
const readableQuery = (query: string): boolean =>
  query.split(/[&=]/).every((piece) => readable(piece));
/** Any answer but a 5xx; and for an address that is not text, a refusal. */
const NOT_5XX = /-> [1-4]\d\d$/;
const REFUSED = /-> (400|431)$/;

type Who = 'clinician' | 'admin' | 'patient' | 'anonymous';

/** Who calls a route: staff pages as both staff roles, the patient's own, and the public ones. */
function callers(route: Route): Who[] {
  if (/^\/(api\/)?intake(\/|$)/.test(route.path)) return ['patient', 'anonymous'];
  if (/^\/(health\/|sign-in$|i\/|welcome\/)/.test(route.path)) return ['anonymous'];
  return ['clinician', 'admin', 'anonymous'];
}

interface Ids {
  readonly patient: string;
  readonly invitation: string;
  readonly intake: string;
  readonly assessment: string;
  readonly user: string;
  readonly point: string;
}

/** A route's path with its parameters filled: this clinic's own ids, so requests reach the handler. */
function fill(path: string, ids: Ids): string {
  const byCollection: Record<string, string> = {
    patients: ids.patient,
    invitations: ids.invitation,
    intakes: ids.intake,
    clinicians: ids.user,
    // Never a real assessment: its handouts would start Chromium for every request.
    assessments: path.includes('/handouts/') ? randomUUID() : ids.assessment,
  };
  return path
    .replace(':pointId', ids.point)
    .replace(':kind', 'clinician')
    .replace(':section', 'sleep')
    .replace(':token', 'A'.repeat(43))
    .replace(
      /\/([a-z-]+)\/:(\w+)/g,
      (_match, collection: string) => `/${collection}/${byCollection[collection] ?? randomUUID()}`,
    );
}

describe('hostile URLs and compressed bodies on every route: never a 5xx', () => {
  let t: TestApp;
  let clients: Record<Who, Browser>;
  let ids: Ids;
  const routes: Route[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Fuzz Routes');
    const doc = await createUser(t.dataSource, clinic, { email: 'doc@routes.test' });
    const boss = await createUser(t.dataSource, clinic, {
      email: 'admin@routes.test',
      role: 'admin',
    });
    const other = await createUser(t.dataSource, clinic, { email: 'other@routes.test' });
    const clinician = await signIn(t.server, doc);
    const patient: PatientEntity = await createPatient(t.dataSource, doc);
    const { intake, assessment } = await submitIntake(t.server, t.dataSource, clinician, patient);
    const phone = await startPatientSession(t.server, clinician, patient);
    clients = {
      clinician,
      admin: await signIn(t.server, boss),
      patient: phone.client,
      anonymous: browser(t.server),
    };
    ids = {
      patient: patient.id,
      invitation: intake.invitationId,
      intake: intake.id,
      assessment: assessment.id,
      user: other.user.id,
      point: (assessment.results as { points: { ruleId: string }[] }).points[0].ruleId,
    };
    routes.push(...listRoutes(t.app));
  });
  afterAll(() => t.close());

  const get = (who: Who, url: string): Promise<Response> =>
    clients[who].agent
      .get(url)
      .set('Accept', url.startsWith('/api/') ? 'application/json' : 'text/html');

  it('finds the GET routes and the routes that take a body', () => {
    expect(routes.filter((r) => r.method === 'GET').length).toBeGreaterThan(20);
    expect(
      routes.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method)).length,
    ).toBeGreaterThan(15);
  });

  it('GET with random query strings, as every kind of caller', async () => {
    const calls = routes
      .filter((route) => route.method === 'GET')
      .flatMap((route) => callers(route).map((who) => ({ who, path: fill(route.path, ids) })));
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...calls), queryString, async ({ who, path }, query) => {
        const response = await get(who, `${path}?${query}`);
        statuses.push(response.status);
        const line = `${who} GET ${path}?${query} -> ${response.status}`;
        expect(line).toMatch(readableQuery(query) ? NOT_5XX : REFUSED);
      }),
      {
        seed: SEED,
        numRuns: 400,
        examples: [
          [{ who: 'clinician', path: '/' }, 'q=%00'],
          [{ who: 'clinician', path: '/api/patients' }, 'q=%00'],
          [{ who: 'clinician', path: '/api/patients' }, 'q[]=x&q[]=%FF'],
          [{ who: 'admin', path: '/admin/audit' }, 'action=%C3%28&from=%E2%82'],
        ],
      },
    );
    // Some requests got through to a page or JSON, and some were refused as they should be.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(5);
    expect(statuses.filter((s) => s === 400).length).toBeGreaterThan(50);
  });

  it('GET paths with broken encoding in a segment, as every kind of caller', async () => {
    const calls = routes
      .filter((route) => route.method === 'GET')
      .flatMap((route) => callers(route).map((who) => ({ who, path: fill(route.path, ids) })));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...calls),
        fc.nat(),
        fc.constantFrom('replace', 'append', 'insert'),
        urlPiece.filter((piece) => piece.length < 2_000),
        async ({ who, path }, at, how, piece) => {
          const segments = path.split('/');
          const index = 1 + (at % Math.max(1, segments.length - 1));
          if (how === 'replace') segments[index] = piece;
          else if (how === 'append') segments.push(piece);
          else segments[index] = `${segments[index] ?? ''}${piece}`;
          const url = segments.join('/') || '/';
          const response = await get(who, url);
          const line = `${who} GET ${url} -> ${response.status}`;
          expect(line).toMatch(readable(url) ? NOT_5XX : REFUSED);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  describe('compressed bodies', () => {
    const COMPRESS = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync } as const;
    type Encoding = keyof typeof COMPRESS;
    const ENCODINGS = Object.keys(COMPRESS) as Encoding[];
    const TYPES = ['application/json', 'application/x-www-form-urlencoded'] as const;
    type Type = (typeof TYPES)[number];

    /** What a route is sent, before compressing: its shape in each content type. */
    const plain = (type: Type, size: number): Buffer =>
      type === 'application/json'
        ? Buffer.from(`{"givenName":"${'z'.repeat(size)}","familyName":"Fuzz"}`)
        : Buffer.from(`givenName=${'z'.repeat(size)}&familyName=Fuzz`);
    /** Small on the wire, 2 MB inflated: made once per encoding and type (brotli is slow). */
    const bombs = new Map<string, Buffer>();
    const bomb = (encoding: Encoding, type: Type): Buffer => {
      const key = `${encoding} ${type}`;
      if (!bombs.has(key)) bombs.set(key, COMPRESS[encoding](plain(type, 2 * 1024 * 1024)));
      return bombs.get(key)!;
    };

    const bodyRoutes = () =>
      routes.filter((route) => ['POST', 'PUT', 'PATCH'].includes(route.method));

    /** Sent as bytes, without a CSRF token: nothing may get far enough to change anything. */
    const send = (who: Who, route: Route, encoding: string, type: Type, body: Buffer) =>
      clients[who].agent[route.method.toLowerCase() as 'post' | 'put' | 'patch'](
        fill(route.path, ids),
      )
        .set('Accept', route.path.startsWith('/api/') ? 'application/json' : 'text/html')
        .set('Content-Type', type)
        .set('Content-Encoding', encoding)
        .serialize((bytes: Buffer) => bytes as unknown as string)
        .send(body);

    it('refuses a body that inflates past 64 kB with 413 on every route, in every encoding', async () => {
      const wrong: string[] = [];
      for (const route of bodyRoutes()) {
        const who = callers(route)[0];
        for (const encoding of ENCODINGS) {
          for (const type of TYPES) {
            const packed = bomb(encoding, type);
            expect(packed.length).toBeLessThan(64 * 1024);
            const response = await send(who, route, encoding, type, packed);
            if (response.status !== 413)
              wrong.push(`${route.method} ${route.path} ${encoding} ${type} -> ${response.status}`);
          }
        }
      }
      expect(wrong).toEqual([]);
    });

    it('answers truncated, corrupt and random compressed bodies without a 5xx', async () => {
      const body = fc.oneof(
        // Truncated: a whole stream cut anywhere.
        fc
          .tuple(fc.string({ maxLength: 200 }), fc.double({ min: 0, max: 0.99, noNaN: true }))
          .map(([text, cut]) => ({ kind: 'truncated', text, cut, flips: [] as number[] })),
        // Corrupt: a whole stream with bytes flipped.
        fc
          .tuple(fc.string({ maxLength: 200 }), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }))
          .map(([text, flips]) => ({ kind: 'corrupt', text, cut: 1, flips })),
        // Random bytes claiming to be compressed.
        fc.uint8Array({ maxLength: 300 }).map((bytes) => ({
          kind: 'random',
          text: Buffer.from(bytes).toString('latin1'),
          cut: 1,
          flips: [] as number[],
        })),
      );
      const statuses: number[] = [];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...bodyRoutes()),
          fc.constantFrom(...ENCODINGS),
          fc.constantFrom(...TYPES),
          body,
          async (route, encoding, type, { kind, text, cut, flips }) => {
            let bytes =
              kind === 'random'
                ? Buffer.from(text, 'latin1')
                : COMPRESS[encoding](Buffer.concat([plain(type, 0), Buffer.from(text)]));
            if (kind === 'truncated') bytes = bytes.subarray(0, Math.floor(bytes.length * cut));
            for (const flip of flips) bytes[flip % bytes.length] ^= 0xff;
            const response = await send(callers(route)[0], route, encoding, type, bytes);
            statuses.push(response.status);
            expect(
              `${route.method} ${route.path} ${encoding} ${type} ${kind} -> ${response.status}`,
            ).not.toMatch(/-> 5\d\d$/);
          },
        ),
        { seed: SEED, numRuns: 300 },
      );
      expect(statuses.filter((s) => s === 400).length).toBeGreaterThan(100);
    });
  });
});
