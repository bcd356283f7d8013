import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/actor';
import { DATABASE_RUNTIME, DatabaseRuntime } from '../config/config.module';
import { PdfRenderer, RendererStatus } from '../handouts/pdf-renderer';

const CHECK_TIMEOUT_MS = 2_000;

export interface ReadinessReport {
  status: 'ready' | 'unavailable';
  checks: {
    database: { status: 'up' | 'down'; embedded: boolean };
    /** idle: not started yet (it starts on first use); down: it could not start. */
    pdfBrowser: { status: RendererStatus };
  };
}

// For load balancers and orchestrators (README, "Operating it"), not for integrators.
@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_RUNTIME) private readonly database: DatabaseRuntime,
    private readonly renderer: PdfRenderer,
  ) {}

  /** The process answers: depends on nothing else. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Whether the service can do its work: the database answers and the PDF browser has not failed. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessReport> {
    const databaseUp = await this.databaseAnswers();
    const browser = this.renderer.status();
    const ready = databaseUp && browser !== 'down';
    const report: ReadinessReport = {
      status: ready ? 'ready' : 'unavailable',
      checks: {
        database: { status: databaseUp ? 'up' : 'down', embedded: this.database.embedded },
        pdfBrowser: { status: browser },
      },
    };
    res.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }

  private async databaseAnswers(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
    });
    const query = this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
