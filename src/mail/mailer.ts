import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { AppConfig, MailConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DeliveryProblem } from './delivery.entity';

/** A message ready to go: one recipient, both parts rendered from one template. */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /**
   * Where a mail program's "unsubscribe" stops these emails: sent as
   * List-Unsubscribe with one-click POST (RFC 8058), which the address must
   * accept without a form token; a plain GET of it must change nothing.
   */
  readonly unsubscribe?: string;
}

/** Seconds to wait for the mail server, so a clinician's request never hangs for long. */
const CONNECT_SECONDS = 10;
const SOCKET_SECONDS = 20;

/**
 * Sends email over SMTP (nodemailer), when SMTP_URL and MAIL_FROM are set;
 * otherwise `enabled` is false and nothing is sent. One connection per
 * message: sends are few (a clinician's click, later a reminder job).
 */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly transport: Transporter | undefined;
  private readonly mail: MailConfig | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.mail = config.mail;
    this.transport = config.mail && createTransport(transportOptions(config));
  }

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  /** Resolves once the server accepted the message; throws what the server or network said. */
  async send(message: OutgoingMail): Promise<void> {
    if (!this.transport || !this.mail) throw new Error('Email is off: SMTP_URL is not set');
    await this.transport.sendMail({
      from: this.mail.from,
      replyTo: this.mail.replyTo,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: message.unsubscribe
        ? {
            'List-Unsubscribe': `<${message.unsubscribe}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          }
        : undefined,
      // No tracking, nothing fetched from elsewhere: the message is complete as sent.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}

function transportOptions(config: AppConfig) {
  const url = new URL(config.mail!.smtpUrl);
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    // smtp:// upgrades with STARTTLS when offered; in production it must, except on this machine.
    requireTLS: url.protocol === 'smtp:' && config.env === 'production' && !local,
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    connectionTimeout: CONNECT_SECONDS * 1000,
    greetingTimeout: CONNECT_SECONDS * 1000,
    socketTimeout: SOCKET_SECONDS * 1000,
    logger: false,
    debug: false,
  };
}

/**
 * The class of a failed send, for the record and the page. The server's own
 * words are never kept: a refusal quotes the address.
 */
export function deliveryProblemOf(error: unknown): DeliveryProblem {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  if (code === 'EAUTH' || code === 'ENOAUTH') return 'sign_in';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (typeof responseCode === 'number' && responseCode >= 500) return 'refused';
  // 4xx: the server asks to try later.
  if (typeof responseCode === 'number' && responseCode >= 400) return 'unavailable';
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return 'refused';
  if (
    typeof code === 'string' &&
    ['ECONNECTION', 'ESOCKET', 'EDNS', 'ETLS', 'ECONNREFUSED', 'ECONNRESET', 'EPROTOCOL'].includes(
      code,
    )
  ) {
    return 'unavailable';
  }
  return 'error';
}

/** What the clinician reads after "Could not email:". */
export const DELIVERY_PROBLEM_LABELS: Readonly<Record<DeliveryProblem, string>> = {
  refused: 'the mail server refused the address or the message',
  unavailable: 'the mail server could not be reached, or it broke off',
  sign_in: 'the mail server refused the service’s sign-in (SMTP_URL)',
  timeout: 'the mail server did not answer in time',
  error: 'the message could not be sent',
};
