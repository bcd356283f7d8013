import { validateForm } from '../common/form-validation';
import { AuditEventListQueryDto, AuditExportQueryDto } from './audit-event.dto';

const fieldsOf = (query: Record<string, unknown>) =>
  validateForm(AuditEventListQueryDto, query).problems.map((problem) => problem.field);

describe('AuditEventListQueryDto', () => {
  it('treats blank fields of a submitted filter form as no filter', () => {
    const { value, problems } = validateForm(AuditEventListQueryDto, {
      action: '',
      actorId: '',
      outcome: '',
      targetId: ' ',
      from: '',
      to: '',
      before: '',
      limit: '',
    });
    expect(problems).toEqual([]);
    expect(value).toMatchObject({ action: undefined, limit: undefined, from: undefined });
  });

  it('accepts every filter in its documented shape, and reads the limit as a number', () => {
    const { value, problems } = validateForm(AuditEventListQueryDto, {
      action: 'auth.sign_in',
      actorId: '0b6f1a52-8f43-4c43-9d3e-6f0c2b9b7a11',
      outcome: 'denied',
      targetId: '7f9e3c4d-2a1b-4c5d-8e6f-0a1b2c3d4e5f',
      patientId: '1b9e3c4d-2a1b-4c5d-8e6f-0a1b2c3d4e5f',
      from: '2026-02-28',
      to: '2026-02-28',
      before: '1042',
      limit: '25',
    });
    expect(problems).toEqual([]);
    expect(value.limit).toBe(25);
  });

  it.each([
    ['action', { action: 'DROP TABLE' }],
    ['action', { action: 'auth.not_an_action' }],
    ['patientId', { patientId: 'P-1042' }],
    ['actorId', { actorId: 'someone' }],
    ['outcome', { outcome: 'maybe' }],
    ['targetId', { targetId: '42' }],
    ['from', { from: '2026-02-30' }],
    ['from', { from: '01/03/2026' }],
    ['to', { to: '2026-13-01' }],
    ['to', { from: '2026-03-02', to: '2026-03-01' }],
    ['before', { before: '0' }],
    ['before', { before: '99999999999999999999' }],
    ['before', { before: '12; --' }],
    ['limit', { limit: '0' }],
    ['limit', { limit: 'all' }],
    ['surprise', { surprise: 'x' }],
  ])('names the field %s when it is not acceptable', (field, query) => {
    expect(fieldsOf(query)).toContain(field);
  });
});

describe('AuditExportQueryDto', () => {
  const exportFields = (query: Record<string, unknown>) =>
    validateForm(AuditExportQueryDto, query).problems.map((problem) => problem.field);

  it('takes a range of days up to 366, inclusive', () => {
    expect(exportFields({ from: '2026-01-01', to: '2026-01-01' })).toEqual([]);
    expect(exportFields({ from: '2025-01-01', to: '2026-01-01' })).toEqual([]); // 366 days
  });

  it.each([
    ['from', {}],
    ['to', { from: '2026-01-01' }],
    ['from', { from: '', to: '2026-01-01' }],
    ['from', { from: '2026-02-30', to: '2026-03-01' }],
    ['from', { from: '1 March 2026', to: '2026-03-01' }],
    ['to', { from: '2026-03-01', to: '2026-03-01T10:00:00Z' }],
    ['to', { from: '2026-03-02', to: '2026-03-01' }],
    ['to', { from: '2025-01-01', to: '2026-01-02' }], // 367 days
  ])('names the field %s when the range is not acceptable', (field, query) => {
    expect(exportFields(query)).toContain(field);
  });
});
