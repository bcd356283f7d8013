import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('liveness answers without touching anything', async () => {
    const response = await request(t.server).get('/health/live');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('readiness reports the database up, and which kind', async () => {
    const response = await request(t.server).get('/health/ready');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ready',
      checks: { database: { status: 'up', embedded: false }, pdfBrowser: { status: 'idle' } },
    });
  });

  it('readiness reports 503 when the database is gone', async () => {
    await t.dataSource.destroy();
    const response = await request(t.server).get('/health/ready');
    expect(response.status).toBe(503);
    expect(response.body.checks.database.status).toBe('down');
    await t.dataSource.initialize();
  });

  it('has a favicon, so no page asks for one in vain', async () => {
    const asked = await request(t.server).get('/favicon.ico');
    expect(asked.status).toBe(301);
    expect(asked.headers.location).toBe('/assets/favicon.svg');
    const icon = await request(t.server).get('/assets/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toContain('image/svg+xml');
    const page = await request(t.server).get('/sign-in').set('Accept', 'text/html');
    expect(page.text).toContain('<link rel="icon" href="/assets/favicon.svg"');
  });
});
