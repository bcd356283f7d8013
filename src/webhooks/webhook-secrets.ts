import { Inject, Injectable } from '@nestjs/common';
import { CSRF_SECRET } from '../auth/csrf';
import { SecretBox } from '../auth/secret-box';

/**
 * Seals endpoints' signing secrets for the database, and opens them to sign
 * (AES-256-GCM under a key derived from SESSION_SECRET and this purpose, as
 * authenticator secrets are). A secret sealed under another SESSION_SECRET
 * no longer opens: its deliveries fail as `secret` until the endpoint is
 * registered again.
 */
@Injectable()
export class WebhookSecrets {
  private readonly box: SecretBox;

  constructor(@Inject(CSRF_SECRET) sessionSecret: string) {
    this.box = new SecretBox(sessionSecret, 'webhook-signing-secret');
  }

  seal(secret: Buffer): Buffer {
    return this.box.seal(secret);
  }

  /** The secret's bytes, or undefined when it was sealed under another key. */
  open(sealed: Buffer): Buffer | undefined {
    return this.box.open(sealed);
  }
}
