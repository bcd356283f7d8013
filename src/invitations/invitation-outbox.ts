import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RequestMeta } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { ClinicTime, serverTimeZone } from '../common/clinic-time';
import { Clock } from '../common/clock';
import { hashToken, newToken } from '../common/tokens';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { OutboxTable } from '../database/outbox-table';
import {
  DeliveryEntity,
  DeliveryKind,
  DeliveryProblem,
  DeliveryStatus,
} from '../mail/delivery.entity';
import { MailTemplates, RenderedMail } from '../mail/mail-templates';
import { deliveryProblemOf, Mailer, OutgoingMail } from '../mail/mailer';
import { DosingAdviceError } from '../safety/dosing-guard';
import { EmailLinkPurpose } from './email-link.entity';
import { InvitationEntity } from './invitation.entity';
import { LinkFacts, nextAttemptAfter, reminderDueDates, stopReason } from './reminder-schedule';

/** Who set a try going: a clinician's request (the first try of an email they asked for), or the service. */
export type TriedBy = { readonly scope: ClinicScope; readonly meta: RequestMeta } | 'service';

/** A second request to email the same link this soon sends nothing new (a retried POST, a double click). */
const RESEND_AFTER_MS = 60_000;
/** The longest a send may take, end to end, however slowly the mail server answers. */
const SEND_LIMIT_MS = 60_000;
/**
 * How long a claimed email is an instance's to send. Well past SEND_LIMIT_MS:
 * only an instance that died mid-send leaves one this long, and another
 * then takes it up.
 */
const LEASE_MS = 10 * 60_000;

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

/** An email claimed for one try: what to send, or why it cannot be made. */
interface Claim {
  readonly due: DueRow;
  readonly attempt: number;
  readonly patientId: string;
  readonly mail: OutgoingMail | DeliveryProblem;
}

/** A claim that failed after its row was taken: the row, and why. */
class ClaimFailed extends Error {
  constructor(
    readonly row: DueRow,
    cause: unknown,
  ) {
    super('Claiming an email failed', { cause });
  }
}

/** The email of a link as issued now, queued; `recent`: it was sent a moment ago, nothing new is queued. */
export interface Scheduled {
  readonly id: string;
  readonly recent: boolean;
}

/**
 * Emails to patients about their links, through an outbox in PostgreSQL
 * (`deliveries`, tried as OutboxTable says): an email is a row before it is
 * sent, so none is lost when a send fails or an instance stops, and each is
 * sent by one instance.
 *
 * Each try has three steps:
 * 1. Claim, in one short transaction. Take the due row with FOR UPDATE SKIP
 *    LOCKED, so another instance skips it. Take shared locks on the
 *    patient, the link and the intake, in the order their writers take
 *    them, so a submit, revoke, re-issue or archive still in flight commits
 *    first. Decide whether the email may still go (stopReason). Mint its
 *    link tokens, render it, count the try and lease the row (`sending`).
 * 2. Send, with no transaction or lock held, within SEND_LIMIT_MS.
 * 3. Record the outcome and its audit event in one transaction: sent, or
 *    retried with backoff (nextAttemptAfter), or failed.
 *
 * An instance that dies between 1 and 3 leaves a lease that ends; the email
 * is then tried again, so it may arrive twice, and both copies' links work.
 * One email that cannot be made never holds up the others.
 */
