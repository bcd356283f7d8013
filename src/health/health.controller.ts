import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/actor';
import { DATABASE_RUNTIME, DatabaseRuntime } from '../config/config.module';

const CHECK_TIMEOUT_MS = 2_000;

export interface ReadinessReport {
  status: 'ready' | 'unavailable';
  checks: { database: { status: 'up' | 'down'; embedded: boolean } };
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(DATABASE_RUNTIME) private readonly database: DatabaseRuntime,
  ) {}

  /** The process answers: depends on nothing else. */
  @Get('live')
  @ApiOkResponse({ description: 'The process is running.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Whether the service can do its work: the database answers. */
  @Get('ready')
  @ApiOkResponse({ description: 'Every dependency is up.' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down.' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessReport> {
    const databaseUp = await this.databaseAnswers();
    const report: ReadinessReport = {
      status: databaseUp ? 'ready' : 'unavailable',
      checks: {
        database: { status: databaseUp ? 'up' : 'down', embedded: this.database.embedded },
      },
    };
    res.status(databaseUp ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
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
