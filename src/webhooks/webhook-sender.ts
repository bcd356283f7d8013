import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { WebhookProblem } from './webhook-delivery.entity';
import { allowedAddress, EndpointPolicy, hostToResolve } from './webhook-url';

/**
 * The longest one try may take, from resolving the host name to the status
 * line of the answer. Receivers are expected to answer at once and do their
 * work after; one that does not holds an instance's sending up to this long.
 */
export const SEND_LIMIT_MS = 10_000;

/** One try's request: the endpoint's address, the signed headers, the body. */
export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What became of a try: no problem with a 2xx status, or the class of the failure. */
export interface SendOutcome {
  readonly problem: WebhookProblem | null;
  /** The answer's status, when there was an answer. */
  readonly httpStatus: number | null;
}

/** Every address a host name resolves to, as the system resolver gives them. */
export type Resolve = (hostname: string) => Promise<readonly LookupAddress[]>;

const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * POSTs a webhook, under the endpoint policy at the moment of sending.
 *
 * The host name is resolved here, every address it gives is checked
 * (`allowedAddress`), and the connection goes to the first of them, the
 * one checked: a name that answered with a public address at registration
 * and a private one now, or that changes between the check and the connect
 * (DNS rebinding), never reaches a private network. TLS still verifies the
 * certificate against the host name. Redirects are not followed (a 3xx is
 * a failure: the admin should register the new address). The answer's body
 * is never read: the status decides, and the connection is closed.
 */
export class WebhookSender {
  constructor(
    private readonly policy: EndpointPolicy,
    private readonly resolve: Resolve = systemResolve,
    private readonly limitMs = SEND_LIMIT_MS,
  ) {}

  async send(request: WebhookRequest): Promise<SendOutcome> {
    const deadline = AbortSignal.timeout(this.limitMs);
    try {
      const url = new URL(request.url);
      const destination = await this.destination(url, deadline);
      if ('problem' in destination) return { problem: destination.problem, httpStatus: null };
      const httpStatus = await post(url, destination, request, deadline);
      return { problem: httpStatus >= 200 && httpStatus < 300 ? null : 'status', httpStatus };
    } catch (error) {
      return { problem: webhookProblemOf(error), httpStatus: null };
    }
  }

  /**
   * Whether a delivery to `url` could go now, as `send` decides it: null,
   * or why not (`dns`, `address`, `timeout`). For checking an address when
   * it is registered; `send` checks again every time.
   */
  async checkDestination(url: string): Promise<WebhookProblem | null> {
    try {
      const destination = await this.destination(new URL(url), AbortSignal.timeout(this.limitMs));
      return 'problem' in destination ? destination.problem : null;
    } catch (error) {
      return webhookProblemOf(error);
    }
  }

  /** The address to connect to: the first the name resolves to, when every one is allowed. */
  private async destination(
    url: URL,
    deadline: AbortSignal,
  ): Promise<LookupAddress | { problem: 'dns' | 'address' }> {
    const addresses = await untilAborted(this.resolve(hostToResolve(url)), deadline);
    const [first] = addresses;
    if (!first) return { problem: 'dns' };
    if (!addresses.every(({ address }) => allowedAddress(url, address, this.policy))) {
      return { problem: 'address' };
    }
    return first;
  }
}

/** The status of the answer to one POST, connected to `pinned` whatever the host name says. */
function post(
  url: URL,
  pinned: LookupAddress,
  request: WebhookRequest,
  signal: AbortSignal,
): Promise<number> {
  const toPinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  return new Promise<number>((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const outgoing = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...request.headers,
          'content-length': String(Buffer.byteLength(request.body)),
          'user-agent': 'webhooks/1',
        },
        lookup: toPinned,
        // A connection of its own: a pooled one could lead to an address checked for another try.
        agent: false,
        signal,
      },
      (answer) => {
        resolve(answer.statusCode ?? 0);
        answer.destroy();
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** `work`, or the deadline's reason once it passes. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason as Error);
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    void work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA']);
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'EPIPE',
]);
const TLS_CODE =
  /^(EPROTO|ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)/;

/** The class of a failed try, for the record and the page; the receiver's words are never kept. */
export function webhookProblemOf(error: unknown): WebhookProblem {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  // The only signal is the deadline: an aborted request timed out.
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'ETIMEDOUT') return 'timeout';
  if (typeof code !== 'string') return 'error';
  if (DNS_CODES.has(code)) return 'dns';
  if (CONNECTION_CODES.has(code)) return 'connection';
  if (TLS_CODE.test(code)) return 'tls';
  return 'error';
}
