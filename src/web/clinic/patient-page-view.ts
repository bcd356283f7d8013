import { AssessmentEntity } from '../../assessments/assessment.entity';
import { PILLAR_LABELS } from '../../common/pillar';
import { Protocol, PROTOCOL_LABELS, PROTOCOLS } from '../../common/protocol';
import { IntakeEntity } from '../../intakes/intake.entity';
import {
  InvitationEmailDto,
  InvitationLinkDto,
  InvitationResponseDto,
} from '../../invitations/invitation.dto';
import { DeliveryStop } from '../../mail/delivery.entity';
import { DELIVERY_PROBLEM_LABELS } from '../../mail/mailer';
import { PHONE_MAX_LENGTH } from '../../patients/contact-details';
import { PatientDetailDto } from '../../patients/patient.dto';
import type { AssessmentResult } from '../../rules/evaluate';
import { ClinicTime } from '../../common/clinic-time';
import { plural } from '../plural';
import { qrCodeSvg } from './qr-code';
import { STATUS_LABELS } from './patient-list-view';
import { trendCharts } from './trend-chart';
import { trendSeries } from './trend-series';

const LINK_STATE_LABELS = {
  active: 'Active',
  used: 'Used',
  revoked: 'Revoked',
  expired: 'Expired',
} as const;

export interface PatientPageFacts {
  /** Times as the clinic reads them. */
  readonly time: ClinicTime;
  readonly patient: PatientDetailDto;
  readonly invitations: readonly InvitationResponseDto[];
  /** Oldest first. */
  readonly intakes: readonly IntakeEntity[];
  readonly latest?: IntakeEntity;
  readonly latestAssessment?: AssessmentEntity;
  /** Points of the latest assessment a clinician has marked. */
  readonly latestMarked?: number;
  /** A link made in this browser a moment ago, to show once more. */
  readonly newLink?: InvitationLinkDto;
  /** Where links point (PUBLIC_URL). */
  readonly publicUrl: string;
  /** Whether links can be emailed (SMTP_URL and MAIL_FROM set). */
  readonly emailEnabled: boolean;
  /** Asked after "Create" while a link of the same protocol is active; `send`: and email it. */
  readonly confirmReplace?: {
    send: boolean;
    protocol: Protocol;
    protocolLabel: string;
    createdAt: string;
  };
}

/**
 * The patient page: the links with their state and dates (a link whose
 * intake was sent reads "Used"), every intake with its status (newest
 * first), the latest submitted one's assessment in brief, and trend charts
 * across the submitted intakes (shown from two on: one point is not a trend).
 */
