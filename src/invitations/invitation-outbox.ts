import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RequestMeta } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { ClinicTime, serverTimeZone } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { hashToken, newToken } from '../common/tokens';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import {
  DeliveryEntity,
  DeliveryKind,
  DeliveryProblem,
  DeliveryStatus,
} from '../mail/delivery.entity';
import { MailTemplates, RenderedMail } from '../mail/mail-templates';
import { deliveryProblemOf, Mailer } from '../mail/mailer';
import { InvitationEntity } from './invitation.entity';
import { LinkFacts, nextAttemptAfter, reminderDueDates, stopReason } from './reminder-schedule';

/** Who set a try going: a clinician's request (the first try of an email they asked for), or the service. */
export type TriedBy = { readonly scope: ClinicScope; readonly meta: RequestMeta } | 'service';

/** A second request to email the same link this soon sends nothing new (a retried POST, a double click). */
const RESEND_AFTER_MS = 60_000;

interface DueRow {
  id: string;
  clinic_id: string;
  invitation_id: string;
  kind: DeliveryKind;
  sequence: number;
  attempts: number;
  link_expires_at: Date;
}

interface LinkRow {
  patient_id: string;
  revoked_at: Date | null;
  expires_at: Date;
  reminders_stopped_at: Date | null;
  first_used_at: Date | null;
  archived_at: Date | null;
  email: string | null;
  clinic_name: string;
  name_in_emails: boolean;
  time_zone: string | null;
}

/**
 * Emails to patients about their links, through an outbox in PostgreSQL
 * (`deliveries`): an email is a row before it is sent, so none is lost when
 * a send fails or an instance stops, and each is tried by one instance at a
 * time. A try takes the due row with FOR UPDATE SKIP LOCKED (another
 * instance skips it), then shares the locks of the intake, the link and the
 * patient while it decides and sends: submitting, revoking, re-issuing or
 * archiving at that moment waits for the send, and once one of them has
 * committed no email about the link goes (stopReason). A failed try is
 * retried with backoff (nextAttemptAfter) and then shown as failed.
 *
 * Each email carries a fresh link token of its own (`email_links`); the
 * invitation's token is never kept, and a reminder must still open it.
 */
