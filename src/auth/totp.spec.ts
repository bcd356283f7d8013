import { base32, codeAt, fromBase32, matchingStep, otpauthUri, stepAt } from './totp';

describe('TOTP (RFC 6238)', () => {
  // RFC 6238, appendix B: the SHA-1 secret and its eight-digit codes.
  const secret = Buffer.from('12345678901234567890', 'ascii');
  it.each([
    [59, '94287082'],
    [1_111_111_109, '07081804'],
    [1_111_111_111, '14050471'],
    [1_234_567_890, '89005924'],
    [2_000_000_000, '69279037'],
    [20_000_000_000, '65353130'],
  ])('at %i seconds the code is %s', (seconds, code) => {
    expect(codeAt(secret, stepAt(new Date(seconds * 1000)), 8)).toBe(code);
  });

  it('makes six-digit codes, the last six of the eight', () => {
    expect(codeAt(secret, stepAt(new Date(59_000)))).toBe('287082');
  });

  it('encodes base32 as RFC 4648 does, without padding', () => {
    const cases = ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'];
    expect(cases.map((text) => base32(Buffer.from(text)))).toEqual([
      '',
      'MY',
      'MZXQ',
      'MZXW6',
      'MZXW6YQ',
      'MZXW6YTB',
      'MZXW6YTBOI',
    ]);
  });

  it('reads base32 back, whatever its spacing and case', () => {
    const bytes = Buffer.from('any twenty bytes !!!');
    expect(fromBase32(base32(bytes))).toEqual(bytes);
    expect(fromBase32('mzxw 6ytb oi')).toEqual(Buffer.from('foobar'));
    expect(() => fromBase32('MZ1')).toThrow(RangeError);
  });

  describe('matchingStep', () => {
    const at = new Date(1_700_000_000_000);
    const now = stepAt(at);

    it('accepts the code of this step and of one step either side, no further', () => {
      for (const offset of [-1, 0, 1])
        expect(matchingStep(secret, codeAt(secret, now + offset), at, null)).toBe(now + offset);
      for (const offset of [-2, 2])
        expect(matchingStep(secret, codeAt(secret, now + offset), at, null)).toBeUndefined();
    });

    it('never accepts a code of a step already used, or an earlier one', () => {
      expect(matchingStep(secret, codeAt(secret, now), at, now)).toBeUndefined();
      expect(matchingStep(secret, codeAt(secret, now - 1), at, now)).toBeUndefined();
      expect(matchingStep(secret, codeAt(secret, now + 1), at, now)).toBe(now + 1);
    });

    it('refuses anything but six digits', () => {
      const code = codeAt(secret, now);
      for (const wrong of ['', `${code} `, `${code}0`, code.slice(1), 'abcdef'])
        expect(matchingStep(secret, wrong, at, null)).toBeUndefined();
    });
  });

  it('names the issuer, the account and the parameters in the URI an app reads', () => {
    const uri = new URL(otpauthUri('Demo Clinic', 'ann@clinic.test', secret));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/Demo Clinic:ann@clinic.test');
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: base32(secret),
      issuer: 'Demo Clinic',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });
});
