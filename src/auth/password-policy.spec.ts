import { ownerWords, PasswordPolicy } from './password-policy';

const ADA = { email: 'ada.lovelace@northclinic.org', displayName: 'Ada Lovelace' };

describe('PasswordPolicy', () => {
  // Built once, as the provider is at start: the dictionaries take a moment to load.
  const policy = new PasswordPolicy();

  it.each([
    ['twelve a', 'aaaaaaaaaaaa', /too easy to guess.*Repeated characters/],
    ['a common password with digits', 'password1234', /too easy to guess.*commonly used password/],
    ['the same, capitalised', 'Password1234', /too easy to guess/],
    ['in l33t', 'P@ssw0rd1234', /too easy to guess/],
    ['a breached favourite', 'iloveyou2024', /commonly used password/],
    ['digits in a row', '12345678901234', /commonly used password/],
    ['two common words', 'correcthorse', /too easy to guess.*Add more words/],
    ['two common words, capitalised', 'CorrectHorse', /too easy to guess/],
    ['two common words, in capitals', 'CORRECTHORSE', /too easy to guess/],
    ['two common words, in l33t', 'c0rrecth0rse', /too easy to guess/],
    ['two common words and a digit', 'correcthorse1', /too easy to guess/],
    ['the same, capitalised', 'Correcthorse1', /too easy to guess/],
    ['two common words, swapped', 'horsecorrect', /too easy to guess/],
    ['a keyboard walk', 'qwertyuiop12', /too easy to guess/],
    ['a sequence', 'abcdefghijkl', /too easy to guess/],
    ['her email', 'ada.lovelace@northclinic.org', /own name or email/],
    ['her email with a year', 'ada.lovelace2026', /own name or email/],
    ['her name', 'AdaLovelace1!', /own name or email/],
    ['her name backwards', 'LovelaceAda!', /own name or email/],
    ["her clinic's domain", 'northclinic1', /own name or email/],
  ])('refuses %s, saying why', (_what, password, why) => {
    expect(policy.check(password, ADA)).toEqual({
      field: 'password',
      message: expect.stringMatching(why),
    });
  });

  it.each([
    'trombone tulip lantern orbit',
    'correct horse battery staple',
    'eve picks a long passphrase',
    'Kettle-mosaic-41-driftwood',
    'zq8#Lm2!vR0p',
  ])('takes a good password or passphrase: %s', (password) => {
    expect(policy.check(password, ADA)).toBeNull();
  });

  it('refuses a password shorter than 12 characters, however random, saying how long it is', () => {
    expect(policy.check('x7#Qm!2vR0p', ADA)).toEqual({
      field: 'password',
      message: 'Choose a password of at least 12 characters (this one has 11).',
    });
  });

  it('refuses a password over 1024 characters before estimating it', () => {
    expect(policy.check('word '.repeat(205), ADA)?.message).toBe(
      'The password can be at most 1024 characters.',
    );
  });

  it("counts a password built on the owner's own details as weaker than the same for someone else", () => {
    const password = 'AdaLovelace1!';
    expect(policy.check(password, { email: 'bo@south.test', displayName: 'Bo Diaz' })).toBeNull();
    expect(policy.check(password, ADA)).not.toBeNull();
  });

  it("lists the owner's email, its parts and name words as user inputs", () => {
    expect(ownerWords(ADA)).toEqual(
      expect.arrayContaining([
        'ada.lovelace@northclinic.org',
        'ada.lovelace',
        'lovelace',
        'northclinic',
        'adalovelace',
        'clinic',
      ]),
    );
    // Short parts ("ada", "org") would match inside unrelated words.
    expect(ownerWords(ADA)).not.toContain('org');
    expect(ownerWords(ADA)).not.toContain('ada');
  });
});
