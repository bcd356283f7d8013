import { Inject, Injectable } from '@nestjs/common';
import { PatientActor, RequestMeta } from '../auth/actor';
import { SessionRepository } from '../auth/session.repository';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { hashToken, newToken } from '../common/tokens';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { linkState, LinkState } from '../invitations/invitation.dto';
import { InvitationEntity } from '../invitations/invitation.entity';
import { InvitationRepository } from '../invitations/invitation.repository';
import { LinkAttemptRepository } from './link-attempt.repository';

/** A patient may pause this long (a break, a phone call) before reopening the link. */
const PATIENT_IDLE_MS = 4 * 3_600_000;
/** A patient session lasts at most a day, and never beyond the link's expiry. */
const PATIENT_MAX_MS = 24 * 3_600_000;
const TOUCH_EVERY_MS = 60_000;
/** Refused link opens count against the client address for this long. */
const LINK_THROTTLE_WINDOW_MS = 15 * 60_000;

export const LINK_THROTTLED = `Too many attempts with invitation links from this network. Wait ${
  LINK_THROTTLE_WINDOW_MS / 60_000
} minutes, or ask the clinic for your link.`;

export type LinkProblem = 'unknown' | Exclude<LinkState, 'active'>;

export class LinkError extends Error {
  constructor(readonly problem: LinkProblem) {
    super(`Invitation link ${problem}`);
    this.name = 'LinkError';
  }
}

/**
 * Exchanges an invitation link's token for a patient session cookie, and
 * resolves that cookie on later requests. The token itself is never kept.
 */
@Injectable()
export class PatientSessionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly invitations: InvitationRepository,
    private readonly sessions: SessionRepository,
    private readonly attempts: LinkAttemptRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Every refused open (no such link, or an expired or revoked one) is
   * audited, without the token, and counts against the client address; past
   * the limit every link from that address is refused, a valid one too.
   */
  async openLink(
    linkToken: string,
    meta: RequestMeta,
  ): Promise<{ token: string; patient: PatientActor }> {
    await this.refuseWhenThrottled(meta);
    const invitation = await this.invitations.findByTokenHash(hashToken(linkToken));
    const now = this.clock.now();
    if (!invitation) {
      await this.audit.record({
        clinicId: null,
        actorType: 'anonymous',
        actorId: null,
        action: 'intake.link_open',
        outcome: 'failure',
        ...meta,
        detail: { problem: 'unknown' },
      });
      throw new LinkError('unknown');
    }
    const state = linkState(invitation, now);
    if (state !== 'active') {
      await this.recordOpen(invitation, meta, 'denied', { problem: state });
      throw new LinkError(state);
    }
    const token = newToken();
    const expiresAt = new Date(
      Math.min(invitation.expiresAt.getTime(), now.getTime() + PATIENT_MAX_MS),
    );
    const session = await this.sessions.create(
      {
        tokenHash: hashToken(token),
        kind: 'patient',
        stage: 'complete',
        clinicId: invitation.clinicId,
        userId: null,
        invitationId: invitation.id,
        createdAt: now,
        lastSeenAt: now,
        expiresAt,
      },
      this.sessions.manager,
    );
    await this.invitations.markFirstUse(invitation.id, now);
    await this.recordOpen(invitation, meta, 'success', {});
    return { token, patient: toPatient(session.id, invitation) };
  }

  /**
   * The patient's "no more reminders", from the stop link in an email (its
   * own token, which can do nothing else): kept on
   * the invitation, so no reminder still planned for it goes (the outbox
   * checks before each). Whatever the link's state, it only turns reminders
   * off, and doing it twice changes nothing. An unknown token is refused
   * and audited as a failed open (it counts against the address the same).
   */
  async stopReminders(stopToken: string, meta: RequestMeta): Promise<InvitationEntity> {
    await this.refuseWhenThrottled(meta);
    const invitation = await this.invitations.findByStopTokenHash(hashToken(stopToken));
    if (!invitation) {
      await this.audit.record({
        clinicId: null,
        actorType: 'anonymous',
        actorId: null,
        action: 'intake.link_open',
        outcome: 'failure',
        ...meta,
        detail: { problem: 'unknown', to: 'stop_reminders' },
      });
      throw new LinkError('unknown');
    }
    const now = this.clock.now();
    if (await this.invitations.stopReminders(invitation.id, now)) {
      await this.audit.record({
        clinicId: invitation.clinicId,
        actorType: 'patient',
        actorId: invitation.id,
        action: 'invitation.reminders_stop',
        targetType: 'invitation',
        targetId: invitation.id,
        patientId: invitation.patientId,
        outcome: 'success',
        ...meta,
      });
    }
    return invitation;
  }

  /** The patient behind a cookie, or undefined once the session or its link has ended. */
  async resolve(token: string): Promise<PatientActor | undefined> {
    const found = await this.sessions.findPatientSession(hashToken(token));
    if (!found) return undefined;
    const { session, invitation } = found;
    const now = this.clock.now();
    const idle = now.getTime() - session.lastSeenAt.getTime();
    if (
      now.getTime() >= session.expiresAt.getTime() ||
      idle >= PATIENT_IDLE_MS ||
      linkState(invitation, now) !== 'active'
    ) {
      await this.sessions.delete(session.id);
      return undefined;
    }
    if (idle >= TOUCH_EVERY_MS) await this.sessions.touch(session.id, now);
    return toPatient(session.id, invitation);
  }

  /**
   * Refuses before the token is even looked up, so a throttled address learns
   * nothing about the links it tries. Counted from the audit log, the limit
   * holds across every instance on the database. Refusals here are audited
   * under their own action and do not extend the wait, as for sign-ins.
   */
  private async refuseWhenThrottled(meta: RequestMeta): Promise<void> {
    if (!meta.ip) return;
    const since = new Date(this.clock.now().getTime() - LINK_THROTTLE_WINDOW_MS);
    const failures = await this.attempts.failuresFrom(meta.ip, since);
    if (failures < this.config.invitationLinkMaxFailures) return;
    await this.audit.record({
      clinicId: null,
      actorType: 'anonymous',
      actorId: null,
      action: 'intake.link_open_throttled',
      outcome: 'denied',
      ...meta,
      detail: { failures },
    });
    throw new DomainError(
      ErrorCode.TooManyAttempts,
      LINK_THROTTLED,
      [],
      LINK_THROTTLE_WINDOW_MS / 1000,
    );
  }

  private recordOpen(
    invitation: InvitationEntity,
    meta: RequestMeta,
    outcome: 'success' | 'denied',
    detail: Record<string, string>,
  ): Promise<void> {
    return this.audit.record({
      clinicId: invitation.clinicId,
      actorType: 'patient',
      actorId: invitation.id,
      action: 'intake.link_open',
      targetType: 'invitation',
      targetId: invitation.id,
      patientId: invitation.patientId,
      outcome,
      ...meta,
      detail,
    });
  }
}

function toPatient(sessionId: string, invitation: InvitationEntity): PatientActor {
  return {
    kind: 'patient',
    sessionId,
    invitationId: invitation.id,
    clinicId: invitation.clinicId,
    patientId: invitation.patientId,
    protocol: invitation.protocol,
  };
}
