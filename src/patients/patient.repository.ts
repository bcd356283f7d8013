import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import { ClinicScope, ClinicScopedRepository } from '../common/clinic-scope';
import { Pillar } from '../common/pillar';
import { Protocol } from '../common/protocol';
import { PatientEntity, PatientIntakeStatus } from './patient.entity';

export type PatientSort = 'name' | 'activity';
/** Archived patients are left out of the list unless asked for. */
export type PatientArchivedFilter = 'include' | 'only';

/** What a change to a patient's details may set. */
export type PatientDetails = Pick<
  PatientEntity,
  'givenName' | 'familyName' | 'reference' | 'email' | 'phone'
>;

export interface PatientSearch {
  /** A fragment of the name or reference. */
  readonly text?: string;
  readonly protocol?: Protocol;
  readonly status?: PatientIntakeStatus;
  /** Only patients whose latest assessment has a warning in this pillar. */
  readonly pillar?: Pillar;
  /** Left out: active patients only. */
  readonly archived?: PatientArchivedFilter;
  readonly sort: PatientSort;
  /** Keyset paging: the id of the last patient of the previous page. */
  readonly after?: string;
  readonly limit: number;
}

@Injectable()
export class PatientRepository extends ClinicScopedRepository<PatientEntity> {
  constructor(@InjectRepository(PatientEntity) repository: Repository<PatientEntity>) {
    super(repository);
  }

  findById(scope: ClinicScope, id: string): Promise<PatientEntity | null> {
    return this.findOneWhere(scope, { id });
  }

  /**
   * One page of the list, by name (A to Z) or by latest activity (newest
   * first), with keyset paging: each page starts after the last row of the
   * one before, so a page costs the same at row 50 or row 99,950. Every
   * order and filter here has an index (see migration PatientSummary).
   */
  search(scope: ClinicScope, search: PatientSearch): Promise<PatientEntity[]> {
    const query = this.query(scope, 'patient').limit(search.limit);
    // Searching by name, the matches cluster in name order (every "Okafor" together), so
    // walking the sorted index until a page is found can cross most of the clinic. From three
    // characters the trigram index finds the matches directly; the sort key is then written so
    // that it equals the index's in order but not in form, and the planner sorts the matches.
    const trigram = (search.text?.length ?? 0) >= 3;
    const family = trigram ? `lower(patient.family_name || '')` : 'lower(patient.family_name)';
    const activity = trigram
      ? `(patient.last_activity_at + interval '0 seconds')`
      : 'patient.last_activity_at';
    if (search.sort === 'name') {
      query.orderBy(family).addOrderBy('lower(patient.given_name)').addOrderBy('patient.id');
      if (search.after) {
        query.andWhere(
          `(${family}, lower(patient.given_name), patient.id) > (${AFTER('lower(family_name), lower(given_name), id')})`,
          { afterId: search.after },
        );
      }
    } else {
      query.orderBy(activity, 'DESC').addOrderBy('patient.id', 'DESC');
      if (search.after) {
        query.andWhere(`(${activity}, patient.id) < (${AFTER('last_activity_at, id')})`, {
          afterId: search.after,
        });
      }
    }
    if (search.text) {
      query.andWhere(
        `lower(patient.given_name || ' ' || patient.family_name || ' ' || coalesce(patient.reference, '')) LIKE :pattern`,
        { pattern: `%${escapeLike(search.text.toLowerCase())}%` },
      );
    }
    if (search.archived === 'only') query.andWhere('patient.archived_at IS NOT NULL');
    else if (search.archived !== 'include') query.andWhere('patient.archived_at IS NULL');
    if (search.status) query.andWhere('patient.intake_status = :status', { status: search.status });
    if (search.protocol)
      query.andWhere('patient.protocol = :protocol', { protocol: search.protocol });
    if (search.pillar)
      query.andWhere('patient.flagged_pillars @> ARRAY[:pillar]::text[]', {
        pillar: search.pillar,
      });
    return query.getMany();
  }

  create(scope: ClinicScope, values: PatientDetails): Promise<PatientEntity> {
    return this.insertScoped(scope, { ...values, createdBy: scope.userId } as Omit<
      PatientEntity,
      'clinicId'
    >);
  }

  /** Whether another patient of the clinic (than `except`) has this reference. */
  isReferenceTaken(scope: ClinicScope, reference: string, except?: string): Promise<boolean> {
    return this.repository.existsBy(
      this.where(scope, { reference, ...(except ? { id: Not(except) } : {}) }),
    );
  }

  /**
   * Changes the details given; the others stay. The summary columns are
   * never written here. A new (or no) email address ends the links emailed
   * to the old one, in the same transaction: a link sent to a mistyped
   * address must not keep opening the patient's intake for whoever got it.
   */
  async update(scope: ClinicScope, id: string, values: Partial<PatientDetails>): Promise<void> {
    await this.repository.manager.transaction(async (manager) => {
      await manager.getRepository(PatientEntity).update(this.where(scope, { id }), values);
      if (values.email === undefined) return;
      await manager.query(
        `DELETE FROM email_links
         WHERE clinic_id = $1 AND purpose = 'open'
           AND invitation_id IN (SELECT id FROM invitations WHERE clinic_id = $1 AND patient_id = $2)`,
        [scope.clinicId, id],
      );
    });
  }

  /**
   * Archives (a time) or unarchives (null). Only a patient not already in
   * that state changes, so a retry changes nothing: true when this call did.
   * Archiving also ends the patient's open sessions in the same transaction,
   * so unarchiving later brings back the links, never a browser left open.
   */
  async setArchived(scope: ClinicScope, id: string, at: Date | null): Promise<boolean> {
    return this.repository.manager.transaction(async (manager) => {
      const result = await manager
        .getRepository(PatientEntity)
        .update(this.where(scope, { id, archivedAt: at ? IsNull() : Not(IsNull()) }), {
          archivedAt: at,
        });
      const changed = (result.affected ?? 0) > 0;
      if (changed && at)
        await manager.query(
          `DELETE FROM sessions s USING invitations i
           WHERE s.invitation_id = i.id AND i.clinic_id = $1 AND i.patient_id = $2`,
          [scope.clinicId, id],
        );
      return changed;
    });
  }
}

/**
 * The sort key of the previous page's last row, read in the same statement
 * (exact to the microsecond, and scoped: another clinic's id matches nothing).
 */
const AFTER = (columns: string): string =>
  `SELECT ${columns} FROM patients WHERE clinic_id = :scopeClinicId AND id = :afterId`;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
