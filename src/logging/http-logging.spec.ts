import { Body, Controller, Get, INestApplication, Post } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Logger, LoggerModule } from 'nestjs-pino';
import request from 'supertest';
import { QueryFailedError } from 'typeorm';
import { gzipSync } from 'node:zlib';
import { bodyParsers } from '../common/body-parsing';
import { ErrorFilter } from '../common/error.filter';
import { refuseUnreadableUrl } from '../common/url-guard';
import { Pages } from '../views/pages';
import { ViewRenderer } from '../views/view-renderer';
import { httpLoggerOptions } from './logging.module';

/*
 * The logging as the service wires it (pino-http with httpLoggerOptions, the
 * nestjs-pino logger, ErrorFilter, the body parsers), with the JSON lines
 * captured instead of written to stdout. An unexpected 500 cannot be caused
 * through the real service's routes on purpose, so it is caused here.
 */

const SECRET = 'MRN-SECRET-7f3a';

@Controller()
class FailingController {
  @Get('api/bug')
  bug(): never {
    const section = undefined as unknown as { sleep: { hours: number } };
    return section.sleep.hours as never; // a TypeError, as a real bug throws it
  }

  @Get('api/database')
  database(): never {
    const driverError = Object.assign(
      new Error(`duplicate key value violates unique constraint: ${SECRET}`),
      {
        code: '23505',
        constraint: 'patients_clinic_id_reference_key',
        detail: `Key (reference)=(${SECRET}) already exists.`,
      },
    );
    throw new QueryFailedError('INSERT INTO patients ...', [SECRET], driverError);
  }

  @Get('health/bug')
  probe(): never {
    throw new Error('probe failed');
  }

  @Post('api/echo')
  echo(@Body() body: unknown): unknown {
    return body;
  }
}

type Line = Record<string, unknown> & {
  level: number;
  msg?: string;
  req?: { id?: string; method?: string; url?: string };
  res?: { statusCode?: number };
  err?: Record<string, unknown>;
  bodyRefused?: string;
  urlRefused?: string;
};

