import { HttpClient } from './http-client';
import { TYPICAL_ANSWERS } from './intake-flow';

/** A patient's phone with the link opened and the answers saved: one tap from submitting. */
export interface Phone {
  readonly patientId: string;
  readonly client: HttpClient;
  /** The CSRF token bound to the patient's session. */
  readonly token: string;
}

/** Runs `work` for each item with at most `limit` at once, as many clients would. */
export async function inFlight<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/**
 * Through the service's HTTP API, as a clinic and its patients would: the
 * signed-in clinician adds `count` patients and invites each (protocol TRT);
 * each patient opens the link on their own phone and saves typical answers.
 */
export async function phonesReadyToSubmit(
  baseUrl: string,
  clinician: HttpClient,
  csrf: string,
  count: number,
  options: { namePrefix?: string; inFlight?: number } = {},
): Promise<Phone[]> {
  const phones: Phone[] = [];
  await inFlight(
    Array.from({ length: count }, (_, i) => i),
    options.inFlight ?? 16,
    async (i) => {
      const patient = await clinician.json<{ id: string }>(
        'POST',
        '/api/patients',
        { givenName: 'Load', familyName: `${options.namePrefix ?? 'Patient'} ${i}` },
        csrf,
      );
      const invitation = await clinician.json<{ link: string }>(
        'POST',
        `/api/patients/${patient.id}/invitations`,
        { protocol: 'trt' },
        csrf,
      );
      const client = new HttpClient(baseUrl);
      await client.request('GET', new URL(invitation.link).pathname);
      await client.agreeToConsent();
      const token = await client.csrf('/intake/context');
      await client.json('PUT', '/api/intake/answers', TYPICAL_ANSWERS, token);
      phones.push({ patientId: patient.id, client, token });
    },
  );
  return phones;
}
