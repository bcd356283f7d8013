import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RequestMeta } from '../auth/actor';
import { SessionRepository } from '../auth/session.repository';
import { AuditAction } from '../audit/audit-actions';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { Protocol, PROTOCOL_LABELS } from '../common/protocol';
import { hashToken, newToken } from '../common/tokens';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { PatientRepository } from '../patients/patient.repository';
import {
  InvitationCreateDto,
  InvitationLinkDto,
  InvitationResponseDto,
  InvitationState,
  invitationState,
  mapInvitation,
} from './invitation.dto';
import { InvitationEntity } from './invitation.entity';
import { InvitationRepository } from './invitation.repository';
import { DeliveryRepository } from '../mail/delivery.repository';
import { InvitationEmailService } from './invitation-email.service';

/** Why no link is made for an archived patient (409). */
export const PATIENT_ARCHIVED =
  'This patient is archived: unarchive them to make or re-issue a link.';

/** Read under the patient's row lock, so an archiving at the same moment goes first or after. */
function refuseArchived(patient: { archived: boolean }): void {
  if (patient.archived) throw new DomainError(ErrorCode.Conflict, PATIENT_ARCHIVED);
}

/**
 * Invitation links: a 256-bit random token, shown once and stored only as its
 * SHA-256. Revoking ends the link and any patient session opened with it;
 * re-issuing gives the same invitation (and its answers) a new link.
 */
