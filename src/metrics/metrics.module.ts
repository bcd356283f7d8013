import { createServer, Server } from 'node:http';
import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Metrics } from './metrics';

/**
 * Serves /metrics on METRICS_PORT (its own port, apart from the patients'
 * and clinicians' traffic), behind METRICS_TOKEN when one is set. Off when
 * METRICS_PORT is unset. Also reports the database pool.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server: Server | undefined;

  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.metrics.gauge(
      'db_pool_connections',
      'Database pool: connections in use, idle, and requests waiting for one',
      ['state'],
      (set) => {
        const pool = (this.dataSource.driver as unknown as { master?: PoolCounts }).master;
        if (!pool) return;
        set({ state: 'total' }, pool.totalCount);
        set({ state: 'idle' }, pool.idleCount);
        set({ state: 'waiting' }, pool.waitingCount);
      },
    );
    const { metricsPort, metricsToken, host } = this.config;
    if (metricsPort === undefined) return;
    this.server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      if (metricsToken && !bearerMatches(req.headers.authorization, metricsToken)) {
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
        return;
      }
      this.metrics.registry
        .metrics()
        .then((text) =>
          res.writeHead(200, { 'Content-Type': this.metrics.registry.contentType }).end(text),
        )
        .catch((error: unknown) => {
          this.logger.warn({ err: error }, 'Could not collect metrics');
          res.writeHead(500).end();
        });
    });
    await new Promise<void>((resolve) => this.server!.listen(metricsPort, host, resolve));
    this.logger.log({ port: metricsPort }, 'Metrics on /metrics');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.server) await new Promise((resolve) => this.server!.close(resolve));
  }
}

interface PoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer /, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

@Global()
@Module({
  providers: [{ provide: Metrics, useFactory: () => new Metrics() }, MetricsServer],
  exports: [Metrics],
})
export class MetricsModule {}
