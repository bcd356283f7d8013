import { Injectable } from '@nestjs/common';
import { RequestMeta } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError, ErrorCode } from '../common/domain-error';
import { Mailer } from '../mail/mailer';
import { InvitationEmailDto, mapEmail } from './invitation.dto';
import { InvitationEntity } from './invitation.entity';
import { InvitationOutbox } from './invitation-outbox';

/** Why `send: 'email'` is refused before any link is made (400, at the field `send`). */
export const EMAIL_OFF =
  'Sending links by email is off: an operator sets SMTP_URL and MAIL_FROM to turn it on (README, "Email to patients").';
export const NO_EMAIL_ADDRESS =
  'This patient has no email address: add one to their details, or give the link another way.';

/**
 * Emails a patient their link, from a clinician's request: the email and its
 * reminders are queued in the outbox and the first try is made at once, so
 * the clinician sees whether it went. A failed try never loses the link: the
 * outbox tries again with backoff, the patient page shows how it stands, and
 * the clinician still has the link to give another way.
 */
@Injectable()
export class InvitationEmailService {
  constructor(
    private readonly mailer: Mailer,
    private readonly outbox: InvitationOutbox,
    private readonly audit: AuditService,
  ) {}

  get enabled(): boolean {
    return this.mailer.enabled;
  }

  /** Throws the 400 that `send: 'email'` gets when it cannot be done; checked before the link is made. */
  refuseUnsendable(address: string | null): asserts address is string {
    const problem = !this.mailer.enabled ? EMAIL_OFF : !address ? NO_EMAIL_ADDRESS : undefined;
    if (problem) {
      throw new DomainError(ErrorCode.ValidationFailed, problem, [
        { field: 'send', message: problem },
      ]);
    }
  }

  /** Emails the link as it is now issued (a page that asks the patient to continue); how the first try went. */
  async send(
    scope: ClinicScope,
    invitation: InvitationEntity,
    meta: RequestMeta,
  ): Promise<InvitationEmailDto> {
    const { id, recent } = await this.outbox.schedule(scope, invitation);
    if (!recent) return mapEmail(await this.outbox.attempt(id, { scope, meta }));
    // Asked again a moment after it went (a double click, a retried POST): nothing new is sent.
    await this.audit.recordByUser(scope, meta, {
      action: 'invitation.email',
      targetType: 'invitation',
      targetId: invitation.id,
      patientId: invitation.patientId,
      outcome: 'success',
      detail: { outcome: 'sent_a_moment_ago' },
    });
    return mapEmail(await this.outbox.find(id));
  }
}
