import { AuditEventResponseDto } from '../../audit/audit-event.dto';
import { ClinicTime } from '../../common/clinic-time';
import { accessHistoryView, patientHistoryPageView } from './access-history-view';

const event = (overrides: Partial<AuditEventResponseDto>): AuditEventResponseDto => ({
  id: '7',
  occurredAt: '2026-12-06T23:30:15.000Z',
  actorType: 'user',
  actorId: 'u1',
  actorName: 'Dr Eve Stone',
  outsideClinic: false,
  action: 'intake.view',
  actionDescription: 'Viewed an intake',
  targetType: 'intake',
  targetId: 'i1',
  targetName: null,
  patientId: 'p1',
  patientName: 'Asha Rao',
  patientReference: null,
  outcome: 'success',
  requestId: 'r1',
  ...overrides,
});

describe('accessHistoryView', () => {
  const time = new ClinicTime('Europe/Berlin');

  it('says when in the clinic’s zone, who, what in words, and how it ended', () => {
    const view = accessHistoryView(
      {
        events: [
          event({}),
          event({
            id: '6',
            actorName: 'Someone outside this clinic',
            outsideClinic: true,
            outcome: 'denied',
          }),
        ],
        olderBefore: null,
      },
      time,
      '/patients/p1/history',
    );
    expect(view.entries).toEqual([
      expect.objectContaining({
        when: '2026-12-07 00:30:15',
        who: 'Dr Eve Stone',
        outside: false,
        what: 'Viewed an intake',
        outcomeLabel: 'Done',
      }),
      expect.objectContaining({
        who: 'Someone outside this clinic',
        outside: true,
        outcomeLabel: 'Refused',
      }),
    ]);
    expect(view.olderHref).toBeUndefined();
  });

  it('links to the entries older than the last one shown, and back to the newest', () => {
    const page = { events: [event({})], olderBefore: '7' };
    expect(accessHistoryView(page, time, '/patients/p1/history').olderHref).toBe(
      '/patients/p1/history?before=7',
    );
    const patient = { id: 'p1', givenName: 'Asha', familyName: 'Rao' } as Parameters<
      typeof patientHistoryPageView
    >[0];
    const first = patientHistoryPageView(patient, page, time, false);
    expect(first.title).toBe('Access history of Asha Rao');
    expect(first.newestHref).toBeUndefined();
    expect(patientHistoryPageView(patient, page, time, true).newestHref).toBe(
      '/patients/p1/history',
    );
  });
});