export function patientPageView(facts: PatientPageFacts) {
  const { patient, intakes, latest, latestAssessment, newLink, time } = facts;
  const day = (date: Date | string | null | undefined) => time.day(date);
  const submitted = intakes.filter((intake) => intake.submittedAt !== null);
  const result = latestAssessment?.results as unknown as AssessmentResult | undefined;
  const concerns = result?.points.filter((point) => point.kind === 'concern') ?? [];
  const strengths = (result?.points.length ?? 0) - concerns.length;
  return {
    title: `${patient.givenName} ${patient.familyName}`,
    patient,
    archivedDay: patient.archivedAt ? day(patient.archivedAt) : undefined,
    detailFields: detailFields(patient),
    protocols: PROTOCOLS.map((value) => ({ value, label: PROTOCOL_LABELS[value] })),
    localLinks: onlyThisComputer(facts.publicUrl) ? facts.publicUrl : undefined,
    // Offered only when it can be done: email on, and an address to send to.
    emailTo: facts.emailEnabled && patient.email ? patient.email : undefined,
    emailOff: !facts.emailEnabled,
    invitations: facts.invitations.map((invitation) => ({
      ...invitation,
      createdDay: day(invitation.createdAt),
      expiresDay: day(invitation.expiresAt),
      firstUsedDay: day(invitation.firstUsedAt),
      submittedDay: day(invitation.submittedAt),
      stateLabel:
        patient.archivedAt && invitation.state === 'active'
          ? 'Stopped while archived'
          : LINK_STATE_LABELS[invitation.state],
      emailLines: emailLines(
        invitation,
        { archived: Boolean(patient.archivedAt), hasAddress: Boolean(patient.email) },
        time,
      ),
      // Emailing it again (a lost email, an address corrected): a link that lets the patient in.
      canEmail:
        facts.emailEnabled &&
        Boolean(patient.email) &&
        !patient.archivedAt &&
        invitation.state === 'active',
      canRevoke: invitation.state === 'active' || invitation.state === 'expired',
      // Re-issue is refused beside an active link of the protocol: not offered there.
      // Nor for an archived patient: no link is made for them.
      canReissue:
        !patient.archivedAt &&
        invitation.state !== 'used' &&
        !facts.invitations.some(
          (other) =>
            other.id !== invitation.id &&
            other.protocol === invitation.protocol &&
            other.state === 'active',
        ),
    })),
    newLink: newLink && {
      ...newLink,
      expiresDay: day(newLink.expiresAt),
      emailLine: newLink.email && emailLine(newLink.email, time),
      emailFailed: newLink.email ? emailLine(newLink.email, time).failed : false,
      qrSvg: qrCodeSvg(newLink.link, { size: 200 }),
    },
    confirmReplace: facts.confirmReplace && {
      ...facts.confirmReplace,
      createdDay: day(facts.confirmReplace.createdAt),
    },
    intakes: [...intakes].reverse().map((intake) => ({
      id: intake.id,
      protocolLabel: PROTOCOL_LABELS[intake.protocol],
      status: intake.status,
      statusLabel: STATUS_LABELS[intake.status],
      startedDay: day(intake.createdAt),
      submittedDay: day(intake.submittedAt),
    })),
    latest: latest && {
      intakeId: latest.id,
      submittedDay: day(latest.submittedAt),
      status: latest.status,
      statusLabel: STATUS_LABELS[latest.status],
      pointsLine: [
        plural(concerns.length, 'discussion point'),
        plural(strengths, 'strength'),
        ...(latest.status === 'reviewed' || (facts.latestMarked ?? 0) > 0
          ? [`${facts.latestMarked ?? 0} of ${concerns.length} points marked`]
          : []),
      ].join(', '),
      flagged: (latestAssessment?.flaggedPillars ?? []).map((pillar) => PILLAR_LABELS[pillar]),
      topPoints: concerns.slice(0, 3).map((point) => point.summary),
      assessmentId: latestAssessment?.id,
    },
    trends:
      submitted.length >= 2
        ? trendCharts(
            trendSeries(
              submitted.map((intake) => ({
                submittedAt: intake.submittedAt!,
                answers: intake.answers,
                scores: intake.scores,
              })),
              (date) => time.day(date) ?? '',
            ),
          )
        : [],
    submittedCount: submitted.length,
  };
}

/** The edit form's fields with the stored values (a refused form shows what was typed instead). */
function detailFields(patient: PatientDetailDto) {
  return [
    {
      name: 'givenName',
      label: 'Given name',
      type: 'text',
      maxlength: 100,
      value: patient.givenName,
    },
    {
      name: 'familyName',
      label: 'Family name',
      type: 'text',
      maxlength: 100,
      value: patient.familyName,
    },
    {
      name: 'reference',
      label: 'Reference',
      optional: true,
      short: true,
      type: 'text',
      maxlength: 64,
      value: patient.reference ?? '',
    },
    {
      name: 'email',
      label: 'Email',
      optional: true,
      type: 'email',
      maxlength: 254,
      value: patient.email ?? '',
    },
    {
      name: 'phone',
      label: 'Phone',
      optional: true,
      short: true,
      type: 'tel',
      maxlength: PHONE_MAX_LENGTH,
      hint: 'Digits, spaces and + - ( ), as the patient gave it.',
      value: patient.phone ?? '',
    },
  ];
}

