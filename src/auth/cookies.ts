import type { CookieOptions } from 'express';
import { AppConfig } from '../config/app-config';

/**
 * Cookie names and flags. In production the cookies are Secure and carry the
 * `__Host-` prefix, which pins them to this host and path `/`.
 */
export class Cookies {
  readonly session: string;
  /** A patient's intake session: separate, so a clinician trying a link keeps their own. */
  readonly intake: string;
  readonly csrf: string;
  /** A link just made, on its way to the page that shows it (see LinkFlash). */
  readonly newLink: string;
  /** A browser this clinician signed in with before: its sign-in attempts count apart (SignInThrottle). */
  readonly device: string;
  private readonly secure: boolean;

  constructor(config: Pick<AppConfig, 'env'>) {
    this.secure = config.env === 'production';
    const prefix = this.secure ? '__Host-' : '';
    this.session = `${prefix}hp_session`;
    this.intake = `${prefix}hp_intake`;
    this.csrf = `${prefix}hp_csrf`;
    this.newLink = `${prefix}hp_new_link`;
    this.device = `${prefix}hp_device`;
  }

  options(maxAgeMs?: number): CookieOptions {
    return {
      httpOnly: true,
      secure: this.secure,
      sameSite: 'lax',
      path: '/',
      ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }),
    };
  }
}
