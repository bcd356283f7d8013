import { ClinicTime } from '../common/clinic-time';
import { AUDIT_CSV_COLUMNS, auditCsvHeader, auditCsvLine, csvCell } from './audit-csv';
import { AuditEventResponseDto } from './audit-event.dto';

describe('audit CSV', () => {
  it.each([
    ['=HYPERLINK("http://evil.example")', `"'=HYPERLINK(""http://evil.example"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
  ])('prefixes a cell a spreadsheet would run as a formula: %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('quotes commas, quotes and line breaks, and leaves plain text and empties alone', () => {
    expect(csvCell('Stone, Eve')).toBe('"Stone, Eve"');
    expect(csvCell('Dr "Eve"')).toBe('"Dr ""Eve"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('Dr Eve Stone')).toBe('Dr Eve Stone');
    expect(csvCell(null)).toBe('');
    expect(csvCell('')).toBe('');
  });

  it('writes a header row and one line per event, with UTC and clinic times and the zone', () => {
    expect(auditCsvHeader()).toBe(`${AUDIT_CSV_COLUMNS.join(',')}\r\n`);
    const event: AuditEventResponseDto = {
      id: '42',
      occurredAt: '2026-12-06T23:30:15.123Z',
      actorType: 'user',
      actorId: null,
      actorName: 'Someone outside this clinic',
      outsideClinic: true,
      action: 'intake.view',
      actionDescription: 'Viewed an intake',
      targetType: 'intake',
      targetId: '7f9e3c4d-2a1b-4c5d-8e6f-0a1b2c3d4e5f',
      targetName: null,
      patientId: '1b9e3c4d-2a1b-4c5d-8e6f-0a1b2c3d4e5f',
      patientName: '=Eve, Stone',
      patientReference: null,
      outcome: 'denied',
      requestId: null,
    };
    const line = auditCsvLine(event, new ClinicTime('Europe/Berlin'));
    expect(line.endsWith('\r\n')).toBe(true);
    expect(line).toBe(
      [
        '42',
        '2026-12-06T23:30:15.123Z',
        '2026-12-07T00:30:15+01:00',
        'Europe/Berlin',
        'user',
        '',
        'Someone outside this clinic',
        'intake.view',
        'Viewed an intake',
        'denied',
        'intake',
        '7f9e3c4d-2a1b-4c5d-8e6f-0a1b2c3d4e5f',
        '',
        '1b9e3c4d-2a1b-4c5d-8e6f-0a1b2c3d4e5f',
        '',
        `"'=Eve, Stone"`,
        '',
      ].join(',') + '\r\n',
    );
  });
});
