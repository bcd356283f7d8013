import { Client } from 'pg';

export interface StoredIntakes {
  /** Intakes found for the patients asked about (one each is expected). */
  readonly count: number;
  /** Patients whose intake is submitted. */
  readonly submitted: Set<string>;
  /**
   * Intakes not stored whole: submitted without exactly one assessment and one
   * audit event, or in progress with any; or a dashboard summary that disagrees.
   */
  readonly notWhole: unknown[];
}

/** What the database holds for these patients' intakes, read over its own connection. */
export async function storedIntakes(
  url: string,
  patientIds: readonly string[],
): Promise<StoredIntakes> {
  const rows = await withClient(url, async (client) =>
    client.query<{
      patient_id: string;
      status: string;
      intake_status: string;
      assessments: number;
      submit_events: number;
    }>(
      `SELECT p.id AS patient_id, i.status, p.intake_status,
              (SELECT count(*)::int FROM assessments a WHERE a.intake_id = i.id) AS assessments,
              (SELECT count(*)::int FROM audit_events e
                WHERE e.target_id = i.id AND e.action = 'intake.submit' AND e.outcome = 'success') AS submit_events
         FROM patients p JOIN intakes i ON i.patient_id = p.id
        WHERE p.id = ANY($1)`,
      [patientIds],
    ),
  ).then((result) => result.rows);
  return {
    count: rows.length,
    submitted: new Set(rows.filter((r) => r.status === 'submitted').map((r) => r.patient_id)),
    notWhole: rows.filter((row) => {
      const once = row.status === 'submitted' ? 1 : 0;
      return (
        row.assessments !== once || row.submit_events !== once || row.intake_status !== row.status
      );
    }),
  };
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
