import type { Server } from 'node:http';
import type { Response } from 'supertest';
import { PatientEntity } from '../../src/patients/patient.entity';
import { browser, Browser, csrfFrom } from './test-app';

export interface PatientLink {
  readonly id: string;
  readonly link: string;
}

export interface PatientSession {
  readonly invitation: PatientLink;
  /** The patient's browser, holding the intake session cookie. */
  readonly client: Browser;
  /** A CSRF token bound to that session, read from a step page. */
  readonly token: string;
}

/** The clinician makes an invitation link through the JSON API. */
export async function invite(
  clinician: Browser,
  patient: PatientEntity,
  protocol = 'trt',
): Promise<PatientLink> {
  const response = await clinician.agent
    .post(`/api/patients/${patient.id}/invitations`)
    .set('X-CSRF-Token', await clinician.csrf())
    .send({ protocol, replace: true });
  if (response.status !== 201) throw new Error(`Invitation failed with ${response.status}`);
  return response.body as PatientLink;
}

/** The id of the notice version a consent page shows. */
export function consentTextIdFrom(html: string): string {
  const match = /name="consentTextId" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('No privacy notice in the page');
  return match[1];
}

/**
 * The patient reads the privacy notice and answers it as the page's buttons
 * do ("agree" or "refuse"). Returns the POST's response (a 303).
 */
export async function answerConsent(
  client: Browser,
  decision: 'agree' | 'refuse' = 'agree',
): Promise<Response> {
  const page = await client.agent.get('/intake/consent').set('Accept', 'text/html');
  if (page.status !== 200) throw new Error(`The privacy notice gave ${page.status}`);
  return client.agent
    .post('/intake/consent')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), consentTextId: consentTextIdFrom(page.text), decision });
}

/** Agrees to the notice when the intake asks for it (not when agreed already, on any device). */
export async function agreeIfAsked(client: Browser): Promise<void> {
  const page = await client.agent.get('/intake/consent').set('Accept', 'text/html');
  if (page.status !== 200) return;
  const agreed = await client.agent
    .post('/intake/consent')
    .type('form')
    .send({
      _csrf: csrfFrom(page.text),
      consentTextId: consentTextIdFrom(page.text),
      decision: 'agree',
    });
  if (agreed.status !== 303) throw new Error(`Agreeing to the notice gave ${agreed.status}`);
}

/**
 * A new browser opens the link (trading the token for a cookie), agrees to
 * the clinic's privacy notice unless told not to, and reads a CSRF token
 * from a page.
 */
export async function openLink(
  server: Server,
  invitation: PatientLink,
  options: { readonly consent?: boolean } = {},
): Promise<PatientSession> {
  const client = browser(server);
  const opened = await client.agent.get(new URL(invitation.link).pathname);
  if (opened.status !== 303) throw new Error(`Opening the link gave ${opened.status}`);
  if (options.consent === false) {
    const notice = await client.agent.get('/intake/consent').set('Accept', 'text/html');
    return { invitation, client, token: csrfFrom(notice.text) };
  }
  const agreed = await answerConsent(client);
  if (agreed.status !== 303) throw new Error(`Agreeing to the notice gave ${agreed.status}`);
  const step = await client.agent.get('/intake/context').set('Accept', 'text/html');
  return { invitation, client, token: csrfFrom(step.text) };
}

/** Invites the patient and opens the link in a new browser. */
export async function startPatientSession(
  server: Server,
  clinician: Browser,
  patient: PatientEntity,
  protocol = 'trt',
): Promise<PatientSession> {
  return openLink(server, await invite(clinician, patient, protocol));
}
