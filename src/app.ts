import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { bodyParsers } from './common/body-parsing';
import { refuseUnreadableUrl } from './common/url-guard';
import { Cookies } from './auth/cookies';
import { AppConfig } from './config/app-config';
import { DatabaseRuntime } from './config/config.module';
import { TEMPLATES_DIR } from './views/view-renderer';
import { Metrics } from './metrics/metrics';

/**
 * Builds the HTTP application exactly as it runs in production; tests call
 * this too, so they exercise the same headers, parsers, guards and filters.
 */
export async function createApp(
  config: AppConfig,
  database: DatabaseRuntime,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register(config, database),
    {
      bufferLogs: true,
      bodyParser: false,
    },
  );
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  const metrics = app.get(Metrics);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const stop = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      // The route's pattern (/api/patients/:id), never the path itself: no ids or tokens in labels.
      const route = (req.route as { path?: string } | undefined)?.path;
      stop({ method: req.method, route: route ?? 'other', status: String(res.statusCode) });
    });
    next();
  });
  // Only the proxies named: a client reaching the port directly cannot pose as one.
  if (config.trustProxy) app.set('trust proxy', config.trustProxy);

  const pageHeaders = securityHeaders(config, ["'self'"]);
  // Swagger UI styles its icon sprite inline: only its page may use inline styles.
  const docsHeaders = securityHeaders(config, ["'self'", "'unsafe-inline'"]);
  app.use((req: Request, res: Response, next: NextFunction) =>
    (req.path === '/api/docs' || req.path.startsWith('/api/docs/') ? docsHeaders : pageHeaders)(
      req,
      res,
      next,
    ),
  );
  app.use(cookieParser());
  // Patient data and pages are never cached; only the static assets below may be.
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Before the body is read and before any route decodes it: an address that is not text.
  app.use(refuseUnreadableUrl);
  app.use(...bodyParsers());
  app.useStaticAssets(join(TEMPLATES_DIR, 'assets'), {
    prefix: '/assets/',
    index: false,
    // Replaces the no-store above, for files found here only (the send module keeps a header set earlier).
    setHeaders: (res: Response) => {
      res.setHeader('Cache-Control', 'public, max-age=3600');
    },
  });

  // Browsers ask for /favicon.ico by themselves, page or not: the icon is an SVG among the assets.
  app.use('/favicon.ico', (_req: Request, res: Response) =>
    res.redirect(301, '/assets/favicon.svg'),
  );

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Hormone-protocol lifestyle intake')
      .setDescription(
        'Patients answer a lifestyle intake; rules turn it into sourced discussion points for clinicians. No dosing advice.',
      )
      .setVersion('0.1.0')
      .addCookieAuth(new Cookies(config).session)
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        description: 'An API key an admin made on the API keys page (hk_…).',
      })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/openapi.json' });

  return app;
}

function securityHeaders(config: AppConfig, styleSrc: string[]): ReturnType<typeof helmet> {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc,
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: config.env === 'production' ? { maxAge: 31_536_000 } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
}
