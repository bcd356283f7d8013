import { PatientHistoryPage } from '../../audit/audit.service';
import { ClinicTime } from '../../common/clinic-time';
import { PatientResponseDto } from '../../patients/patient.dto';

const OUTCOME_LABELS = { success: 'Done', failure: 'Failed', denied: 'Refused' } as const;

/**
 * A patient's access history as the clinic reads it: when (in the clinic's
 * zone), who (its staff by name; anyone of another clinic only as
 * "someone outside this clinic"), what in words, and how it ended. Newest
 * first; `olderHref` leads to the entries before the last one shown.
 */
export function accessHistoryView(page: PatientHistoryPage, time: ClinicTime, olderPath: string) {
  return {
    entries: page.events.map((event) => ({
      id: event.id,
      when: time.second(event.occurredAt),
      who: event.actorName,
      outside: event.outsideClinic,
      what: event.actionDescription,
      outcome: event.outcome,
      outcomeLabel: OUTCOME_LABELS[event.outcome],
    })),
    olderHref: page.olderBefore ? `${olderPath}?before=${page.olderBefore}` : undefined,
  };
}

/** The full access history, a page at a time. */
export function patientHistoryPageView(
  patient: PatientResponseDto,
  page: PatientHistoryPage,
  time: ClinicTime,
  paged: boolean,
) {
  const path = `/patients/${patient.id}/history`;
  return {
    title: `Access history of ${patient.givenName} ${patient.familyName}`,
    patient,
    history: accessHistoryView(page, time, path),
    newestHref: paged ? path : undefined,
  };
}
