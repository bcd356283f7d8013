import { Injectable } from '@nestjs/common';
import { RequestMeta } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { ClinicScope } from '../common/clinic-scope';
import { DomainError, ErrorCode } from '../common/domain-error';
import { HandoutKind, PaperSize } from './handout.entity';
import { HandoutRepository } from './handout.repository';
import { HandoutJobs } from './handout-jobs';
import { HandoutMaker, HandoutRefusedError } from './handout-maker';

export interface HandoutFile {
  readonly pdf: Buffer;
  readonly filename: string;
  readonly stored: boolean;
}

/**
 * A handout is made once per (assessment, kind, template version, paper,
 * clinician's marks) and stored; later downloads return the stored bytes, and
 * a changed mark makes a new one. Making it (dosing-advice guard, Chromium,
 * storing) is HandoutMaker's, run here or by render workers (HandoutJobs).
 */
@Injectable()
export class HandoutsService {
  constructor(
    private readonly handouts: HandoutRepository,
    private readonly maker: HandoutMaker,
    private readonly jobs: HandoutJobs,
    private readonly audit: AuditService,
  ) {}

  async get(
    scope: ClinicScope,
    assessmentId: string,
    kind: HandoutKind,
    paper: PaperSize,
    meta: RequestMeta,
  ): Promise<HandoutFile> {
    let file: HandoutFile;
    try {
      file = await this.file(scope, scope.userId, assessmentId, kind, paper);
    } catch (error) {
      if (error instanceof HandoutRefusedError)
        await this.record(scope, meta, assessmentId, 'failure', { kind, paper, refused: true });
      throw error;
    }
    await this.record(scope, meta, assessmentId, 'success', { kind, paper, stored: file.stored });
    return file;
  }

  /**
   * The stored handout, made first when it is not stored yet; not audited
   * (the caller records who asked). `requestedBy` is the clinician who asked,
   * or null for the patient through their link. Throws HandoutRefusedError
   * when the dosing guard refused it, and not found for another clinic's assessment.
   */
  async file(
    scope: ClinicScope,
    requestedBy: string | null,
    assessmentId: string,
    kind: HandoutKind,
    paper: PaperSize,
  ): Promise<HandoutFile> {
    const { key, filename } = await this.maker.prepare(scope, assessmentId, kind, paper);
    const stored = await this.handouts.find(scope, key);
    if (stored) return { pdf: stored.content, filename, stored: true };
    await this.jobs.run(
      { clinicId: scope.clinicId, userId: requestedBy, assessmentId, kind, paper },
      key,
    );
    const made = await this.handouts.find(scope, key);
    if (!made) {
      // The marks changed while it was made: the next download makes the current one.
      throw new DomainError(
        ErrorCode.Unavailable,
        'The handout changed while it was being prepared. Try again in a moment.',
        [],
        1,
      );
    }
    return { pdf: made.content, filename, stored: false };
  }

  private record(
    scope: ClinicScope,
    meta: RequestMeta,
    assessmentId: string,
    outcome: 'success' | 'failure',
    detail: Record<string, string | boolean>,
  ): Promise<void> {
    return this.audit.recordByUser(scope, meta, {
      action: 'handout.download',
      targetType: 'assessment',
      targetId: assessmentId,
      outcome,
      detail,
    });
  }
}
