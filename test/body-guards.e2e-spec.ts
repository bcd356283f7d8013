import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { PatientEntity } from '../src/patients/patient.entity';
import { startPatientSession } from './support/patient-link';
import {
  Browser,
  createClinic,
  createPatient,
  createUser,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';

describe('bodies no route can store: refused with 400 and the field named, never a 500', () => {
  let t: TestApp;
  let clinician: Browser;
  let patient: PatientEntity;

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Guard Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@guard.test' });
    patient = await createPatient(t.dataSource, user);
    clinician = await signIn(t.server, user);
  });
  afterAll(() => t.close());

  it('refuses a NUL character in any text, naming the field, and stores nothing', async () => {
    const response = await clinician.agent
      .post('/api/patients')
      .set('X-CSRF-Token', await clinician.csrf())
      .send({ givenName: 'Nu\u0000l', familyName: 'Person' });
    expect(response.status).toBe(400);
    expect(response.body.fields).toEqual([
      { field: 'givenName', message: expect.stringContaining('NUL') },
    ]);
    expect(await t.dataSource.getRepository(PatientEntity).countBy({ familyName: 'Person' })).toBe(
      0,
    );

    const form = await clinician.postForm('/patients', { givenName: 'A', familyName: 'B\u0000' });
    expect(form.status).toBe(400);
  });

  it('refuses a body nested deeper than any form, before it reaches validation', async () => {
    const deep = `{"givenName":${'['.repeat(2_000)}${']'.repeat(2_000)}}`;
    const response = await clinician.agent
      .post('/api/patients')
      .set('X-CSRF-Token', await clinician.csrf())
      .set('Content-Type', 'application/json')
      .send(deep);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/nests deeper than \d+ levels/);
  });

  it('refuses an intake section sent as null, a list or text, naming the section', async () => {
    const phone = await startPatientSession(t.server, clinician, patient);
    for (const sleep of [null, [], 'x']) {
      const response = await phone.client.agent
        .put('/api/intake/answers')
        .set('X-CSRF-Token', phone.token)
        .send({ sleep });
      expect(response.status).toBe(400);
      expect(response.body.fields).toEqual([
        { field: 'sleep', message: 'sleep must be an object of answers.' },
      ]);
    }
  });

  describe('compressed bodies (Content-Encoding gzip, deflate, br)', () => {
    const COMPRESS = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync } as const;
    const ENCODINGS = Object.keys(COMPRESS) as (keyof typeof COMPRESS)[];
    const send = async (encoding: string, body: Buffer, type = 'application/json') =>
      clinician.agent
        .post('/api/patients')
        .set('X-CSRF-Token', await clinician.csrf())
        .set('Content-Type', type)
        .set('Content-Encoding', encoding)
        // As bytes: superagent would otherwise write a Buffer as JSON for a JSON content type.
        .serialize((bytes: Buffer) => bytes as unknown as string)
        .send(body);
    const count = (familyName: string) =>
      t.dataSource.getRepository(PatientEntity).countBy({ familyName });

    it.each(ENCODINGS)('takes a whole %s body', async (encoding) => {
      const familyName = `Packed-${encoding}`;
      const packed = COMPRESS[encoding](
        Buffer.from(JSON.stringify({ givenName: 'Zip', familyName })),
      );
      expect((await send(encoding, packed)).status).toBe(201);
      expect(await count(familyName)).toBe(1);
    });

    it.each(ENCODINGS)(
      'refuses a truncated or corrupt %s body with 400 naming the body, storing nothing',
      async (encoding) => {
        const familyName = `Broken-${encoding}`;
        const whole = COMPRESS[encoding](
          Buffer.from(JSON.stringify({ givenName: 'Zip', familyName })),
        );
        const corrupt = Buffer.from(whole);
        for (let i = 2; i < corrupt.length; i += 3) corrupt[i] ^= 0x5a;
        const bodies = {
          truncated: whole.subarray(0, Math.floor(whole.length / 2)),
          corrupt,
          'not compressed': Buffer.from('{"givenName":"Zip","familyName":"Plain"}'),
        };
        for (const [what, body] of Object.entries(bodies)) {
          for (const type of ['application/json', 'application/x-www-form-urlencoded']) {
            const response = await send(encoding, body, type);
            expect(`${what} ${type} ${response.status}`).toBe(`${what} ${type} 400`);
            expect(response.body).toMatchObject({
              code: 'malformed_body',
              fields: [{ field: 'body', message: expect.any(String) }],
            });
          }
        }
        expect(await count(familyName)).toBe(0);
      },
    );

    it.each(ENCODINGS)(
      'holds the size limit after decompression: a small %s body of 10 MB answers 413',
      async (encoding) => {
        const inflated = Buffer.concat([
          Buffer.from('{"givenName":"Bomb","familyName":"'),
          Buffer.alloc(10 * 1024 * 1024, 'z'),
          Buffer.from('"}'),
        ]);
        const packed = COMPRESS[encoding](inflated);
        expect(packed.length).toBeLessThan(64 * 1024);
        const response = await send(encoding, packed);
        expect(response.status).toBe(413);
        expect(response.body).toMatchObject({ code: 'payload_too_large' });
      },
    );

    it('refuses a form page posted with a broken body with the error page, not a 500', async () => {
      const response = await clinician.agent
        .post('/patients')
        .set('Accept', 'text/html')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .set('Content-Encoding', 'gzip')
        .serialize((bytes: Buffer) => bytes as unknown as string)
        .send(gzipSync(Buffer.from('givenName=A&familyName=B')).subarray(0, 12));
      expect(response.status).toBe(400);
      expect(response.type).toBe('text/html');
      expect(response.text).toContain('could not be');
    });
  });
});
