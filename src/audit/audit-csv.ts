import { ClinicTime } from '../common/clinic-time';
import { AuditEventResponseDto } from './audit-event.dto';

/**
 * The audit log as CSV (RFC 4180: comma-separated, CRLF line ends, fields
 * quoted when they hold a comma, quote or line break), one event a line
 * after a header row. Times twice: in UTC, and in the clinic's zone with its
 * offset and name. Pure: no I/O.
 */
export const AUDIT_CSV_COLUMNS = [
  'event_id',
  'occurred_at_utc',
  'occurred_at_clinic',
  'clinic_time_zone',
  'actor_type',
  'actor_id',
  'actor',
  'action',
  'action_description',
  'outcome',
  'target_type',
  'target_id',
  'target_name',
  'patient_id',
  'patient_reference',
  'patient_name',
  'request_id',
] as const;

/** A spreadsheet reads a cell starting with one of these as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field. A value a spreadsheet would run as a formula is prefixed with
 * an apostrophe, so it reads as text; then it is quoted when it must be.
 */
export function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const csvLine = (cells: readonly (string | null | undefined)[]): string =>
  `${cells.map(csvCell).join(',')}\r\n`;

export const auditCsvHeader = (): string => csvLine(AUDIT_CSV_COLUMNS);

export function auditCsvLine(event: AuditEventResponseDto, time: ClinicTime): string {
  const at = new Date(event.occurredAt);
  const cells: Record<(typeof AUDIT_CSV_COLUMNS)[number], string | null> = {
    event_id: event.id,
    occurred_at_utc: at.toISOString(),
    occurred_at_clinic: time.iso(at),
    clinic_time_zone: time.zone,
    actor_type: event.actorType,
    actor_id: event.actorId,
    actor: event.actorName,
    action: event.action,
    action_description: event.actionDescription,
    outcome: event.outcome,
    target_type: event.targetType,
    target_id: event.targetId,
    target_name: event.targetName,
    patient_id: event.patientId,
    patient_reference: event.patientReference,
    patient_name: event.patientName,
    request_id: event.requestId,
  };
  return csvLine(AUDIT_CSV_COLUMNS.map((column) => cells[column]));
}
