import { codeAt, fromBase32, stepAt } from '../../src/auth/totp';

/**
 * A cookie-keeping HTTP client over fetch, like one browser, for a service
 * listening on a port (the benchmark, the load and fault tests): it goes
 * through the real HTTP stack (sign-in form, CSRF, cookies) and, unlike
 * supertest, keeps many requests in flight at once.
 */
export class HttpClient {
  private cookies = new Map<string, string>();

  constructor(
    private readonly baseUrl: string,
    cookies?: Map<string, string>,
  ) {
    if (cookies) this.cookies = cookies;
  }

  /** The same browser (its cookies shared) talking to another instance of the service. */
  at(baseUrl: string): HttpClient {
    return new HttpClient(baseUrl, this.cookies);
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    csrf?: string,
    accept = 'application/json',
  ): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (this.cookies.size > 0)
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (csrf) headers['x-csrf-token'] = csrf;
    let payload: string | undefined;
    if (body instanceof URLSearchParams) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = body.toString();
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: payload,
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  }

  /** The CSRF token a page embeds in its forms. */
  async csrf(path: string): Promise<string> {
    const response = await this.request('GET', path, undefined, undefined, 'text/html');
    const match = /name="_csrf" value="([^"]+)"/.exec(await response.text());
    if (!match) throw new Error(`No CSRF token on ${path} (${response.status})`);
    return match[1];
  }

  /** Agrees to the clinic's privacy notice, as a patient who opened their link does first. */
  async agreeToConsent(): Promise<void> {
    const page = await (
      await this.request('GET', '/intake/consent', undefined, undefined, 'text/html')
    ).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    const consentTextId = /name="consentTextId" value="([^"]+)"/.exec(page)?.[1];
    if (!csrf || !consentTextId) throw new Error('No privacy notice to agree to');
    const response = await this.request(
      'POST',
      '/intake/consent',
      new URLSearchParams({ _csrf: csrf, consentTextId, decision: 'agree' }),
    );
    if (response.status !== 303) throw new Error(`Agreeing failed: ${response.status}`);
  }

  /** A JSON call that must succeed; its parsed body. */
  async json<T>(method: string, path: string, body?: unknown, csrf?: string): Promise<T> {
    const response = await this.request(method, path, body, csrf);
    if (!response.ok)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /**
   * Signs in through the form, with the second step when the account has
   * one (`totpSecret`, base32) or its clinic requires one: then it sets up
   * an authenticator as a person would, from the key on the page, and
   * returns that key for the next sign-in.
   */
  async signIn(email: string, password: string, totpSecret?: string): Promise<string | undefined> {
    const token = await this.csrf('/sign-in');
    const response = await this.request(
      'POST',
      '/sign-in',
      new URLSearchParams({ _csrf: token, email, password }),
    );
    if (response.status !== 303) throw new Error(`Sign-in failed: ${response.status}`);
    const next = response.headers.get('location');
    if (next === '/sign-in/code') {
      if (!totpSecret) throw new Error('Sign-in asks for a code: give the authenticator key');
      await this.secondStep(next, totpSecret);
      return totpSecret;
    }
    if (next === '/sign-in/set-up') {
      const page = await (
        await this.request('GET', next, undefined, undefined, 'text/html')
      ).text();
      const key = /id="mfa-secret">([^<]+)</.exec(page)?.[1];
      if (!key) throw new Error('No authenticator key on the set-up page');
      await this.secondStep(next, key);
      return key;
    }
    return undefined;
  }

  private async secondStep(path: string, key: string): Promise<void> {
    const token = await this.csrf(path);
    const code = codeAt(fromBase32(key), stepAt(new Date()));
    const response = await this.request('POST', path, new URLSearchParams({ _csrf: token, code }));
    if (response.status !== 303) throw new Error(`Second step failed: ${response.status}`);
  }
}