/** Why an email about a link did not go (or will not), after "not sent:". */
const STOP_LABELS: Readonly<Record<DeliveryStop, string>> = {
  submitted: 'the intake was sent',
  revoked: 'the link was revoked',
  reissued: 'the link was re-issued',
  expired: 'the link expired',
  archived: 'the patient is archived',
  opted_out: 'the patient stopped reminders',
  no_address: 'the patient has no email address',
  superseded: 'a later reminder went instead',
};

interface EmailLine {
  readonly failed: boolean;
  readonly text: string;
}

/**
 * "Emailed 6 Dec 2026, 10:42", "Not emailed yet: <why>; next try at ...",
 * "Could not email: <why> (4 tries, last ...)" or "Email not sent: <why>"
 * (never the server's words).
 */
function emailLine(email: InvitationEmailDto, time: ClinicTime): EmailLine {
  const why = DELIVERY_PROBLEM_LABELS[email.problem ?? 'error'];
  switch (email.status) {
    case 'sent':
      return { failed: false, text: `Emailed ${time.minute(email.at)}` };
    case 'failed':
      return {
        failed: true,
        text: `Could not email: ${why} (${plural(email.attempts, 'try', 'tries')}, the last ${time.minute(email.at)})`,
      };
    case 'cancelled':
      return { failed: false, text: `Email not sent: ${STOP_LABELS[email.stoppedBecause!]}` };
    case 'sending':
      return { failed: false, text: 'Being emailed now' };
    case 'pending':
      return email.attempts === 0
        ? { failed: false, text: 'Email waiting to be sent' }
        : {
            failed: true,
            text: `Not emailed yet: ${why}; trying again ${time.minute(email.nextAttemptAt)}`,
          };
  }
}

/**
 * The link's email and its reminders, as the clinician reads them: a
 * planned reminder that will not go (the intake was sent, the link ended,
 * the patient stopped reminders or is archived) says so before its day.
 */
export function emailLines(
  invitation: InvitationResponseDto,
  patient: { readonly archived: boolean; readonly hasAddress: boolean },
  time: ClinicTime,
): EmailLine[] {
  const lines = invitation.email ? [emailLine(invitation.email, time)] : [];
  if (invitation.remindersStoppedAt) {
    lines.push({
      failed: false,
      text: `Reminders stopped by the patient ${time.minute(invitation.remindersStoppedAt)}`,
    });
  }
  const willStop = plannedStop(invitation, patient);
  const planned = invitation.reminders.filter(
    (reminder) => reminder.status === 'pending' && reminder.attempts === 0,
  );
  const parts = invitation.reminders
    .filter((reminder) => !planned.includes(reminder))
    .map((reminder) => {
      const text = emailLine(reminder, time).text;
      return `${time.day(reminder.dueAt)}: ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
    });
  if (planned.length > 0) {
    const days = planned.map((reminder) => time.day(reminder.dueAt)).join(' and ');
    parts.push(willStop ? `${days} not needed (${STOP_LABELS[willStop]})` : `${days} planned`);
  }
  if (parts.length > 0) {
    lines.push({
      failed: invitation.reminders.some(
        (reminder) =>
          reminder.status === 'failed' || (reminder.status === 'pending' && reminder.attempts > 0),
      ),
      text: `Reminders: ${parts.join('; ')}`,
    });
  }
  return lines;
}

/** Why the link's planned reminders will not go, as things stand. */
function plannedStop(
  invitation: InvitationResponseDto,
  patient: { readonly archived: boolean; readonly hasAddress: boolean },
): DeliveryStop | null {
  if (invitation.state === 'used') return 'submitted';
  if (patient.archived) return 'archived';
  if (invitation.state === 'revoked') return 'revoked';
  if (invitation.state === 'expired') return 'expired';
  if (invitation.remindersStoppedAt) return 'opted_out';
  return patient.hasAddress ? null : 'no_address';
}

/** A link to this address opens only on the computer running the service, never on a phone. */
export function onlyThisComputer(publicUrl: string): boolean {
  const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    host === '0.0.0.0' ||
    /^127\./.test(host)
  );
}
