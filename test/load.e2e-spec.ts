import { setTimeout as sleep } from 'node:timers/promises';
import { HttpClient } from './support/http-client';
import { inFlight, Phone, phonesReadyToSubmit } from './support/phones';
import { storedIntakes } from './support/stored-intakes';
import { createClinic, createUser, startTestApp, TestApp } from './support/test-app';

/** Patients who submit during the load, and how many of their phones send at once. */
const PATIENTS = 200;
const PATIENTS_IN_FLIGHT = 32;
/** Every fourth patient taps "send" twice at once, as a double tap or a flaky network would. */
const DOUBLE_TAP_EVERY = 4;
/** Patients submitted before the load, whose handouts are downloaded during it. */
const WITH_HANDOUTS = 4;

interface Outcome {
  readonly route: string;
  readonly status: number;
  readonly retryAfter: string | null;
}

/**
 * Many patients submit at once while two clinicians browse the dashboard
 * and a third downloads handouts, all through the real HTTP stack on a real
 * PostgreSQL with a real Chromium (one render at a time, so the handout queue
 * fills and answers 503 on purpose). Afterwards the database holds exactly the
 * accepted submissions: none lost, none twice.
 */
describe('load: patients submitting while clinicians browse and download', () => {
  let t: TestApp;
  let phones: Phone[];
  let assessmentIds: string[];
  const outcomes: Outcome[] = [];
  /** Patients whose submission the service accepted (201). */
  const accepted = new Set<string>();
  /** 201 answers that said "already submitted": the double taps. */
  let repeats = 0;

  const record = (route: string, response: Response): Response => {
    outcomes.push({
      route,
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
    });
    return response;
  };

  beforeAll(async () => {
    t = await startTestApp({ PDF_CONCURRENCY: '1' }, { listen: true });
    const clinic = await createClinic(t.dataSource, 'Load Clinic');
    const users = await Promise.all(
      ['browsing@clinic.test', 'printing@clinic.test'].map((email) =>
        createUser(t.dataSource, clinic, { email }),
      ),
    );
    const clinician = new HttpClient(t.baseUrl);
    await clinician.signIn(users[0].email, users[0].password);
    const csrf = await clinician.csrf('/');
    const early = await phonesReadyToSubmit(t.baseUrl, clinician, csrf, WITH_HANDOUTS, {
      namePrefix: 'Early',
    });
    for (const phone of early) {
      await phone.client.json('POST', '/api/intake/submit', undefined, phone.token);
    }
    assessmentIds = (
      await t.dataSource.query<{ id: string }[]>(
        `SELECT a.id FROM assessments a JOIN intakes i ON i.id = a.intake_id
          WHERE i.patient_id = ANY($1)`,
        [early.map((p) => p.patientId)],
      )
    ).map((row) => row.id);
    phones = await phonesReadyToSubmit(t.baseUrl, clinician, csrf, PATIENTS);

    let patientsDone = false;
    const patients = async (): Promise<void> => {
      await inFlight(phones, PATIENTS_IN_FLIGHT, async (phone) => {
        const taps = phones.indexOf(phone) % DOUBLE_TAP_EVERY === 0 ? 2 : 1;
        await Promise.all(
          Array.from({ length: taps }, async () => {
            // A 503 says "busy, try again shortly": a phone does, as the intake page does.
            for (;;) {
              const response = record(
                'submit',
                await phone.client.request('POST', '/api/intake/submit', undefined, phone.token),
              );
              if (response.status === 503) {
                await response.arrayBuffer();
                await sleep(200);
                continue;
              }
              if (response.status !== 201) return;
              const body = (await response.json()) as { repeated: boolean };
              accepted.add(phone.patientId);
              if (body.repeated) repeats++;
              return;
            }
          }),
        );
      });
      patientsDone = true;
    };
    const browsing = async (): Promise<void> => {
      const client = new HttpClient(t.baseUrl);
      await client.signIn(users[0].email, users[0].password);
      for (let i = 0; !patientsDone; i++) {
        const patientId = phones[i % phones.length].patientId;
        for (const path of [
          '/',
          '/api/patients?sort=activity',
          `/patients/${patientId}`,
          '/?status=submitted',
        ]) {
          const response = await client.request('GET', path, undefined, undefined, 'text/html');
          await response.arrayBuffer();
          record('browse', response);
        }
      }
    };
    const printing = async (): Promise<void> => {
      const client = new HttpClient(t.baseUrl);
      await client.signIn(users[1].email, users[1].password);
      // Every handout variant of every early assessment, all asked at once, twice over.
      const variants = assessmentIds.flatMap((id) =>
        ['clinician', 'patient'].flatMap((kind) =>
          ['a4', 'letter'].map((paper) => `/api/assessments/${id}/handouts/${kind}?paper=${paper}`),
        ),
      );
      for (let round = 0; round < 2 || !patientsDone; round++) {
        await Promise.all(
          variants.map(async (path) => {
            const response = record('handout', await client.request('GET', path));
            const bytes = Buffer.from(await response.arrayBuffer());
            if (response.status === 200 && bytes.subarray(0, 5).toString() !== '%PDF-') {
              throw new Error(`${path} answered 200 without a PDF`);
            }
          }),
        );
      }
    };
    await Promise.all([patients(), browsing(), browsing(), printing()]);
  }, 240_000);

  afterAll(async () => {
    await t?.close();
  });

  it('answers nothing but success, or 503 with Retry-After when busy', () => {
    const unexpected = outcomes.filter(
      (o) => ![200, 201, 503].includes(o.status) || (o.status === 503 && !o.retryAfter),
    );
    expect(unexpected).toEqual([]);
    // Each kind of traffic was really there, and mostly served.
    for (const route of ['submit', 'browse', 'handout']) {
      const served = outcomes.filter((o) => o.route === route && o.status < 300);
      expect(served.length).toBeGreaterThan(0);
    }
  });

  it('fills the handout queue: some downloads were turned away with 503, on purpose', () => {
    const handouts = outcomes.filter((o) => o.route === 'handout');
    expect(handouts.some((o) => o.status === 503)).toBe(true);
    expect(handouts.some((o) => o.status === 200)).toBe(true);
  });

  it('stores exactly the accepted submissions: none lost, none twice', async () => {
    const stored = await storedIntakes(
      t.database.url,
      phones.map((p) => p.patientId),
    );
    expect(stored.count).toBe(PATIENTS);
    expect(stored.submitted).toEqual(accepted);
    expect(stored.notWhole).toEqual([]); // one assessment, one audit event, the summary agrees
    // The double taps were answered as repeats, not stored again.
    expect(repeats).toBeGreaterThan(0);
    expect(accepted.size).toBe(PATIENTS);
  });
});
