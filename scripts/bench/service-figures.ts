import { ascending, Figure, percentile, timed } from './figures';
import { HttpClient } from './http-client';
import { startBenchService, submitIntake } from './service';

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
    return await storedHandout(clinician, assessmentId);
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
