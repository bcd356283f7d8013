import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Cookies } from '../../auth/cookies';
import { CSRF_SECRET } from '../../auth/csrf';
import { Clock } from '../../common/clock';
import type { InvitationLinkDto } from '../../invitations/invitation.dto';

/** How long a new link stays on its patient's page in the browser that made it. */
export const NEW_LINK_MINUTES = 10;

interface Flash {
  readonly patientId: string;
  readonly link: InvitationLinkDto;
  readonly until: number;
}

/**
 * Carries a link just made across the redirect that follows the form
 * (post/redirect/get), to the patient's page that shows it: the token is
 * never stored, so the page cannot read it back. It travels in an HttpOnly
 * cookie, encrypted and authenticated (AES-256-GCM with a key derived from the
 * server's secret), for this patient's page only, for ten minutes: a reload
 * shows it again; nothing else ever can.
 */
@Injectable()
export class NewLinkFlash {
  private readonly key: Buffer;

  constructor(
    @Inject(CSRF_SECRET) secret: string,
    private readonly cookies: Cookies,
    private readonly clock: Clock,
  ) {
    this.key = createHash('sha256').update(`new-link|${secret}`).digest();
  }

  put(res: Response, patientId: string, link: InvitationLinkDto): void {
    const flash: Flash = {
      patientId,
      link,
      until: this.clock.now().getTime() + NEW_LINK_MINUTES * 60_000,
    };
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(JSON.stringify(flash)), cipher.final()]);
    const value = Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
    res.cookie(this.cookies.newLink, value, this.cookies.options(NEW_LINK_MINUTES * 60_000));
  }

  /** The link made for this patient in this browser in the last ten minutes, if any. */
  read(req: Request, patientId: string): InvitationLinkDto | undefined {
    const value = (req.cookies as Record<string, unknown> | undefined)?.[this.cookies.newLink];
    if (typeof value !== 'string') return undefined;
    try {
      const raw = Buffer.from(value, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
      const flash = JSON.parse(text.toString('utf8')) as Flash;
      const current = flash.patientId === patientId && flash.until > this.clock.now().getTime();
      return current ? flash.link : undefined;
    } catch {
      // Made with another secret, or altered: there is no link to show.
      return undefined;
    }
  }

  clear(res: Response): void {
    res.clearCookie(this.cookies.newLink, this.cookies.options());
  }
}
