import { isIP } from 'node:net';
import { isLoopbackAddress, isPublicAddress } from './public-address';

/** The longest address kept (the column's length). */
export const ENDPOINT_URL_MAX = 2048;

/**
 * Where deliveries may go. In production: https only, to the standard port,
 * to a full host name or IP address on the public internet, never this
 * machine or a private network (a webhook is a request the service makes
 * for whoever typed the address: server-side request forgery otherwise
 * reaches what only the server can). Elsewhere, http is allowed too, to
 * this machine only, so tests and a developer can run a local receiver.
 */
export interface EndpointPolicy {
  readonly production: boolean;
}

export type UrlCheck = { readonly url: string } | { readonly problem: string };

const PRIVATE =
  'That address is this computer or a private network: deliveries go only to the public internet.';

/** The host as typed between `scheme://` and the port, path, query or fragment. */
const TYPED_HOST = /^[a-z][a-z0-9+.-]*:\/\/(\[[^\]]*\]|[^/?#:]*)/i;

/**
 * Reads the address an admin typed: the one to store, normalised (`url`), or
 * what is wrong with it, in words for the field (`problem`). Beyond the
 * policy's scheme and host rules it refuses what could mean one thing here
 * and another to a server or proxy: credentials (deliveries are signed
 * instead), a fragment (never sent), spaces, backslashes and control
 * characters, and a host written otherwise than it is read (`2130706433`
 * or `0x7f.1` for 127.0.0.1, a name in another script, a trailing dot).
 * Where the name leads is checked when it is registered and before every
 * delivery (`allowedAddress`).
 */
export function checkEndpointUrl(typed: string, policy: EndpointPolicy): UrlCheck {
  const text = typed.trim();
  if (text === '') return { problem: 'Give the address of the endpoint, starting with https://.' };
  if (text.length > ENDPOINT_URL_MAX) {
    return { problem: `Give an address of at most ${ENDPOINT_URL_MAX} characters.` };
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\\\u0000-\u001f\u007f]/.test(text)) {
    return { problem: 'Type the address without spaces, backslashes or control characters.' };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'That is not a web address: give one such as https://example.org/webhooks.' };
  }
  const http = url.protocol === 'http:' && !policy.production && isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !http) {
    return {
      problem: policy.production
        ? 'Give an https:// address: deliveries are only sent encrypted.'
        : 'Give an https:// address (http:// only to this computer, for testing).',
    };
  }
  if (url.username || url.password || /^[^/]*\/\/[^/?#]*@/.test(text)) {
    return {
      problem:
        'Leave the user name and password out of the address: deliveries are signed instead.',
    };
  }
  if (text.includes('#')) return { problem: 'Leave out the part from # on: it is never sent.' };
  const host = TYPED_HOST.exec(text)?.[1]?.toLowerCase();
  if (host !== url.hostname || url.hostname.endsWith('.')) {
    return {
      problem:
        'Write the host name as it is registered (letters, digits, hyphens and dots, no dot at the end), or an IP address in its usual form.',
    };
  }
  if (policy.production) {
    if (url.port !== '') return { problem: 'Leave the port out: deliveries use https’s own, 443.' };
    if (!isPublicHost(url.hostname)) return { problem: PRIVATE };
  }
  return { url: url.href };
}

/** Whether an address the URL's host resolved to may be connected to, for that URL, under the policy. */
export function allowedAddress(url: URL, address: string, policy: EndpointPolicy): boolean {
  if (policy.production) return isPublicAddress(address);
  return url.protocol === 'https:' || isLoopbackAddress(address);
}

/** The name or address to resolve: URLs write IPv6 addresses in brackets. */
export function hostToResolve(url: URL): string {
  return unbracketed(url.hostname);
}

const unbracketed = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1');

/** A host name that can only mean this machine, or a loopback address. */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || isLoopbackAddress(hostname);
}

/**
 * A public IP address, or a full host name outside `localhost`: a name of
 * one label is completed from the server's own search domains, so it names
 * a machine of the server's network. Where a name leads is checked apart.
 */
function isPublicHost(hostname: string): boolean {
  if (isIP(unbracketed(hostname))) return isPublicAddress(hostname);
  return hostname.includes('.') && !hostname.endsWith('.localhost');
}
