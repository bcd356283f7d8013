import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Periodic work that must run once per deployment, not once per instance.
 * Every instance asks on its own timer; `claim` says yes to exactly one of
 * them per period, by moving the job's next run forward in one statement
 * (an insert the first time, an update after): the others find it already
 * moved and skip. A crashed instance's turn simply passes to whoever asks next.
 */
@Injectable()
export class PeriodicJobs {
  constructor(private readonly dataSource: DataSource) {}

  async claim(name: string, everyMs: number, now: Date): Promise<boolean> {
    const next = new Date(now.getTime() + everyMs);
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO periodic_jobs (name, next_run_at) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET next_run_at = EXCLUDED.next_run_at
         WHERE periodic_jobs.next_run_at <= $3
       RETURNING name`,
      [name, next, now],
    );
    return claimed.length === 1;
  }
}
