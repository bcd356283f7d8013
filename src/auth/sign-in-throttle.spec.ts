import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { addressKey, SignInThrottle } from './sign-in-throttle';

/** A throttle whose every limit allows: what is tested is which limits an attempt counts against. */
function throttle(): SignInThrottle {
  const dataSource = { query: jest.fn().mockResolvedValue([{ allowed: true, wait_ms: 0 }]) };
  return new SignInThrottle(
    loadConfig({ SIGN_IN_MAX_FAILURES: '10' }),
    'a server secret of at least thirty-two characters',
    dataSource as unknown as DataSource,
  );
}

/** Known browser: its attempts count against its own limit alone (one locking key, no shared). */
async function known(t: SignInThrottle, email: string, cookie: string): Promise<boolean> {
  const reservation = await t.reserve(email, '192.0.2.1', cookie);
  if (!reservation.allowed) throw new Error('allowed by the mock');
  return reservation.keys.shared.length === 0;
}

describe('SignInThrottle: known browsers', () => {
  it('knows a browser for the email it signed in as, and only that one', async () => {
    const t = throttle();
    const cookie = t.issueDevice('ann@clinic.test', undefined);
    expect(await known(t, 'ann@clinic.test', cookie)).toBe(true);
    expect(await known(t, 'bob@clinic.test', cookie)).toBe(false);
  });

  it("cannot be forged for another account by an email holding the separator (an admin's invited 'x|victim')", async () => {
    const t = throttle();
    const cookie = t.issueDevice('x|victim@other.test', undefined);
    const [nonce, mac] = cookie.split('.');
    for (const forged of [`${nonce}|x.${mac}`, `${nonce}.${mac}`, `x|${nonce}.${mac}`])
      expect(await known(t, 'victim@other.test', forged)).toBe(false);
  });

  it('keeps the last five people who signed in on one browser, each known', async () => {
    const t = throttle();
    let cookie: string | undefined;
    const people = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => `${name}@desk.test`);
    for (const email of people) cookie = t.issueDevice(email, cookie);
    for (const email of people.slice(1)) expect(await known(t, email, cookie!)).toBe(true);
    expect(await known(t, people[0], cookie!)).toBe(false);
    // Signing in again replaces that person's entry rather than adding one.
    const again = t.issueDevice('f@desk.test', cookie);
    expect(again.split('~')).toHaveLength(5);
  });

  it('ignores entries of the wrong shape', async () => {
    const t = throttle();
    expect(await known(t, 'ann@clinic.test', 'junk')).toBe(false);
    expect(await known(t, 'ann@clinic.test', `${'a'.repeat(22)}.${'b'.repeat(43)}`)).toBe(false);
  });
});

describe('addressKey', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002:ffff::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('counts %s as %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});