@Injectable()
export class InvitationsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly invitations: InvitationRepository,
    private readonly patients: PatientRepository,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    private readonly emails: InvitationEmailService,
    private readonly deliveries: DeliveryRepository,
  ) {}

  /**
   * A new link. While the patient has an active link of the same protocol
   * (not used, revoked or expired), this is refused with 409 unless
   * `replace` is set; then that link is revoked in the same transaction.
   * Expired links of the protocol that were never sent are revoked with it:
   * the new link takes their place, and a half-filled intake behind one no
   * longer keeps the patient "in progress". The patient's row lock makes two
   * requests at once take turns. Refused (409) while the patient is archived.
   */
  async create(
    scope: ClinicScope,
    patientId: string,
    dto: InvitationCreateDto,
    meta: RequestMeta,
  ): Promise<InvitationLinkDto> {
    const patient = await this.patients.findById(scope, patientId);
    if (!patient) throw DomainError.notFound('The patient');
    // Before anything is made: a link is not half-made for an email that cannot go.
    if (dto.send === 'email') this.emails.refuseUnsendable(patient.email);
    const token = newToken();
    const now = this.clock.now();
    const { invitation, replaced } = await this.dataSource.transaction(async (manager) => {
      refuseArchived(await this.invitations.lockPatient(scope, patientId, manager));
      const open = await this.openLinks(scope, patientId, dto.protocol, now, manager);
      if (open.some(({ state }) => state === 'active') && dto.replace !== true) {
        throw new DomainError(
          ErrorCode.Conflict,
          `This patient already has an active ${PROTOCOL_LABELS[dto.protocol]} link. Send replace: true to revoke it and make a new one.`,
        );
      }
      const active = open.map(({ invitation }) => invitation);
      for (const old of active) {
        await this.invitations.update(scope, old.id, { revokedAt: now }, manager);
        await this.sessions.deleteForInvitation(old.id, manager);
      }
      const created = await this.invitations.create(
        scope,
        {
          patientId,
          protocol: dto.protocol,
          tokenHash: hashToken(token),
          createdAt: now,
          expiresAt: this.expiryFrom(now),
        },
        manager,
      );
      return { invitation: created, replaced: active };
    });
    for (const old of replaced) {
      await this.record(scope, meta, 'invitation.revoke', { ...old, revokedAt: now });
    }
    await this.record(scope, meta, 'invitation.create', invitation);
    if (dto.send === 'email') await this.emails.send(scope, invitation, meta);
    return { ...(await this.get(scope, invitation.id)), link: this.linkFor(token) };
  }

  /** The patient's links of a protocol not revoked and not used: active or expired. */
  private async openLinks(
    scope: ClinicScope,
    patientId: string,
    protocol: Protocol,
    now: Date,
    manager: EntityManager,
  ): Promise<{ invitation: InvitationEntity; state: InvitationState }[]> {
    return (await this.invitations.listForPatient(scope, patientId, manager))
      .filter(({ invitation }) => invitation.protocol === protocol)
      .map(({ invitation, intake }) => ({
        invitation,
        state: invitationState(invitation, now, intake),
      }))
      .filter(({ state }) => state === 'active' || state === 'expired');
  }

  /** The patient's links, newest first; audited (the patient's record is read). */
  async list(
    scope: ClinicScope,
    patientId: string,
    meta: RequestMeta,
  ): Promise<InvitationResponseDto[]> {
    const links = await this.listOnPatientPage(scope, patientId);
    await this.audit.recordByUser(scope, meta, {
      action: 'invitation.list',
      targetType: 'patient',
      targetId: patientId,
      patientId,
      outcome: 'success',
      detail: { count: links.length },
    });
    return links;
  }

  /**
   * The same, not audited by itself: for the patient page, whose own view
   * event (`patient.view`) covers everything it shows.
   */
  async listOnPatientPage(scope: ClinicScope, patientId: string): Promise<InvitationResponseDto[]> {
    if (!(await this.patients.findById(scope, patientId)))
      throw DomainError.notFound('The patient');
    const now = this.clock.now();
    const links = await this.invitations.listForPatient(scope, patientId);
    const emails = await this.deliveries.forInvitations(
      scope,
      links.map(({ invitation }) => invitation.id),
    );
    return links.map(({ invitation, intake }) =>
      mapInvitation(invitation, now, intake, emails.get(invitation.id)),
    );
  }

  /** One link (without its token, which is never kept), with its emails. */
  async get(scope: ClinicScope, id: string): Promise<InvitationResponseDto> {
    const invitation = await this.found(scope, id);
    const link = (await this.invitations.listForPatient(scope, invitation.patientId)).find(
      (candidate) => candidate.invitation.id === id,
    );
    const emails = await this.deliveries.forInvitations(scope, [id]);
    return mapInvitation(invitation, this.clock.now(), link?.intake, emails.get(id));
  }

  /**
   * Emails an active link to the patient (again, or for the first time):
   * the email carries a link of its own, since the link's token was never
   * kept, and the reminders of the link are planned if they were not. Refused
   * (409) for a link that no longer lets the patient in, or whose intake was
   * sent; (400, at \`send\`) when email is off or the patient has no address.
   */
  async email(scope: ClinicScope, id: string, meta: RequestMeta): Promise<InvitationResponseDto> {
    const invitation = await this.found(scope, id);
    const patient = await this.patients.findById(scope, invitation.patientId);
    if (!patient) throw DomainError.notFound('The patient');
    if (patient.archivedAt) throw new DomainError(ErrorCode.Conflict, PATIENT_ARCHIVED);
    const current = await this.get(scope, id);
    if (current.state !== 'active') {
      throw new DomainError(
        ErrorCode.Conflict,
        current.state === 'used'
          ? 'The intake of this link has been sent: there is nothing to email.'
          : `This link is ${current.state}: re-issue it, then email the new one.`,
      );
    }
    this.emails.refuseUnsendable(patient.email);
    await this.emails.send(scope, invitation, meta);
    return this.get(scope, id);
  }

  async revoke(scope: ClinicScope, id: string, meta: RequestMeta): Promise<InvitationResponseDto> {
    const invitation = await this.found(scope, id);
    const now = this.clock.now();
    if (invitation.revokedAt) return mapInvitation(invitation, now);
    await this.dataSource.transaction(async (manager) => {
      await this.invitations.update(scope, id, { revokedAt: now }, manager);
      await this.sessions.deleteForInvitation(id, manager);
    });
    await this.record(scope, meta, 'invitation.revoke', invitation);
    return this.get(scope, id);
  }

  /**
   * The same invitation (and its answers) under a new link. Refused (409) for
   * a link whose intake was sent, and while another link of the protocol is
   * active: one active link per protocol, as when creating; and while the
   * patient is archived.
   */
  async reissue(scope: ClinicScope, id: string, meta: RequestMeta): Promise<InvitationLinkDto> {
    const invitation = await this.found(scope, id);
    const token = newToken();
    const now = this.clock.now();
    const changes = {
      tokenHash: hashToken(token),
      expiresAt: this.expiryFrom(now),
      revokedAt: null,
    };
    await this.dataSource.transaction(async (manager) => {
      refuseArchived(await this.invitations.lockPatient(scope, invitation.patientId, manager));
      const links = await this.invitations.listForPatient(scope, invitation.patientId, manager);
      const self = links.find((link) => link.invitation.id === id);
      if (self && invitationState(self.invitation, now, self.intake) === 'used') {
        throw new DomainError(
          ErrorCode.Conflict,
          'The intake of this link has been sent: make a new link for a new intake.',
        );
      }
      const otherActive = links.some(
        ({ invitation: other, intake }) =>
          other.id !== id &&
          other.protocol === invitation.protocol &&
          invitationState(other, now, intake) === 'active',
      );
      if (otherActive) {
        throw new DomainError(
          ErrorCode.Conflict,
          `This patient has another active ${PROTOCOL_LABELS[invitation.protocol]} link: revoke it first.`,
        );
      }
      await this.invitations.update(scope, id, changes, manager);
      await this.sessions.deleteForInvitation(id, manager);
      // The old link's emails die with it; their reminders are of the old issue and stop.
      await this.invitations.deleteEmailLinks(scope, id, manager);
    });
    await this.record(scope, meta, 'invitation.reissue', invitation);
    return { ...mapInvitation({ ...invitation, ...changes }, now), link: this.linkFor(token) };
  }

  private async found(scope: ClinicScope, id: string): Promise<InvitationEntity> {
    const invitation = await this.invitations.findById(scope, id);
    if (!invitation) throw DomainError.notFound('The invitation');
    return invitation;
  }

  private expiryFrom(now: Date): Date {
    return new Date(now.getTime() + this.config.invitationTtlDays * 86_400_000);
  }

  private linkFor(token: string): string {
    return `${this.config.publicUrl}/i/${token}`;
  }

  private record(
    scope: ClinicScope,
    meta: RequestMeta,
    action: AuditAction,
    invitation: InvitationEntity,
  ): Promise<void> {
    return this.audit.recordByUser(scope, meta, {
      action,
      targetType: 'invitation',
      targetId: invitation.id,
      patientId: invitation.patientId,
      outcome: 'success',
      detail: {
        patientId: invitation.patientId,
        state: invitationState(invitation, this.clock.now()),
      },
    });
  }
}
