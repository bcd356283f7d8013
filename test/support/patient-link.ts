import type { Server } from 'node:http';
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

/** A new browser opens the link (trading the token for a cookie) and reads a CSRF token from a step. */
export async function openLink(server: Server, invitation: PatientLink): Promise<PatientSession> {
  const client = browser(server);
  const opened = await client.agent.get(new URL(invitation.link).pathname);
  if (opened.status !== 303) throw new Error(`Opening the link gave ${opened.status}`);
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
