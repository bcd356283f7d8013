import { ClinicTime } from '../../common/clinic-time';
import { PILLAR_LABELS, PILLARS } from '../../common/pillar';
import { PROTOCOL_LABELS, PROTOCOLS } from '../../common/protocol';
import { PatientListQueryDto, PatientPageDto } from '../../patients/patient.dto';
import { PatientIntakeStatus } from '../../patients/patient.entity';

export const STATUS_LABELS: Readonly<Record<PatientIntakeStatus, string>> = {
  none: 'Not invited',
  invited: 'Invited',
  in_progress: 'In progress',
  submitted: 'Submitted',
  reviewed: 'Reviewed',
};

interface Option {
  readonly value: string;
  readonly label: string;
  readonly selected: boolean;
}

const options = (
  values: readonly string[],
  label: (value: string) => string,
  current: string | undefined,
): Option[] => values.map((value) => ({ value, label: label(value), selected: value === current }));

/**
 * The patient list page's model: the rows, the filter form with the current
 * choices selected, and the links to the next and first pages (the filters
 * are kept; the page link carries only a patient id).
 */
export function patientListView(
  query: PatientListQueryDto,
  page: PatientPageDto,
  time: ClinicTime,
) {
  const filters = {
    q: query.q,
    protocol: query.protocol,
    status: query.status,
    pillar: query.pillar,
    archived: query.archived,
    sort: query.sort === 'activity' ? 'activity' : undefined,
  };
  const params = (extra: Record<string, string> = {}): string => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...filters, ...extra }))
      if (value) search.set(name, value);
    const text = search.toString();
    return text ? `/?${text}` : '/';
  };
  const filtered = Boolean(
    query.q || query.protocol || query.status || query.pillar || query.archived,
  );
  return {
    title: 'Patients',
    q: query.q ?? '',
    filtered,
    protocols: options(
      PROTOCOLS,
      (v) => PROTOCOL_LABELS[v as keyof typeof PROTOCOL_LABELS],
      query.protocol,
    ),
    statuses: options(
      Object.keys(STATUS_LABELS),
      (v) => STATUS_LABELS[v as PatientIntakeStatus],
      query.status,
    ),
    pillars: options(PILLARS, (v) => PILLAR_LABELS[v as keyof typeof PILLAR_LABELS], query.pillar),
    archivedOptions: options(
      ['include', 'only'],
      (v) => (v === 'include' ? 'Shown too' : 'Only archived'),
      query.archived,
    ),
    sorts: options(
      ['name', 'activity'],
      (v) => (v === 'name' ? 'Name, A to Z' : 'Latest activity first'),
      query.sort ?? 'name',
    ),
    patients: page.patients.map((patient) => ({
      ...patient,
      protocolLabel: patient.protocol ? PROTOCOL_LABELS[patient.protocol] : undefined,
      statusLabel: STATUS_LABELS[patient.intakeStatus],
      warnings: patient.flaggedPillars.map((pillar) => PILLAR_LABELS[pillar]).join(', '),
      thin: patient.thinPillars.map((pillar) => PILLAR_LABELS[pillar]).join(', '),
      activityDay: time.day(patient.lastActivityAt),
      archived: patient.archivedAt !== null,
    })),
    nextHref: page.next ? params({ after: page.next }) : undefined,
    firstHref: query.after ? params() : undefined,
    clearHref: filtered
      ? params({ q: '', protocol: '', status: '', pillar: '', archived: '' })
      : undefined,
  };
}
