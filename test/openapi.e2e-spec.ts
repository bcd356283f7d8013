import request from 'supertest';
import { ErrorCode } from '../src/common/domain-error';
import { startTestApp, TestApp } from './support/test-app';

interface MediaType {
  schema?: { $ref?: string; type?: string; items?: { $ref?: string } };
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}
interface ApiResponse {
  description?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  summary?: string;
  description?: string;
  security?: Record<string, unknown>[];
  requestBody?: { content?: Record<string, MediaType> };
  responses: Record<string, ApiResponse>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const exampleOf = (media: MediaType | undefined): unknown =>
  media?.example ?? Object.values(media?.examples ?? {})[0]?.value;

/*
 * The OpenAPI document the service serves, held to what an integrator
 * needs: every operation described, with an example of its answer, every
 * error it may answer in the product's error body with an example, who may
 * call it, and an example of any body it takes.
 */
describe('the OpenAPI document', () => {
  let t: TestApp;
  let document: Document;
  const operations: { name: string; operation: Operation }[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    const served = await request(t.server).get('/api/openapi.json');
    if (served.status !== 200) throw new Error(`The document gave ${served.status}`);
    document = served.body as Document;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of METHODS) {
        const operation = item[method];
        if (operation) operations.push({ name: `${method.toUpperCase()} ${path}`, operation });
      }
    }
  });
  afterAll(() => t.close());

  it('lists the API: patients, links, intakes, assessments, marks, reviews, handouts, the audit log', () => {
    const names = operations.map(({ name }) => name);
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /api/patients',
        'POST /api/patients',
        'PATCH /api/patients/{id}',
        'POST /api/patients/{id}/archive',
        'GET /api/patients/{patientId}/intakes',
        'POST /api/patients/{patientId}/invitations',
        'POST /api/invitations/{id}/email',
        'GET /api/intakes/{id}',
        'GET /api/intakes/{intakeId}/assessments',
        'PUT /api/assessments/{id}/points/{pointId}',
        'POST /api/intakes/{id}/review',
        'GET /api/assessments/{id}/handouts/{kind}',
        'GET /api/audit-events',
      ]),
    );
    expect(operations.length).toBeGreaterThanOrEqual(22);
  });

  it('describes every operation, with an example of what it answers and of what it takes', () => {
    const missing: string[] = [];
    for (const { name, operation } of operations) {
      if (!operation.summary?.trim()) missing.push(`${name}: summary`);
      if (!operation.description?.trim()) missing.push(`${name}: description`);
      const ok = Object.entries(operation.responses).filter(([status]) => /^2/.test(status));
      if (ok.length === 0) missing.push(`${name}: a success response`);
      for (const [status, response] of ok) {
        const media = Object.values(response.content ?? {});
        if (!response.description?.trim()) missing.push(`${name} ${status}: description`);
        if (media.length === 0 || media.some((m) => exampleOf(m) === undefined))
          missing.push(`${name} ${status}: example`);
      }
      const body = Object.values(operation.requestBody?.content ?? {});
      if (body.some((m) => exampleOf(m) === undefined)) missing.push(`${name}: body example`);
    }
    expect(missing).toEqual([]);
  });

  it("documents every operation's errors in the product's error body, each with an example", () => {
    const codes = new Set<string>(Object.values(ErrorCode));
    const missing: string[] = [];
    for (const { name, operation } of operations) {
      const errors = Object.entries(operation.responses).filter(([status]) => /^[45]/.test(status));
      const statuses = errors.map(([status]) => status);
      if (!statuses.includes('401')) missing.push(`${name}: 401`);
      if (!statuses.includes('403')) missing.push(`${name}: 403`);
      for (const [status, response] of errors) {
        const media = response.content?.['application/json'];
        const example = exampleOf(media) as { statusCode?: number; code?: string } | undefined;
        if (!media?.schema?.$ref?.endsWith('/ErrorBodyDto'))
          missing.push(`${name} ${status}: error body`);
        if (example?.statusCode !== Number(status) || !codes.has(example.code ?? ''))
          missing.push(`${name} ${status}: example`);
        if (!response.description?.includes('`')) missing.push(`${name} ${status}: codes named`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('says which operations an API key may call, and with which scope', () => {
    const withKey = operations.filter(({ operation }) =>
      (operation.security ?? []).some((scheme) => 'bearer' in scheme),
    );
    expect(withKey.length).toBeGreaterThanOrEqual(18);
    for (const { name, operation } of withKey) {
      expect(`${name}: ${operation.description}`).toMatch(/API key with the scope `[a-z]+:[a-z]+`/);
    }
    const audit = operations.find(({ name }) => name === 'GET /api/audit-events')!;
    expect(audit.operation.description).toContain('not open to API keys');
  });
});
