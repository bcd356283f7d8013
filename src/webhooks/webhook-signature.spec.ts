import {
  formatSigningSecret,
  newSigningSecret,
  signWebhook,
  webhookHeaders,
} from './webhook-signature';

describe('webhook signatures (Standard Webhooks v1)', () => {
  it('signs as the reference libraries do (their published test vector)', () => {
    const secret = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    expect(
      signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}'),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('changes with every part it covers: the id, the time and each byte of the body', () => {
    const secret = newSigningSecret();
    const base = signWebhook(secret, 'a', 1, '{}');
    expect(signWebhook(secret, 'b', 1, '{}')).not.toBe(base);
    expect(signWebhook(secret, 'a', 2, '{}')).not.toBe(base);
    expect(signWebhook(secret, 'a', 1, '{ }')).not.toBe(base);
    expect(signWebhook(newSigningSecret(), 'a', 1, '{}')).not.toBe(base);
  });

  it('makes 32 random bytes, shown as whsec_ and base64 that decodes back to them', () => {
    const secret = newSigningSecret();
    expect(secret).toHaveLength(32);
    expect(newSigningSecret().equals(secret)).toBe(false);
    const shown = formatSigningSecret(secret);
    expect(shown).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(shown.slice('whsec_'.length), 'base64').equals(secret)).toBe(true);
  });

  it('sends the id, the time of the try in whole seconds and the signature over them', () => {
    const secret = newSigningSecret();
    const headers = webhookHeaders(secret, 'evt-1', new Date(1_700_000_000_999), '{"a":1}');
    expect(headers).toEqual({
      'content-type': 'application/json',
      'webhook-id': 'evt-1',
      'webhook-timestamp': '1700000000',
      'webhook-signature': signWebhook(secret, 'evt-1', 1_700_000_000, '{"a":1}'),
    });
  });
});
