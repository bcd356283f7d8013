import { createHmac, randomBytes } from 'node:crypto';

/** A new secret's length: past Standard Webhooks' minimum of 24 bytes, the size of the HMAC's hash. */
const SECRET_BYTES = 32;

/** How Standard Webhooks writes a symmetric signing secret for people: the prefix, then base64. */
const SECRET_PREFIX = 'whsec_';

export function newSigningSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

/** The secret as the admin copies it, once: `whsec_<base64>`. */
export function formatSigningSecret(secret: Buffer): string {
  return `${SECRET_PREFIX}${secret.toString('base64')}`;
}

/**
 * The `webhook-signature` of one try (Standard Webhooks, scheme `v1`): the
 * base64 HMAC-SHA256, under the secret's bytes, of the message id, the
 * try's unix time in seconds and the exact body, joined by full stops. One
 * signature: a rotation would add the old secret's, space-separated.
 */
export function signWebhook(secret: Buffer, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/**
 * The headers of one try: the message id (the same on every try, for the
 * receiver to drop repeats), the time of this try (for the receiver to
 * refuse old ones: a replay) and the signature over both and the body.
 */
export function webhookHeaders(
  secret: Buffer,
  id: string,
  sentAt: Date,
  body: string,
): Record<string, string> {
  const timestamp = Math.floor(sentAt.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, id, timestamp, body),
  };
}
