import { runInNewContext } from 'node:vm';
import { EntityNotFoundError, QueryFailedError } from 'typeorm';
import { redactUrl, serializeError } from './log-redaction';

describe('redactUrl', () => {
  it.each([
    ['/i/AbC123-token', '/i/[redacted]'],
    ['/i/AbC123-token/review?step=2', '/i/[redacted]/review'],
    // The emailed link: its "continue" page and the POST that opens it.
    ['/e/AbC123-token', '/e/[redacted]'],
    ['/E/AbC123-token?utm=x', '/E/[redacted]'],
    // Its "no more reminders".
    ['/e/AbC123-token/stop', '/e/[redacted]/stop'],
    ['/api/intake/links/tok/answers', '/api/intake/links/[redacted]/answers'],
    ['/welcome/StaffLinkToken_43chars', '/welcome/[redacted]'],
    ['/welcome/StaffLinkToken?x=1', '/welcome/[redacted]'],
    ['/password-reset/ResetLinkToken_43chars', '/password-reset/[redacted]'],
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

  it("keeps the pg driver's own error to its code too, without a driverError around it", () => {
    // What pg-protocol's DatabaseError carries: its name is the message type, `error`.
    const error = Object.assign(new Error('invalid input syntax for type uuid: "MRN-SECRET"'), {
      name: 'error',
      severity: 'ERROR',
      code: '22P02',
      detail: 'Alice',
      where: "unnamed portal parameter $1 = 'MRN-SECRET'",
    });
    const logged = serializeError(error);
    expect(logged).toMatchObject({ type: 'error', code: '22P02' });
    expect(String(logged.stack)).toContain('log-redaction.spec');
    expect(JSON.stringify(logged)).not.toMatch(/MRN-SECRET|Alice|invalid input/);
  });

  it('keeps a body-parser error to its type and status: a JSON syntax error quotes the body', () => {
    const error = Object.assign(
      new SyntaxError('Unexpected token \'B\', "{"givenName":"Bo"... is not valid JSON'),
      { type: 'entity.parse.failed', status: 400, statusCode: 400, body: '{"givenName":"Bo' },
    );
    const logged = serializeError(error);
    expect(logged).toMatchObject({
      type: 'SyntaxError',
      parserType: 'entity.parse.failed',
      status: 400,
    });
    expect(JSON.stringify(logged)).not.toMatch(/givenName|Bo"/);
  });

  it('logs no criteria of an EntityNotFoundError: they are values', () => {
    const logged = serializeError(new EntityNotFoundError('Patient', { email: 'a@secret.test' }));
    expect(logged.type).toBe('EntityNotFoundError');
    expect(JSON.stringify(logged)).not.toContain('secret.test');
  });

  it('keeps only stack frames, not a message that spans lines', () => {
    const logged = serializeError(new Error('first line\nsecond line with a value'));
    expect(String(logged.stack)).not.toContain('second line');
    expect(String(logged.stack)).toMatch(/^\s+at /);
  });

  it('cuts a long message and picks fields: nothing else the error holds', () => {
    const error = Object.assign(new RangeError('x'.repeat(5_000)), { input: 'SECRET-INPUT' });
    const logged = serializeError(error);
    expect(String(logged.message).length).toBeLessThan(400);
    expect(Object.keys(logged).sort()).toEqual(['code', 'message', 'stack', 'type']);
    expect(JSON.stringify(logged)).not.toContain('SECRET-INPUT');
  });

  it('knows an Error from another realm', () => {
    const foreign = runInNewContext('new TypeError("from elsewhere")') as unknown;
    expect(foreign instanceof Error).toBe(false);
    expect(serializeError(foreign)).toMatchObject({
      type: 'TypeError',
      message: 'from elsewhere',
    });
  });

  it('logs only the kind of a thrown value that is not an Error', () => {
    expect(serializeError('patient Alice')).toEqual({ type: 'string' });
    expect(serializeError({ name: 'Alice' })).toEqual({ type: 'Object' });
    expect(serializeError(null)).toEqual({ type: 'null' });
    expect(serializeError(undefined)).toEqual({ type: 'undefined' });
  });
});