describe('request logging: one line per failure, with what went wrong and no values', () => {
  let app: INestApplication;
  const output: string[] = [];
  const lines = (): Line[] =>
    output
      .join('')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Line);
  /** The lines about one request, once its line has been written (on the response's end). */
  const linesFor = async (id: string, count = 1): Promise<Line[]> => {
    for (let waited = 0; waited < 2_000; waited += 10) {
      const found = lines().filter((line) => line.req?.id === id);
      if (found.length >= count) {
        await new Promise((resolve) => setTimeout(resolve, 50)); // and no second line
        return lines().filter((line) => line.req?.id === id);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return [];
  };

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        LoggerModule.forRoot({
          pinoHttp: [
            httpLoggerOptions({ logLevel: 'info' }),
            { write: (line: string) => void output.push(line) },
          ],
        }),
      ],
      controllers: [FailingController],
      providers: [
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: ViewRenderer, useValue: {} },
        { provide: Pages, useValue: {} },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false, bufferLogs: true });
    app.useLogger(app.get(Logger));
    // Like the middleware createApp registers before pino-http's: a failure there has no line of its own.
    app.use((req: Request, _res: Response, next: NextFunction) =>
      next(req.path === '/api/early' ? new RangeError('failed before the logger') : undefined),
    );
    app.use(refuseUnreadableUrl);
    app.use(...bodyParsers());
    await app.init();
  });
  afterAll(() => app.close());

  it('logs an unexpected 500 once, with the error type, message and stack', async () => {
    const response = await request(app.getHttpServer()).get('/api/bug');
    expect(response.status).toBe(500);
    const id = response.headers['x-request-id'];
    expect(response.body.requestId).toBe(id);

    const logged = await linesFor(id);
    expect(logged).toHaveLength(1);
    const [line] = logged;
    expect(line).toMatchObject({
      level: 50,
      req: { id, method: 'GET', url: '/api/bug' },
      res: { statusCode: 500 },
      err: {
        type: 'TypeError',
        message: expect.stringContaining("Cannot read properties of undefined (reading 'sleep')"),
        stack: expect.stringContaining('http-logging.spec'),
      },
    });
  });

  it('logs a 500 of a request that failed before pino-http saw it, with an id', async () => {
    const response = await request(app.getHttpServer()).get('/api/early');
    expect(response.status).toBe(500);
    const id = response.headers['x-request-id'];
    expect(id).toEqual(expect.any(String));
    expect(response.body.requestId).toBe(id);
    const logged = await linesFor(id);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 50,
      req: { id, method: 'GET', url: '/api/early' },
      res: { statusCode: 500 },
      err: { type: 'RangeError', message: 'failed before the logger' },
    });
  });

  it('logs a database error by its code and constraint only', async () => {
    const response = await request(app.getHttpServer()).get('/api/database');
    expect(response.status).toBe(500);
    const logged = await linesFor(response.headers['x-request-id']);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      res: { statusCode: 500 },
      err: {
        type: 'QueryFailedError',
        code: '23505',
        constraint: 'patients_clinic_id_reference_key',
      },
    });
    expect(JSON.stringify(logged[0])).not.toMatch(new RegExp(`${SECRET}|INSERT`));
  });

  it('logs a 500 of a probe, whose requests have no line of their own', async () => {
    const response = await request(app.getHttpServer()).get('/health/bug');
    expect(response.status).toBe(500);
    const logged = await linesFor(response.headers['x-request-id']);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 50,
      req: { method: 'GET', url: '/health/bug' },
      res: { statusCode: 500 },
      err: { type: 'Error', message: 'probe failed' },
    });
  });

  it.each([
    [
      'too large',
      'application/json',
      JSON.stringify({ note: `${SECRET} `.repeat(10_000) }),
      413,
      'entity.too.large',
    ],
    ['not JSON', 'application/json', `{"note":"${SECRET}`, 400, 'entity.parse.failed'],
    [
      'a NUL character',
      'application/json',
      JSON.stringify({ note: `${SECRET}\u0000` }),
      400,
      'body.nul.character',
    ],
    [
      'nested too deep',
      'application/json',
      `{"note":${'['.repeat(40)}"${SECRET}"${']'.repeat(40)}}`,
      400,
      'body.too.deep',
    ],
    [
      'a form with a NUL character',
      'application/x-www-form-urlencoded',
      `note=${SECRET}%00`,
      400,
      'body.nul.character',
    ],
  ])(
    'logs a body refused as %s once, as a warning naming why, without the body',
    async (_what, type, body, status, refusal) => {
      const response = await request(app.getHttpServer())
        .post('/i/LinkToken-Secret-123/echo?q=x')
        .set('Accept', 'application/json')
        .set('Content-Type', type)
        .send(body);
      expect(response.status).toBe(status);
      const id = response.headers['x-request-id'];
      expect(id).toEqual(expect.any(String));
      expect(response.body.requestId).toBe(id);

      const logged = await linesFor(id);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({
        level: 40,
        req: { id, method: 'POST', url: '/i/[redacted]/echo' },
        res: { statusCode: status },
        bodyRefused: refusal,
      });
      expect(JSON.stringify(logged[0])).not.toMatch(/SECRET|LinkToken|note/);
    },
  );

  it('logs a truncated gzip body once, as a warning naming why, without the body', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/echo')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize((bytes: Buffer) => bytes as unknown as string)
      .send(gzipSync(JSON.stringify({ note: SECRET })).subarray(0, 20));
    expect(response.status).toBe(400);
    const logged = await linesFor(response.headers['x-request-id']);
    expect(logged).toEqual([
      expect.objectContaining({ level: 40, bodyRefused: 'encoding.corrupt' }),
    ]);
  });

  it.each([
    ['%00', 'url.nul.character'],
    ['%C3%28', 'url.not.utf'],
    ['%zz', 'url.bad.escape'],
  ])('logs an address refused for %s once, naming why, without its query', async (bad, why) => {
    const response = await request(app.getHttpServer()).get(`/api/echo?q=${SECRET}${bad}`);
    expect(response.status).toBe(400);
    const id = response.headers['x-request-id'];
    const logged = await linesFor(id);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 40,
      req: { id, method: 'GET', url: '/api/echo?[redacted]' },
      res: { statusCode: 400 },
      urlRefused: why,
    });
    expect(JSON.stringify(logged[0])).not.toContain(SECRET);
  });

  it('keeps the request id the caller sent on a refused body', async () => {
    const response = await request(app.getHttpServer())
      .post('/api/echo')
      .set('X-Request-Id', 'caller-id-12345')
      .set('Content-Type', 'application/json')
      .send('{"x":');
    expect(response.status).toBe(400);
    expect(response.headers['x-request-id']).toBe('caller-id-12345');
    expect(await linesFor('caller-id-12345')).toHaveLength(1);
  });

  it('still logs an accepted body as one ordinary line', async () => {
    const response = await request(app.getHttpServer()).post('/api/echo').send({ ok: true });
    expect(response.status).toBe(201);
    const logged = await linesFor(response.headers['x-request-id']);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 30, res: { statusCode: 201 } });
    expect(logged[0].bodyRefused).toBeUndefined();
  });
});
