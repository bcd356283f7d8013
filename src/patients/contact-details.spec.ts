import { validateForm } from '../common/form-validation';
import { isPhone } from './contact-details';
import { PatientCreateDto, PatientUpdateDto } from './patient.dto';

describe('isPhone', () => {
  it.each([
    '+44 20 7946 0958',
    '(555) 123-4567',
    '020-7946-0958',
    '123456',
    '+1 (800) 555-0100',
    '12345678901234567890',
  ])('takes %p', (phone) => {
    expect(isPhone(phone)).toBe(true);
  });

  it.each([
    ['too few digits', '12345'],
    ['too many digits', '123456789012345678901'],
    ['letters', '555-CALL-NOW'],
    ['an extension word', '555 1234 ext 9'],
    ['a dot', '020.7946.0958'],
    ['a slash', '020/7946'],
    ['a line break', '020\n79460958'],
    ['separators only', '+() - ()'],
    ['over 32 characters', `${'1 '.repeat(16)}1`],
    ['not text', 12345678],
  ])('refuses %s', (_why, phone) => {
    expect(isPhone(phone)).toBe(false);
  });
});

describe('a patient change (PatientUpdateDto)', () => {
  const problems = (body: Record<string, unknown>) => [
    ...new Set(validateForm(PatientUpdateDto, body).problems.map((problem) => problem.field)),
  ];

  it('keeps the phone as typed, trimmed, and the email trimmed', () => {
    const { value, problems } = validateForm(PatientUpdateDto, {
      email: '  alex@example.org ',
      phone: ' +44 (20) 7946-0958  ',
    });
    expect(problems).toEqual([]);
    expect(value).toEqual(
      expect.objectContaining({ email: 'alex@example.org', phone: '+44 (20) 7946-0958' }),
    );
  });

  it('reads a blank email, phone or reference as "remove it", and leaves out what was not sent', () => {
    const { value, problems } = validateForm(PatientUpdateDto, {
      email: '',
      phone: '   ',
      reference: '',
    });
    expect(problems).toEqual([]);
    expect(value.email).toBeNull();
    expect(value.phone).toBeNull();
    expect(value.reference).toBeNull();
    expect(value.givenName).toBeUndefined();
    expect(value.familyName).toBeUndefined();
  });

  it('names the field of each bad value', () => {
    expect(problems({ email: 'alex@', phone: '12-34' })).toEqual(['email', 'phone']);
    expect(problems({ email: 'not an email' })).toEqual(['email']);
    expect(problems({ givenName: '  ' })).toEqual(['givenName']);
    expect(problems({ familyName: null })).toEqual(['familyName']);
    expect(problems({ email: `${'a'.repeat(250)}@example.org` })).toEqual(['email']);
  });

  it('refuses an email or phone that hides characters, as every short text', () => {
    expect(problems({ email: 'alex\u202e@example.org' })).toEqual(['email']);
    expect(problems({ phone: '555\u200b123456' })).toEqual(['phone']);
  });

  it('refuses fields it does not know', () => {
    expect(problems({ archivedAt: '2020-01-01' })).toEqual(['archivedAt']);
  });
});

describe('a new patient (PatientCreateDto) with contact details', () => {
  it('takes an optional email and phone, checked as in a change', () => {
    const ok = validateForm(PatientCreateDto, {
      givenName: 'Alex',
      familyName: 'Morgan',
      email: 'alex@example.org',
      phone: '0161 496 0000',
    });
    expect(ok.problems).toEqual([]);
    const bad = validateForm(PatientCreateDto, {
      givenName: 'Alex',
      familyName: 'Morgan',
      email: 'alex',
      phone: 'call me',
    });
    expect(bad.problems.map((problem) => problem.field)).toEqual(['email', 'phone']);
    const blank = validateForm(PatientCreateDto, {
      givenName: 'Alex',
      familyName: 'Morgan',
      email: '',
      phone: '',
    });
    expect(blank.problems).toEqual([]);
    expect(blank.value.email).toBeUndefined();
  });
});
