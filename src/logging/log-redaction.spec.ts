import { QueryFailedError } from 'typeorm';
import { redactUrl, serializeError } from './log-redaction';

describe('redactUrl', () => {
  it.each([
    ['/i/AbC123-token', '/i/[redacted]'],
    ['/i/AbC123-token/review?step=2', '/i/[redacted]/review'],
    ['/api/intake/links/tok/answers', '/api/intake/links/[redacted]/answers'],
    ['/welcome/StaffLinkToken_43chars', '/welcome/[redacted]'],
    ['/welcome/StaffLinkToken?x=1', '/welcome/[redacted]'],
    ['/api/patients?q=morgan', '/api/patients?[redacted]'],
    // The router ignores case, so /I/<token> opens a link as well.
    ['/I/AbC123-token', '/I/[redacted]'],
    ['/Welcome/StaffLinkToken', '/Welcome/[redacted]'],
    // A point's id is the rule that fired: a finding about the patient.
    ['/assessments/a1b2/points/stress.high.female', '/assessments/a1b2/points/[redacted]'],
    ['/assessments/a1b2/points/diet.alcohol?x=1', '/assessments/a1b2/points/[redacted]?[redacted]'],
    ['/api/assessments/a1b2/points/sleep.short/', '/api/assessments/a1b2/points/[redacted]/'],
    ['/Assessments/a1b2/Points/sleep.short', '/Assessments/a1b2/Points/[redacted]'],
    ['/assessments/a1b2/handouts/patient', '/assessments/a1b2/handouts/patient'],
    ['/health/ready', '/health/ready'],
    [undefined, ''],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('serializeError', () => {
  it('keeps database errors to their code, constraint and table: no values', () => {
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint'), {
      code: '23505',
      constraint: 'patients_clinic_id_reference_key',
      table: 'patients',
      detail: 'Key (clinic_id, reference)=(x, MRN-SECRET) already exists.',
    });
    const error = new QueryFailedError(
      'INSERT INTO patients ...',
      ['Alice', 'MRN-SECRET'],
      driverError,
    );
    const logged = serializeError(error);
    expect(logged).toMatchObject({
      type: 'QueryFailedError',
      code: '23505',
      constraint: 'patients_clinic_id_reference_key',
      table: 'patients',
    });
    expect(JSON.stringify(logged)).not.toMatch(/MRN-SECRET|Alice|INSERT/);
  });

  it('keeps an ordinary error with its message and stack frames', () => {
    const logged = serializeError(new TypeError('boom'));
    expect(logged.type).toBe('TypeError');
    expect(logged.message).toBe('boom');
    expect(String(logged.stack)).toContain('log-redaction.spec');
  });
});
