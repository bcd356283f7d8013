import { findDosingAdvice } from '../safety/dosing-guard';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { RequestMeta } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/domain-error';
import { ClinicEntity } from '../clinics/clinic.entity';
import { ConsentTextEntity } from './consent-text.entity';
import { ConsentTextDto } from './consent.dto';
import { DEFAULT_CONSENT_TEXT } from './default-consent';

/** Saves racing for the same next version before one gives up. */
const SAVE_ATTEMPTS = 3;
const UNIQUE_VIOLATION = '23505';

/**
 * Each clinic's privacy notice, in versions: the newest is the one patients
 * read; older ones stay, for the intakes that name them. Every read and write
 * is keyed by the clinic.
 */
@Injectable()
export class ConsentService {
  constructor(
    @InjectRepository(ConsentTextEntity) private readonly texts: Repository<ConsentTextEntity>,
    @InjectRepository(ClinicEntity) private readonly clinics: Repository<ClinicEntity>,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The clinic's current notice; the product's default becomes version 1 the first time. */
  async current(clinicId: string): Promise<ConsentTextEntity> {
    const found = await this.newest(clinicId);
    if (found) return found;
    await this.texts
      .createQueryBuilder()
      .insert()
      .values({
        clinicId,
        version: 1,
        body: DEFAULT_CONSENT_TEXT,
        contact: null,
        createdBy: null,
        createdAt: this.clock.now(),
      })
      .orIgnore()
      .execute();
    const made = await this.newest(clinicId);
    if (!made) throw DomainError.notFound('The privacy notice');
    return made;
  }

  /** The clinic's name, as the notice and the "you did not agree" page show it. */
  async clinicName(clinicId: string): Promise<string> {
    return (await this.clinics.findOneByOrFail({ id: clinicId })).name;
  }

  /** One version of the clinic's notice, or null when it is not the clinic's. */
  find(clinicId: string, id: string): Promise<ConsentTextEntity | null> {
    return this.texts.findOneBy({ clinicId, id });
  }

  /** Every version, newest first, for the admin's page. */
  async versions(scope: ClinicScope): Promise<ConsentTextEntity[]> {
    await this.current(scope.clinicId);
    return this.texts.find({
      where: { clinicId: scope.clinicId },
      order: { version: 'DESC' },
    });
  }

  /**
   * Saves the admin's text as the next version, with its audit event, in one
   * transaction. Two admins saving at once get two versions, one after the
   * other. Saving the text as it stands makes no new version.
   */
  async save(scope: ClinicScope, dto: ConsentTextDto, meta: RequestMeta): Promise<number> {
    const body = dto.body.replace(/\r\n?/g, '\n').trim();
    const contact = dto.contact.trim() || null;
    // Patients read it before the first question: it is product text, held to the dosing rule.
    for (const [field, text] of [
      ['body', body],
      ['contact', contact ?? ''],
    ] as const) {
      const [finding] = findDosingAdvice(text);
      if (finding)
        throw new DomainError(
          ErrorCode.ValidationFailed,
          'The notice reads as advice about medicines.',
          [
            {
              field,
              message: `This reads as advice about a medicine ("${finding.match}"), which patients must never be given here. Reword it, for example: questions about treatment are for the clinician.`,
            },
          ],
        );
    }
    for (let attempt = 1; ; attempt++) {
      const current = await this.current(scope.clinicId);
      if (current.body === body && current.contact === contact) return current.version;
      try {
        return await this.texts.manager.transaction(async (manager) => {
          const version = current.version + 1;
          const saved = await manager.getRepository(ConsentTextEntity).save({
            clinicId: scope.clinicId,
            version,
            body,
            contact,
            createdBy: scope.userId,
            createdAt: this.clock.now(),
          });
          await this.audit.recordByUser(
            scope,
            meta,
            {
              action: 'clinic.consent_text',
              targetType: 'consent_text',
              targetId: saved.id,
              outcome: 'success',
              detail: { version, length: body.length, contact: contact !== null },
            },
            manager,
          );
          return version;
        });
      } catch (error) {
        const raced =
          error instanceof QueryFailedError &&
          (error.driverError as { code?: string }).code === UNIQUE_VIOLATION;
        if (!raced) throw error;
        if (attempt === SAVE_ATTEMPTS) {
          throw new DomainError(
            ErrorCode.Conflict,
            'Someone else saved the privacy notice at the same time. Read it again, then save.',
          );
        }
      }
    }
  }

  private newest(clinicId: string): Promise<ConsentTextEntity | null> {
    return this.texts.findOne({ where: { clinicId }, order: { version: 'DESC' } });
  }
}