@Injectable()
export class InvitationOutbox {
  private readonly logger = new Logger(InvitationOutbox.name);
  private readonly rows = new OutboxTable('deliveries', LEASE_MS);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly templates: MailTemplates,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Queues the email of the link as issued now, due at once, and plans its
   * reminders on the clinic's schedule (unless the patient stopped them, or
   * some are planned already). An email of this issue waiting for a retry is
   * made due now instead; one being sent, or sent in the last minute, is
   * returned as it is.
   */
  async schedule(scope: ClinicScope, invitation: InvitationEntity): Promise<Scheduled> {
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
      const issue = [scope.clinicId, invitation.id, link.expires_at];
      const [recent] = await manager.query<{ id: string; status: DeliveryStatus }[]>(
        `SELECT id, status FROM deliveries
         WHERE clinic_id = $1 AND invitation_id = $2 AND kind = 'invitation' AND link_expires_at = $3
           AND (status IN ('pending', 'sending') OR sent_at > $4)
         ORDER BY created_at DESC LIMIT 1`,
        [...issue, new Date(now.getTime() - RESEND_AFTER_MS)],
      );
      if (recent?.status === 'pending') {
        await manager.query(`UPDATE deliveries SET next_attempt_at = $2 WHERE id = $1`, [
          recent.id,
          now,
        ]);
        return { id: recent.id, recent: false };
      }
      if (recent) return { id: recent.id, recent: true };
      const [email] = await this.insert(manager, scope, invitation.id, link.expires_at, {
        kind: 'invitation',
        sequence: 0,
        dueAt: now,
      });
      const [{ planned }] = await manager.query<{ planned: boolean }[]>(
        `SELECT EXISTS (SELECT 1 FROM deliveries
           WHERE clinic_id = $1 AND invitation_id = $2 AND kind = 'reminder' AND link_expires_at = $3
         ) AS planned`,
        issue,
      );
      if (!link.reminders_stopped_at && !planned) {
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
      return { id: email.id, recent: false };
    });
  }

  /** Tries this email now if it is waiting and due; what became of it. */
  async attempt(id: string, by: TriedBy): Promise<DeliveryEntity> {
    await this.tryNext(by, id);
    return this.find(id);
  }

  find(id: string): Promise<DeliveryEntity> {
    return this.dataSource.getRepository(DeliveryEntity).findOneByOrFail({ id });
  }

  /**
   * Tries every email that is due, one at a time, until none is left, `limit`
   * were tried, or the service is stopping; how many were. Several instances
   * may run this at once: each takes different rows.
   */
  async sendDue(limit = 100): Promise<number> {
    if (!this.mailer.enabled) return 0;
    return this.rows.drain(() => this.tryNext('service'), limit);
  }

  /** No new try starts after this (a try under way finishes). */
  stop(): void {
    this.rows.stop();
  }

  /** One try of the next due email (or of `id`); false when none was due. */
  private async tryNext(by: TriedBy, id?: string): Promise<boolean> {
    let claim: Claim | 'stopped' | undefined;
    try {
      claim = await this.claim(id);
    } catch (error) {
      if (!(error instanceof ClaimFailed)) throw error;
      this.logger.warn({ err: error.cause }, 'An email to a patient could not be claimed');
      await this.putBack(error.row);
      return true;
    }
    if (!claim) return false;
    if (claim === 'stopped') return true;
    const problem = typeof claim.mail === 'string' ? claim.mail : await this.send(claim.mail);
    await this.record(claim, problem, by);
    return true;
  }

  /** Step 1: see the class comment. Undefined when none is due; 'stopped' when it may not go. */
  private claim(id?: string): Promise<Claim | 'stopped' | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const due = await this.rows.takeDue<DueRow>(
        manager,
        'id, clinic_id, invitation_id, kind, sequence, attempts, link_expires_at',
        now,
        id,
      );
      if (!due) return undefined;
      try {
        return await this.decide(manager, due, now);
      } catch (cause) {
        throw new ClaimFailed(due, cause);
      }
    });
  }

  /** The rest of step 1, for the row taken. */
  private async decide(manager: EntityManager, due: DueRow, now: Date): Promise<Claim | 'stopped'> {
    {
      const { link, facts } = await this.lockLink(manager, due, now);
      const stop = stopReason(due.kind, due.link_expires_at, facts, now);
      if (stop) {
        await manager.query(
          `UPDATE deliveries SET status = 'cancelled', stopped_because = $2, next_attempt_at = NULL,
             updated_at = $3 WHERE id = $1`,
          [due.id, stop, now],
        );
        return 'stopped';
      }
      const attempt = due.attempts + 1;
      await this.rows.lease(manager, due.id, attempt, now);
      const mail = await this.compose(manager, due, link, facts.patientEmail!);
      return { due, attempt, patientId: link.patient_id, mail };
    }
  }

  /**
   * A row whose claim failed (its transaction rolled back) counts a failed
   * try and waits its backoff, so the next poll moves on to other emails
   * rather than taking it first again.
   */
  private async putBack(due: DueRow): Promise<void> {
    const now = this.clock.now();
    const attempts = due.attempts + 1;
    const retryAt = nextAttemptAfter(attempts, now);
    const failed = !retryAt || retryAt >= due.link_expires_at;
    await this.dataSource.query(
      `UPDATE deliveries SET attempts = $2, last_error = 'error', status = $3, next_attempt_at = $4,
         updated_at = $5
       WHERE id = $1 AND status IN ('pending', 'sending') AND attempts = $6`,
      [due.id, attempts, failed ? 'failed' : 'pending', failed ? null : retryAt, now, due.attempts],
    );
  }

  /**
   * The link and its patient as they are now, under shared locks taken in
   * the order their writers take them (the patient before the link, as
   * re-issuing and archiving do; the intake last), so a change still in
   * flight commits before the decision.
   */
  private async lockLink(
    manager: EntityManager,
    due: DueRow,
    now: Date,
  ): Promise<{ link: LinkRow; facts: LinkFacts }> {
    const params = [due.clinic_id, due.invitation_id];
    await manager.query(
      `SELECT 1 FROM patients p
       WHERE p.clinic_id = $1
         AND p.id = (SELECT patient_id FROM invitations WHERE clinic_id = $1 AND id = $2)
       FOR SHARE`,
      params,
    );
    const [link] = await manager.query<LinkRow[]>(
      `SELECT i.patient_id, i.revoked_at, i.expires_at, i.reminders_stopped_at, i.first_used_at,
         p.archived_at, p.email, c.name AS clinic_name, c.name_in_emails, c.time_zone
       FROM invitations i
       JOIN patients p ON p.clinic_id = i.clinic_id AND p.id = i.patient_id
       JOIN clinics c ON c.id = i.clinic_id
       WHERE i.clinic_id = $1 AND i.id = $2
       FOR SHARE OF i`,
      params,
    );
    const [intake] = await manager.query<{ status: LinkFacts['intakeStatus'] }[]>(
      'SELECT status FROM intakes WHERE clinic_id = $1 AND invitation_id = $2 FOR SHARE',
      params,
    );
    const [{ later }] = await manager.query<{ later: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM deliveries
         WHERE clinic_id = $1 AND invitation_id = $2 AND kind = 'reminder' AND link_expires_at = $3
           AND sequence > $4 AND status = 'pending' AND due_at <= $5
       ) AS later`,
      [...params, due.link_expires_at, due.sequence, now],
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
        laterReminderDue: due.kind === 'reminder' && later,
      },
    };
  }

  /**
   * The email with its own links (stored as hashes, kept whatever becomes of
   * the send: a server that timed out may still deliver it), or why it could
   * not be made.
   */
  private async compose(
    manager: EntityManager,
    due: DueRow,
    link: LinkRow,
    address: string,
  ): Promise<OutgoingMail | DeliveryProblem> {
    const url = `${this.config.publicUrl}/e/${await this.mint(manager, due, 'open')}`;
    const stopUrl = `${this.config.publicUrl}/e/${await this.mint(manager, due, 'stop')}/stop`;
    const common = {
      link: url,
      expiresDay: ClinicTime.of(link.time_zone ?? serverTimeZone()).day(link.expires_at) ?? '',
      clinicName: link.name_in_emails ? link.clinic_name : undefined,
    };
    const reminders = due.kind === 'reminder' ? 0 : await this.plannedReminders(manager, due, link);
    const render = (clinicName: string | undefined): RenderedMail =>
      due.kind === 'reminder'
        ? this.templates.render('reminder', {
            ...common,
            clinicName,
            stopLink: stopUrl,
            started: link.first_used_at !== null,
          })
        : this.templates.render('invitation', {
            ...common,
            clinicName,
            stopLink: reminders > 0 ? stopUrl : undefined,
            reminders,
            oneReminder: reminders === 1,
          });
    const stops = due.kind === 'reminder' || reminders > 0;
    const mail = (clinicName: string | undefined): OutgoingMail => ({
      to: address,
      ...render(clinicName),
      unsubscribe: stops ? stopUrl : undefined,
    });
    try {
      try {
        return mail(common.clinicName);
      } catch (error) {
        // A clinic name the guard reads as advice (refused when saved since): "your clinic" instead.
        if (!(error instanceof DosingAdviceError) || !common.clinicName) throw error;
        return mail(undefined);
      }
    } catch (error) {
      // Recorded as a failed try, like a send: one email that cannot be made holds up no other.
      this.logger.warn({ err: error }, 'An email to a patient could not be made');
      return 'error';
    }
  }

  private async mint(
    manager: EntityManager,
    due: DueRow,
    purpose: EmailLinkPurpose,
  ): Promise<string> {
    const token = newToken();
    await manager.query(
      `INSERT INTO email_links (token_hash, clinic_id, invitation_id, delivery_id, purpose, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [hashToken(token), due.clinic_id, due.invitation_id, due.id, purpose, this.clock.now()],
    );
    return token;
  }

  /** How many reminders the invitation email can promise. */
  private async plannedReminders(
    manager: EntityManager,
    due: DueRow,
    link: LinkRow,
  ): Promise<number> {
    if (link.reminders_stopped_at) return 0;
    const [{ planned }] = await manager.query<{ planned: number }[]>(
      `SELECT count(*)::int AS planned FROM deliveries
       WHERE clinic_id = $1 AND invitation_id = $2 AND kind = 'reminder' AND status = 'pending'
         AND link_expires_at = $3`,
      [due.clinic_id, due.invitation_id, due.link_expires_at],
    );
    return planned;
  }

  /** Step 2: the send, bounded in time; the class of the failure, or null. */
  private async send(mail: OutgoingMail): Promise<DeliveryProblem | null> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error('Send took too long'), { code: 'ETIMEDOUT' })),
        SEND_LIMIT_MS,
      );
    });
    try {
      await Promise.race([this.mailer.send(mail), limit]);
      return null;
    } catch (error) {
      return deliveryProblemOf(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Step 3: the outcome, while the row is still this try's (a lease that
   * ran out and was taken up again belongs to the newer try), with its
   * audit event: the outcome and the class of a failure, never the address.
   */
  private async record(claim: Claim, problem: DeliveryProblem | null, by: TriedBy): Promise<void> {
    const { due, attempt } = claim;
    const now = this.clock.now();
    const retryAt = problem ? nextAttemptAfter(attempt, now) : null;
    const status: DeliveryStatus = !problem
      ? 'sent'
      : retryAt && retryAt < due.link_expires_at
        ? 'pending'
        : 'failed';
    await this.dataSource.transaction(async (manager) => {
      const recorded = await this.rows.settle(manager, due.id, attempt, {
        status,
        last_error: problem,
        next_attempt_at: status === 'pending' ? retryAt : null,
        sent_at: problem ? null : now,
        updated_at: now,
      });
      if (!recorded) return;
      const event = {
        action:
          due.kind === 'invitation'
            ? ('invitation.email' as const)
            : ('invitation.reminder' as const),
        targetType: 'invitation',
        targetId: due.invitation_id,
        patientId: claim.patientId,
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
    });
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
}
