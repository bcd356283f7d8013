import type { Request, Response } from 'express';
import { Cookies } from '../auth/cookies';
import { LinkFlash } from './link-flash';

/** A browser's cookie jar for one cookie, and requests made from it by a session. */
function browser() {
  let value: string | undefined;
  const res = {
    cookie: (_name: string, v: string) => (value = v),
    clearCookie: () => (value = undefined),
  } as unknown as Response;
  const req = (sessionId: string, cookie = value) =>
    ({ actor: { sessionId }, cookies: { hp_new_link: cookie } }) as unknown as Request;
  return { res, req, value: () => value };
}

describe('LinkFlash', () => {
  const clock = { now: () => new Date('2026-12-06T10:00:00Z') };
  const flash = new LinkFlash(
    'a-secret-of-thirty-two-characters!',
    new Cookies({ env: 'test' }),
    clock,
  );
  const link = { link: 'https://intake.example/i/token' };

  it('shows the link on its page, to the session that made it, for ten minutes', () => {
    const b = browser();
    flash.put(b.req('s1'), b.res, '/patients/1', link);
    expect(flash.read(b.req('s1'), '/patients/1')).toEqual(link);
    expect(flash.read(b.req('s1'), '/patients/2')).toBeUndefined();
    expect(flash.read(b.req('s2'), '/patients/1')).toBeUndefined();
    const later = new LinkFlash(
      'a-secret-of-thirty-two-characters!',
      new Cookies({ env: 'test' }),
      {
        now: () => new Date('2026-12-06T10:10:01Z'),
      },
    );
    expect(later.read(b.req('s1'), '/patients/1')).toBeUndefined();
  });

  it('reads nothing from a cookie altered, or sealed with another secret', () => {
    const b = browser();
    flash.put(b.req('s1'), b.res, '/patients/1', link);
    const sealed = b.value()!;
    for (let at = 0; at < sealed.length; at += 7) {
      const altered = `${sealed.slice(0, at)}${sealed[at] === 'A' ? 'B' : 'A'}${sealed.slice(at + 1)}`;
      expect(flash.read(b.req('s1', altered), '/patients/1')).toBeUndefined();
    }
    const other = new LinkFlash(
      'another-secret-of-thirty-two-chars',
      new Cookies({ env: 'test' }),
      clock,
    );
    expect(other.read(b.req('s1'), '/patients/1')).toBeUndefined();
  });
});
