import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { RequestMeta } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { ClinicEntity } from '../clinics/clinic.entity';
import { ClinicScope } from '../common/clinic-scope';
import { ClinicTime, serverTimeZone } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { DeliveryProblem } from '../mail/delivery.entity';
import { DeliveryRepository } from '../mail/delivery.repository';
import { MailTemplates } from '../mail/mail-templates';
import { deliveryProblemOf, Mailer } from '../mail/mailer';
import { InvitationEmailDto, mapEmail } from './invitation.dto';
import { InvitationEntity } from './invitation.entity';

/** Why `send: 'email'` is refused before any link is made (400, at the field `send`). */
export const EMAIL_OFF =
  'Sending links by email is off: an operator sets SMTP_URL and MAIL_FROM to turn it on (README, "Email to patients").';
export const NO_EMAIL_ADDRESS =
  'This patient has no email address: add one to their details, or give the link another way.';

/**
 * Emails a patient their new invitation link. The token exists only while
 * the link is made (only its hash is stored), so this runs in the request
 * that makes it, after the link is committed: a failed send never loses the
 * link, it is recorded (deliveries, and the audit log: outcome only, never
 * the address) and the clinician still has the link to give another way.
 */
@Injectable()
export class InvitationEmailService {
  constructor(
    private readonly mailer: Mailer,
    private readonly templates: MailTemplates,
    private readonly deliveries: DeliveryRepository,
    @InjectRepository(ClinicEntity) private readonly clinics: Repository<ClinicEntity>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
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

  /** Sends the link (`/e/<token>`: a page that asks the patient to continue); records what happened. */
  async send(
    scope: ClinicScope,
    invitation: InvitationEntity,
    link: string,
    address: string,
    meta: RequestMeta,
  ): Promise<InvitationEmailDto> {
    const clinic = await this.clinics.findOneByOrFail({ id: scope.clinicId });
    const time = ClinicTime.of(clinic.timeZone ?? serverTimeZone());
    const message = this.templates.render('invitation', {
      link,
      expiresDay: time.day(invitation.expiresAt) ?? '',
      clinicName: clinic.nameInEmails ? clinic.name : undefined,
    });
    const startedAt = this.clock.now();
    let problem: DeliveryProblem | null = null;
    try {
      await this.mailer.send({ to: address, ...message });
    } catch (error) {
      problem = deliveryProblemOf(error);
    }
    const delivery = await this.deliveries.record(scope, {
      invitationId: invitation.id,
      linkExpiresAt: invitation.expiresAt,
      kind: 'invitation',
      status: problem ? 'failed' : 'sent',
      attempts: 1,
      lastError: problem,
      startedAt,
      endedAt: this.clock.now(),
    });
    await this.audit.recordByUser(scope, meta, {
      action: 'invitation.email',
      targetType: 'invitation',
      targetId: invitation.id,
      patientId: invitation.patientId,
      outcome: problem ? 'failure' : 'success',
      detail: problem ? { outcome: 'failed', problem } : { outcome: 'sent' },
    });
    return mapEmail(delivery);
  }
}
