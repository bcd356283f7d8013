import { ClinicTime } from '../../common/clinic-time';
import {
  InvitationEmailDto,
  InvitationReminderDto,
  InvitationResponseDto,
} from '../../invitations/invitation.dto';
import { emailLines } from './patient-page-view';

const time = ClinicTime.of('UTC');

const email = (changes: Partial<InvitationEmailDto> = {}): InvitationEmailDto => ({
  status: 'sent',
  at: '2026-12-01T09:00:00.000Z',
  attempts: 1,
  problem: null,
  nextAttemptAt: null,
  stoppedBecause: null,
  ...changes,
});

const reminder = (
  number: number,
  dueAt: string,
  changes: Partial<InvitationEmailDto> = {},
): InvitationReminderDto => ({
  ...email({ status: 'pending', attempts: 0, at: '2026-12-01T09:00:00.000Z', ...changes }),
  number,
  dueAt,
});

const link = (changes: Partial<InvitationResponseDto> = {}): InvitationResponseDto => ({
  id: 'i',
  patientId: 'p',
  protocol: 'trt',
  protocolLabel: 'TRT',
  state: 'active',
  expiresAt: '2026-12-15T09:00:00.000Z',
  createdAt: '2026-12-01T09:00:00.000Z',
  firstUsedAt: null,
  submittedAt: null,
  email: email(),
  reminders: [reminder(1, '2026-12-04T09:00:00.000Z'), reminder(2, '2026-12-08T09:00:00.000Z')],
  remindersStoppedAt: null,
  ...changes,
});

const texts = (invitation: InvitationResponseDto, archived = false, hasAddress = true) =>
  emailLines(invitation, { archived, hasAddress }, time).map(
    ({ failed, text }) => `${failed ? '!' : ''}${text}`,
  );

describe('emailLines', () => {
  it('says when the link was emailed and which reminders are planned', () => {
    expect(texts(link())).toEqual([
      'Emailed 2026-12-01 09:00',
      'Reminders: 2026-12-04 and 2026-12-08 planned',
    ]);
  });

  it('says a reminder went, and the rest are not needed once the intake is sent', () => {
    const sent = reminder(1, '2026-12-04T09:00:00.000Z', {
      status: 'sent',
      attempts: 1,
      at: '2026-12-04T09:01:00.000Z',
    });
    expect(texts(link({ state: 'used', reminders: [sent, link().reminders[1]] }))).toEqual([
      'Emailed 2026-12-01 09:00',
      'Reminders: 2026-12-04: emailed 2026-12-04 09:01; 2026-12-08 not needed (the intake was sent)',
    ]);
  });

  it('says the patient stopped them, and that planned ones will not go for an archived patient', () => {
    expect(texts(link({ remindersStoppedAt: '2026-12-02T10:00:00.000Z' }))[1]).toBe(
      'Reminders stopped by the patient 2026-12-02 10:00',
    );
    expect(texts(link(), true)[1]).toBe(
      'Reminders: 2026-12-04 and 2026-12-08 not needed (the patient is archived)',
    );
    expect(texts(link(), false, false)[1]).toBe(
      'Reminders: 2026-12-04 and 2026-12-08 not needed (the patient has no email address)',
    );
  });

  it('marks a send being retried or given up as a failure, naming the class of problem', () => {
    expect(
      texts(
        link({
          email: email({
            status: 'pending',
            attempts: 1,
            problem: 'unavailable',
            nextAttemptAt: '2026-12-01T09:05:00.000Z',
          }),
        }),
      )[0],
    ).toBe(
      '!Not emailed yet: the mail server could not be reached, or it broke off; trying again 2026-12-01 09:05',
    );
    const failed = reminder(1, '2026-12-04T09:00:00.000Z', {
      status: 'failed',
      attempts: 4,
      problem: 'refused',
      at: '2026-12-04T11:35:00.000Z',
    });
    expect(texts(link({ reminders: [failed] }))[1]).toBe(
      '!Reminders: 2026-12-04: could not email: the mail server refused the address or the message (4 tries, the last 2026-12-04 11:35)',
    );
  });

  it('says why an email was not sent after all', () => {
    expect(
      texts(link({ email: email({ status: 'cancelled', stoppedBecause: 'revoked' }) }))[0],
    ).toBe('Email not sent: the link was revoked');
  });
});