@Injectable()
export class InvitationOutbox {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly templates: MailTemplates,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Queues the email of the link as issued now, due at once, with its
   * reminders on the clinic's schedule (unless the patient stopped them).
   * Scheduling the same issue again adds no reminders; an email of it still
   * waiting for a retry, or sent in the last minute, is returned instead of
   * a new one. The id of the email to try.
   */
  async schedule(scope: ClinicScope, invitation: InvitationEntity): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const [link] = await manager.query<
        { expires_at: Date; reminders_stopped_at: Date | null; reminder_days: number[] }[]
      >(
        `SELECT i.expires_at, i.reminders_stopped_at, c.reminder_days
         FROM invitations i JOIN clinics c ON c.id = i.clinic_id
         WHERE i.clinic_id = $1 AND i.id = $2 FOR NO KEY UPDATE OF i`,
        [scope.clinicId, invitation.id],
      );
      const [recent] = await manager.query<{ id: string }[]>(
        `SELECT id FROM deliveries
         WHERE clinic_id = $1 AND invitation_id = $2 AND kind = 'invitation' AND link_expires_at = $3
           AND (status = 'pending' OR sent_at > $4)
         ORDER BY created_at DESC LIMIT 1`,
        [scope.clinicId, invitation.id, link.expires_at, new Date(now.getTime() - RESEND_AFTER_MS)],
      );
      if (recent) return recent.id;
      const [email] = await this.insert(manager, scope, invitation.id, link.expires_at, {
        kind: 'invitation',
        sequence: 0,
        dueAt: now,
      });
      if (!link.reminders_stopped_at) {
        for (const { sequence, dueAt } of reminderDueDates(
          now,
          link.reminder_days,
          link.expires_at,
        )) {
          await this.insert(manager, scope, invitation.id, link.expires_at, {
            kind: 'reminder',
            sequence,
            dueAt,
          });
        }
      }
      return email.id;
    });
  }

  /** Tries this email now if it is waiting and due; what became of it. */
  async attempt(id: string, by: TriedBy): Promise<DeliveryEntity> {
    const tried = await this.tryNext(by, id);
    if (tried) return tried;
    const [row] = await this.dataSource.getRepository(DeliveryEntity).findBy({ id });
    return row;
  }

  /**
   * Tries every email that is due, one at a time, until none is left or
   * `limit` were tried; how many were. Several instances may run this at
   * once: each takes different rows.
   */
  async sendDue(limit = 100): Promise<number> {
    if (!this.mailer.enabled) return 0;
    let tried = 0;
    while (tried < limit && (await this.tryNext('service'))) tried += 1;
    return tried;
  }

  private async insert(
    manager: EntityManager,
    scope: ClinicScope,
    invitationId: string,
    linkExpiresAt: Date,
    email: { kind: DeliveryKind; sequence: number; dueAt: Date },
  ): Promise<{ id: string }[]> {
    return manager.query<{ id: string }[]>(
      `INSERT INTO deliveries (clinic_id, invitation_id, kind, sequence, status, attempts,
         link_expires_at, due_at, next_attempt_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'pending', 0, $5, $6, $6, $7, $7)
       ON CONFLICT (invitation_id, link_expires_at, sequence) WHERE kind = 'reminder' DO NOTHING
       RETURNING id`,
      [
        scope.clinicId,
        invitationId,
        email.kind,
        email.sequence,
        linkExpiresAt,
        email.dueAt,
        this.clock.now(),
      ],
    );
  }

  /** One try of the next due email (or of `id`), in one transaction; undefined when none is due. */
  private async tryNext(by: TriedBy, id?: string): Promise<DeliveryEntity | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const [due] = await manager.query<DueRow[]>(
        `SELECT id, clinic_id, invitation_id, kind, sequence, attempts, link_expires_at
         FROM deliveries
         WHERE status = 'pending' AND next_attempt_at <= $1 ${id ? 'AND id = $2' : ''}
         ORDER BY next_attempt_at, id LIMIT 1
         FOR UPDATE SKIP LOCKED`,
        id ? [now, id] : [now],
      );
      if (!due) return undefined;
      const { link, facts } = await this.lockLink(manager, due);
      const stop = stopReason(due.kind, due.link_expires_at, facts, now);
      if (stop) {
        return this.update(manager, due.id, {
          status: 'cancelled',
          stoppedBecause: stop,
          nextAttemptAt: null,
          updatedAt: now,
        });
      }
      const problem = await this.send(manager, due, link, facts.patientEmail!);
      const attempts = due.attempts + 1;
      const retryAt = problem ? nextAttemptAfter(attempts, now) : null;
      const status: DeliveryStatus = !problem
        ? 'sent'
        : retryAt && retryAt < due.link_expires_at
          ? 'pending'
          : 'failed';
      await this.record(manager, by, due, link, status, attempts, problem);
      return this.update(manager, due.id, {
        status,
        attempts,
        lastError: problem,
        nextAttemptAt: status === 'pending' ? retryAt : null,
        sentAt: problem ? null : now,
        updatedAt: this.clock.now(),
      });
    });
  }

  /**
   * The link and its patient as they are now, under shared locks taken in
   * the order every writer takes them (the intake first, as submitting
   * does), so a send and a change of any of them go one after the other.
   */
  private async lockLink(
    manager: EntityManager,
    due: DueRow,
  ): Promise<{ link: LinkRow; facts: LinkFacts }> {
    const params = [due.clinic_id, due.invitation_id];
    const [intake] = await manager.query<{ status: LinkFacts['intakeStatus'] }[]>(
      'SELECT status FROM intakes WHERE clinic_id = $1 AND invitation_id = $2 FOR SHARE',
      params,
    );
    const [link] = await manager.query<LinkRow[]>(
      `SELECT i.patient_id, i.revoked_at, i.expires_at, i.reminders_stopped_at, i.first_used_at,
         p.archived_at, p.email, c.name AS clinic_name, c.name_in_emails, c.time_zone
       FROM invitations i
       JOIN patients p ON p.clinic_id = i.clinic_id AND p.id = i.patient_id
       JOIN clinics c ON c.id = i.clinic_id
       WHERE i.clinic_id = $1 AND i.id = $2
       FOR SHARE OF i, p`,
      params,
    );
    return {
      link,
      facts: {
        revokedAt: link.revoked_at,
        expiresAt: link.expires_at,
        remindersStoppedAt: link.reminders_stopped_at,
        patientArchivedAt: link.archived_at,
        patientEmail: link.email,
        intakeStatus: intake?.status ?? null,
      },
    };
  }

  /** Mints the email's own link, renders and sends it; the class of the failure, or null. */
  private async send(
    manager: EntityManager,
    due: DueRow,
    link: LinkRow,
    address: string,
  ): Promise<DeliveryProblem | null> {
    const token = newToken();
    // Kept even if the send fails: a server that timed out may still have delivered it.
    await manager.query(
      `INSERT INTO email_links (token_hash, clinic_id, invitation_id, delivery_id, created_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [hashToken(token), due.clinic_id, due.invitation_id, due.id, this.clock.now()],
    );
    const url = `${this.config.publicUrl}/e/${token}`;
    const stopUrl = `${url}/stop`;
    const message = await this.render(manager, due, link, url, stopUrl);
    try {
      await this.mailer.send({
        to: address,
        ...message,
        unsubscribe: message.stops ? stopUrl : undefined,
      });
      return null;
    } catch (error) {
      return deliveryProblemOf(error);
    }
  }

  private async render(
    manager: EntityManager,
    due: DueRow,
    link: LinkRow,
    url: string,
    stopUrl: string,
  ): Promise<RenderedMail & { stops: boolean }> {
    const common = {
      link: url,
      expiresDay: ClinicTime.of(link.time_zone ?? serverTimeZone()).day(link.expires_at) ?? '',
      clinicName: link.name_in_emails ? link.clinic_name : undefined,
    };
    if (due.kind === 'reminder') {
      const started = link.first_used_at !== null;
      return {
        ...this.templates.render('reminder', { ...common, stopLink: stopUrl, started }),
        stops: true,
      };
    }
    const [{ planned }] = await manager.query<{ planned: number }[]>(
      `SELECT count(*)::int AS planned FROM deliveries
       WHERE clinic_id = $1 AND invitation_id = $2 AND kind = 'reminder' AND status = 'pending'
         AND link_expires_at = $3`,
      [due.clinic_id, due.invitation_id, due.link_expires_at],
    );
    const reminders = link.reminders_stopped_at ? 0 : planned;
    return {
      ...this.templates.render('invitation', {
        ...common,
        stopLink: reminders > 0 ? stopUrl : undefined,
        reminders,
        oneReminder: reminders === 1,
      }),
      stops: reminders > 0,
    };
  }

  /** Each try in the audit log: its outcome and the class of a failure, never the address. */
  private async record(
    manager: EntityManager,
    by: TriedBy,
    due: DueRow,
    link: LinkRow,
    status: DeliveryStatus,
    attempt: number,
    problem: DeliveryProblem | null,
  ): Promise<void> {
    const event = {
      action:
        due.kind === 'invitation'
          ? ('invitation.email' as const)
          : ('invitation.reminder' as const),
      targetType: 'invitation',
      targetId: due.invitation_id,
      patientId: link.patient_id,
      outcome: problem ? ('failure' as const) : ('success' as const),
      detail: {
        outcome: status === 'pending' ? 'retrying' : status,
        ...(problem ? { problem } : {}),
        attempt,
        ...(due.kind === 'reminder' ? { reminder: due.sequence } : {}),
      },
    };
    if (by === 'service') {
      await this.audit.record(
        { clinicId: due.clinic_id, actorType: 'system', actorId: null, ...event },
        manager,
      );
    } else {
      await this.audit.recordByUser(by.scope, by.meta, event, manager);
    }
  }

  private async update(
    manager: EntityManager,
    id: string,
    changes: Partial<DeliveryEntity>,
  ): Promise<DeliveryEntity> {
    const repository = manager.getRepository(DeliveryEntity);
    await repository.update({ id }, changes);
    return repository.findOneByOrFail({ id });
  }
}
