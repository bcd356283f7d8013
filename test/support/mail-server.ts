import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { PROTOCOL_LABELS, PROTOCOLS } from '../../src/common/protocol';

/** What the server does with the next messages: take them, refuse the recipient, or hang up. */
export type MailServerMode = 'accept' | 'refuse-recipient' | 'close';

/**
 * A real SMTP server inside the test process (smtp-server), which asks for
 * sign-in like a real relay and parses every message it takes (mailparser).
 */
export class MailServer {
  static readonly USER = 'mailer';
  static readonly PASSWORD = 'smtp-pw-not-to-echo';
  readonly messages: ParsedMail[] = [];
  mode: MailServerMode = 'accept';
  /** Recipients refused (550) whatever the mode, as a server refuses a mailbox it does not have. */
  readonly refused = new Set<string>();
  private waiting: ((mail: ParsedMail) => void)[] = [];

  private constructor(private readonly server: SMTPServer) {}

  static async start(): Promise<MailServer> {
    const box: { self?: MailServer } = {};
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === MailServer.USER && auth.password === MailServer.PASSWORD) {
          callback(null, { user: auth.username });
        } else callback(new Error('Invalid username or password'));
      },
      onConnect: (_session, callback) => {
        if (box.self?.mode !== 'close') return callback();
        callback(Object.assign(new Error('Service not available, closing'), { responseCode: 421 }));
      },
      onRcptTo: (address, _session, callback) => {
        const refuse =
          box.self?.mode === 'refuse-recipient' || box.self?.refused.has(address.address);
        if (!refuse) return callback();
        callback(
          Object.assign(new Error(`Mailbox unavailable: ${address.address}`), {
            responseCode: 550,
          }),
        );
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            box.self!.messages.push(mail);
            box.self!.waiting.splice(0).forEach((resolve) => resolve(mail));
            callback();
          })
          .catch(callback);
      },
    });
    const self = new MailServer(server);
    box.self = self;
    server.listen(0, '127.0.0.1');
    await once(server.server, 'listening');
    return self;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** SMTP_URL for the service. */
  get url(): string {
    return `smtp://${MailServer.USER}:${MailServer.PASSWORD}@127.0.0.1:${this.port}`;
  }

  /** The messages to this address so far, oldest first. */
  to(address: string): ParsedMail[] {
    return this.messages.filter((mail) => JSON.stringify(mail.to).includes(address));
  }

  /** The message after the `count` already received, when it comes. */
  async nextAfter(count: number, timeoutMs = 10_000): Promise<ParsedMail> {
    if (this.messages.length > count) return this.messages[count];
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('No email arrived')), timeoutMs);
      this.waiting.push((mail) => {
        clearTimeout(timer);
        resolve(mail);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Words that would tell a reader of the inbox about the patient's health or protocol. */
export const HEALTH_WORDS: readonly string[] = [
  ...PROTOCOLS.filter((protocol) => protocol !== 'other'),
  ...Object.values(PROTOCOL_LABELS).filter((label) => label !== 'Other'),
  'TRT',
  'testosterone',
  'estradiol',
  'estrogen',
  'progesterone',
  'hormone',
  'peptide',
  'sermorelin',
  'ipamorelin',
  'fertility',
  'protocol',
  'dose',
];

/** The health words found in a text, matched as whole words, ignoring case. */
export function healthWordsIn(text: string): string[] {
  return HEALTH_WORDS.filter((word) =>
    new RegExp(`(^|[^a-z])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z]|$)`, 'i').test(
      text,
    ),
  );
}
