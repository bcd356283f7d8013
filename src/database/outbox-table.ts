import { EntityManager } from 'typeorm';

/** The outbox tables: each has the columns this class reads and writes. */
export type OutboxTableName = 'deliveries' | 'webhook_deliveries';

/**
 * The mechanics every outbox of this service shares: the emails to patients
 * (`deliveries`) and the webhook deliveries (`webhook_deliveries`). A row is
 * written in the same transaction as the change it reports, so it exists
 * exactly when the change does; it is then tried by whichever instance takes
 * it first. Each table has `id`, `status` (`pending` and `sending`, then an
 * outcome), `attempts`, `next_attempt_at` (while pending, when it is due;
 * while sending, when the lease ends) and `updated_at`.
 *
 * A try is three steps, and only the first and the last hold a transaction:
 * 1. Claim: `takeDue` takes a due row FOR UPDATE SKIP LOCKED (another
 *    instance skips it rather than waiting), the caller decides, and `lease`
 *    makes the row this try's for `leaseMs` before the transaction commits.
 * 2. Send, with nothing held and a time limit well under the lease.
 * 3. Record: `settle` writes the outcome only while the row is still this
 *    try's. An instance that died mid-send leaves a lease that ends; another
 *    takes the row up then (a second send: never lost, at worst twice), and
 *    the late first try's outcome is not recorded over the newer one.
 *
 * `drain` runs tries one after another until none is due, so one row that
 * keeps failing (it waits its backoff) never holds up the others.
 */
export class OutboxTable {
  private stopping = false;

  constructor(
    private readonly table: OutboxTableName,
    private readonly leaseMs: number,
  ) {}

  /**
   * The due row that is next (or `only` that one, if it is due), locked for
   * this transaction; undefined when none is due or every due one is taken.
   * A row still `sending` past its lease is due again.
   */
  async takeDue<T>(
    manager: EntityManager,
    columns: string,
    now: Date,
    only?: string,
  ): Promise<T | undefined> {
    const [due] = await manager.query<T[]>(
      `SELECT ${columns} FROM ${this.table}
       WHERE status IN ('pending', 'sending') AND next_attempt_at <= $1 ${only ? 'AND id = $2' : ''}
       ORDER BY next_attempt_at, id LIMIT 1
       FOR UPDATE SKIP LOCKED`,
      only ? [now, only] : [now],
    );
    return due;
  }

  /** Makes the row taken this try's: `sending`, its `attempt` counted, leased from `now`. */
  async lease(manager: EntityManager, id: string, attempt: number, now: Date): Promise<void> {
    await manager.query(
      `UPDATE ${this.table} SET status = 'sending', attempts = $2, next_attempt_at = $3,
         updated_at = $4
       WHERE id = $1`,
      [id, attempt, new Date(now.getTime() + this.leaseMs), now],
    );
  }

  /**
   * Records try `attempt`'s outcome (`columns`: column names and values, the
   * status among them) while the row is still that try's; false when a newer
   * try owns it, and nothing was written.
   */
  async settle(
    manager: EntityManager,
    id: string,
    attempt: number,
    columns: Readonly<Record<string, unknown>>,
  ): Promise<boolean> {
    const entries = Object.entries(columns);
    // TypeORM answers an UPDATE with [rows, affected], whatever it returns.
    const [, affected] = await manager.query<[unknown[], number]>(
      `UPDATE ${this.table} SET ${entries.map(([name], i) => `${name} = $${i + 3}`).join(', ')}
       WHERE id = $1 AND status = 'sending' AND attempts = $2`,
      [id, attempt, ...entries.map(([, value]) => value)],
    );
    return affected === 1;
  }

  /**
   * Runs `tryNext` (one try of the next due row; false when none was due)
   * until none is left, `limit` were tried, or `stop` was called; how many were.
   */
  async drain(tryNext: () => Promise<boolean>, limit: number): Promise<number> {
    let tried = 0;
    while (tried < limit && !this.stopping && (await tryNext())) tried += 1;
    return tried;
  }

  /** No new try starts after this (a try under way finishes). */
  stop(): void {
    this.stopping = true;
  }
}
