import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Cookies } from '../auth/cookies';
import { CSRF_SECRET } from '../auth/csrf';
import { SecretBox } from '../auth/secret-box';
import { Clock } from '../common/clock';

/** How long a new link stays on the page that made it, in the browser that made it. */
export const LINK_FLASH_MINUTES = 10;

interface Flash {
  /** The session that made it: another person signing in on this browser never sees it. */
  readonly session: string;
  readonly page: string;
  readonly link: unknown;
  readonly until: number;
}

/**
 * Carries a link just made (a patient's invitation, a clinician's welcome
 * link) across the redirect that follows its form, to the page that shows it:
 * only the token's hash is stored, so the page cannot read the link back. It
 * travels in an HttpOnly cookie, encrypted and authenticated (AES-256-GCM, a
 * key derived from the server's secret), for one page and the session that
 * made it, for ten minutes (signing out clears it): a reload shows it again,
 * and no other browser, session or page ever can.
 */
@Injectable()
export class LinkFlash {
  private readonly box: SecretBox;

  constructor(
    @Inject(CSRF_SECRET) secret: string,
    private readonly cookies: Cookies,
    private readonly clock: Clock,
  ) {
    this.box = new SecretBox(secret, 'link-flash');
  }

  /** `session`: the session that may read it, when it is not the request's (one just opened). */
  put(req: Request, res: Response, page: string, link: object, session = sessionOf(req)): void {
    const flash: Flash = {
      session,
      page,
      link,
      until: this.clock.now().getTime() + LINK_FLASH_MINUTES * 60_000,
    };
    const value = this.box.seal(Buffer.from(JSON.stringify(flash))).toString('base64url');
    res.cookie(this.cookies.newLink, value, this.cookies.options(LINK_FLASH_MINUTES * 60_000));
  }

  /** The link made for this page in this browser in the last ten minutes, if any. */
  read<T>(req: Request, page: string): T | undefined {
    const value = (req.cookies as Record<string, unknown> | undefined)?.[this.cookies.newLink];
    if (typeof value !== 'string') return undefined;
    // Sealed with another secret, or altered: there is no link to show.
    const text = this.box.open(Buffer.from(value, 'base64url'));
    if (!text) return undefined;
    const flash = JSON.parse(text.toString('utf8')) as Flash;
    const current =
      flash.session === sessionOf(req) &&
      flash.page === page &&
      flash.until > this.clock.now().getTime();
    return current ? (flash.link as T) : undefined;
  }

  clear(res: Response): void {
    res.clearCookie(this.cookies.newLink, this.cookies.options());
  }
}

const sessionOf = (req: Request): string => req.actor?.sessionId ?? '';
