import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request the receiver got, as it arrived: the raw body is what the signature covers. */
export interface ReceivedWebhook {
  readonly path: string;
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * How a path answers: `ok` 204, `fail` 500, `gone` 410, `hang` never (the
 * sender's time limit ends it).
 */
export type ReceiverAnswer = 'ok' | 'fail' | 'gone' | 'hang';

/**
 * An integrator's HTTP endpoint on this machine: keeps every request, and
 * answers each path as `answers` says (`ok` unless set).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly answers = new Map<string, ReceiverAnswer>();
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '';
        this.received.push({
          path,
          method: req.method ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const answer = this.answers.get(path) ?? 'ok';
        if (answer === 'hang') return;
        res.writeHead({ ok: 204, fail: 500, gone: 410 }[answer]).end();
      });
    });
  }

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new WebhookReceiver(server);
  }

  /** The address to register for `path`. */
  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** What reached `path`, oldest first. */
  at(path: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await once(this.server, 'close');
  }
}

/**
 * Checks a delivery as an integrator does, from the Standard Webhooks
 * specification alone (none of the service's code): the three headers are
 * there; the timestamp is within five minutes of `now`; and one of the
 * `v1,` signatures is the base64 HMAC-SHA256, keyed with the base64 bytes
 * after `whsec_`, of `{webhook-id}.{webhook-timestamp}.{raw body}`,
 * compared in constant time. Says why when it does not verify.
 */
export function verifyWebhook(secret: string, delivery: ReceivedWebhook, now: Date): true | string {
  const header = (name: string) => {
    const value = delivery.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const id = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !timestamp || !signatures) return 'a header is missing';
  if (!/^\d+$/.test(timestamp)) return 'the timestamp is not whole seconds';
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > 300)
    return 'the timestamp is too far off';
  if (!secret.startsWith('whsec_')) return 'the secret is not whsec_';
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${id}.${timestamp}.${delivery.body}`, 'utf8')
    .digest();
  const matches = signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches || 'no signature matches';
}
