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
});
