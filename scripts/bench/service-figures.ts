import { seedVolume } from '../seed-volume';
import { ascending, Figure, percentile, timed } from './figures';
import { HttpClient } from '../../test/support/http-client';
import { BenchService, startBenchService, submitIntake } from './service';
import { createClinic, createUser } from '../../test/support/test-app';

/** Figures through the whole service: HTTP, sessions, PostgreSQL. */
export async function benchService(): Promise<Figure[]> {
  const service = await startBenchService();
  try {
    const clinician = new HttpClient(service.baseUrl);
    await clinician.signIn(service.clinician.email, service.clinician.password);
    const csrf = await clinician.csrf('/');
    const assessmentId = await submitIntake(service, clinician, csrf, {
      givenName: 'Alex',
      familyName: 'Morgan',
    });
    const handout = await storedHandout(clinician, assessmentId);
    const list = await patientList(service, clinician);
    return [...handout, ...list];
  } finally {
    await service.close();
  }
}

/** A handout downloaded again: the stored bytes, through sign-in, scoping, audit and HTTP. */
async function storedHandout(clinician: HttpClient, assessmentId: string): Promise<Figure[]> {
  const path = `/api/assessments/${assessmentId}/handouts/clinician`;
  const download = async (): Promise<void> => {
    const response = await clinician.request('GET', path, undefined, undefined, 'application/pdf');
    if (response.status !== 200) throw new Error(`Download: ${response.status}`);
    await response.arrayBuffer();
  };
  await download(); // rendered and stored
  for (let i = 0; i < 20; i++) await download();
  const times: number[] = [];
  for (let i = 0; i < 300; i++) times.push(await timed(download));
  const sorted = ascending(times);
  return [
    {
      name: 'handout: stored download p50 (HTTP, signed in)',
      value: percentile(sorted, 50),
      unit: 'ms',
    },
    { name: 'handout: stored download p95', value: percentile(sorted, 95), unit: 'ms' },
  ];
}

const VOLUME = 100_000;
const CLINICS = 10;
const ROUND = 20_000;

/**
 * The dashboard's patient list at a large clinic: 100,000 patients, 500,000
 * intakes, in a database that holds ten such clinics (one million patients),
 * as a hosted deployment would. The whole page as a clinician's browser gets
 * it (session, scoping, query, audit event, HTML), over a mix of what
 * clinicians ask for.
 */
async function patientList(service: BenchService, clinician: HttpClient): Promise<Figure[]> {
  const seedStarted = Date.now();
  const clinics = [service.clinician.user];
  for (let n = 1; n < CLINICS; n++) {
    const clinic = await createClinic(service.dataSource, `Neighbouring Clinic ${n}`);
    clinics.push(
      (await createUser(service.dataSource, clinic, { email: `b${n}@clinic.test` })).user,
    );
  }
  // In rounds, so each clinic's rows lie among the others' as they would after years of use.
  for (let first = 1; first <= VOLUME; first += ROUND)
    for (const user of clinics)
      await seedVolume(service.dataSource, {
        clinicId: user.clinicId,
        userId: user.id,
        patients: ROUND,
        first,
      });
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  // eslint-disable-next-line no-console -- progress, so a reader knows the timed part has begun
  console.error(`Seeded in ${seedSeconds.toFixed(0)} s; timing the patient list now`);

  const page = async (query: string): Promise<string> => {
    const response = await clinician.request('GET', `/${query}`, undefined, undefined, 'text/html');
    const html = await response.text();
    if (response.status !== 200) throw new Error(`List ${query}: ${response.status}`);
    return html;
  };
  // A deep page: follow "Next page" a few times to get a cursor far into the list.
  let deep = '?sort=name';
  for (let i = 0; i < 20; i++) {
    const next = /href="(\/\?[^"]+)" class="button button--secondary" rel="next"/.exec(
      await page(deep),
    );
    if (!next) break;
    deep = next[1]
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&')
      .slice(1);
  }
  const queries = [
    '',
    '?sort=activity',
    '?status=submitted',
    '?status=in_progress&sort=activity',
    '?pillar=sleep',
    '?protocol=trt&pillar=stress',
    '?q=okafor',
    '?q=VOL-0421',
    deep,
  ];
  for (const query of queries) await page(query); // warm
  const times: number[] = [];
  for (let round = 0; round < 40; round++)
    for (const query of queries) times.push(await timed(() => page(query)));
  const sorted = ascending(times);
  return [
    {
      name: `patient list: seed ${CLINICS} clinics × ${VOLUME} patients, ${VOLUME * 5} intakes each`,
      value: seedSeconds,
      unit: 's',
    },
    {
      name: 'patient list page p50 (a clinic of 100,000 among ten, 9 query kinds)',
      value: percentile(sorted, 50),
      unit: 'ms',
    },
    {
      name: 'patient list page p95',
      value: percentile(sorted, 95),
      unit: 'ms',
      target: '< 40 ms',
    },
  ];
}
