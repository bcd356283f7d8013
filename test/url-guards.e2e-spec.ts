import request from 'supertest';
import {
  browser,
  Browser,
  createClinic,
  createUser,
  signIn,
  startTestApp,
  TestApp,
} from './support/test-app';

/*
 * Addresses no route can read: a NUL character (which PostgreSQL cannot
 * store), bytes that are not UTF-8, and broken percent-encoding, in the path
 * or the query. Each once answered 500; now 400, naming the query parameter
 * (or "path"), as JSON on /api/ and as the error page on pages.
 */

/** Values that are not text: NUL, invalid or truncated UTF-8, and broken escapes. */
const UNREADABLE = ['%00', 'a%00b', '%FF', '%C3%28', '%E2%82', '%ED%A0%80', '%', '%zz', 'ab%4'];

describe('addresses with NUL, invalid UTF-8 or bad percent-encoding: 400 naming the field', () => {
  let t: TestApp;
  let clinician: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    const clinic = await createClinic(t.dataSource, 'Url Clinic');
    const user = await createUser(t.dataSource, clinic, { email: 'doc@url.test' });
    clinician = await signIn(t.server, user);
  });
  afterAll(() => t.close());

  it.each(UNREADABLE)('GET /api/patients?q=%s answers 400 JSON naming q', async (value) => {
    const response = await clinician.agent.get(`/api/patients?q=${value}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      statusCode: 400,
      code: 'validation_failed',
      fields: [{ field: 'q', message: expect.any(String) }],
    });
  });

  it.each(UNREADABLE)('GET /?q=%s answers the 400 error page naming q', async (value) => {
    const response = await clinician.agent.get(`/?q=${value}`).set('Accept', 'text/html');
    expect(response.status).toBe(400);
    expect(response.type).toBe('text/html');
    expect(response.text).toContain('<h1>Something went wrong</h1>');
    expect(response.text).toContain('The query parameter &quot;q&quot;');
  });

  it('names the parameter whatever its place, also for a broken name, and signed out', async () => {
    const cases: [string, string][] = [
      ['/api/patients?limit=5&q=%00', 'q'],
      ['/api/patients?q=fine&q=%FF', 'q'],
      ['/api/patients?q[]=%00', 'q'],
      // A name that is not text itself is named as it was sent.
      ['/api/patients?sort=name&na%00me=x', 'na%00me'],
      ['/api/patients?%zz=1', '%zz'],
      ['/api/patients?=%00', 'query'],
    ];
    for (const [url, field] of cases) {
      const response = await clinician.agent.get(url);
      expect(`${url} ${response.status}`).toBe(`${url} 400`);
      expect(response.body.fields).toEqual([{ field, message: expect.any(String) }]);
    }
    const stranger = await request(t.server).get('/health/live?probe=%C3%28');
    expect(stranger.status).toBe(400);
    expect(stranger.body.fields).toEqual([{ field: 'probe', message: expect.any(String) }]);
  });

  it('refuses the same in the path, naming "path", on pages and on the API', async () => {
    for (const path of ['/patients/%zz', '/patients/%FF', '/intake/%E2%82', '/%00', '/i/%']) {
      const page = await clinician.agent.get(path).set('Accept', 'text/html');
      expect(`${path} ${page.status}`).toBe(`${path} 400`);
      expect(page.text).toContain('address');
    }
    for (const path of ['/api/patients/%zz', '/api/patients/%C3%28', '/api/intake/links/%00']) {
      const response = await clinician.agent.get(path);
      expect(`${path} ${response.status}`).toBe(`${path} 400`);
      expect(response.body.fields).toEqual([{ field: 'path', message: expect.any(String) }]);
    }
    const signedOut = await browser(t.server).agent.get('/patients/%zz');
    expect(signedOut.status).toBe(400);
  });

  it('still serves well-formed UTF-8 in the query and the path', async () => {
    const search = await clinician.agent.get('/api/patients?q=%C3%A9l%C3%A9onore%20%E4%B8%AD');
    expect(search.status).toBe(200);
    const plus = await clinician.agent.get('/api/patients?q=a+b&sort=name');
    expect(plus.status).toBe(200);
    const page = await clinician.agent.get('/?q=Zo%C3%AB').set('Accept', 'text/html');
    expect(page.status).toBe(200);
    const unknown = await clinician.agent.get('/api/patients/%C3%A9');
    expect(unknown.status).toBe(404);
  });
});
