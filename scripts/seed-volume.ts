/* eslint-disable no-console -- a command-line tool reports what it did */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { PROTOCOLS } from '../src/common/protocol';
import { loadConfig } from '../src/config/app-config';
import { PROJECT_ROOT } from '../src/config/project-root';
import { runMigrations, startDatabase, withDataSource } from '../src/database/database-server';
import { Answers } from '../src/content/schema/questionnaire.schema';
import { scoreIntake } from '../src/intake/scoring';
import { evaluate } from '../src/rules/evaluate';
import { DEMO_CLINIC_NAME } from '../src/seed/demo-seed';
import { loadContent } from '../src/content/content';

/**
 * Dashboard volume: 100,000 patients with 5 intakes each (500,000), for the
 * patient-list benchmark and for trying the dashboard at a large clinic's size.
 *
 * Each patient's newest submitted intake holds the answers of one of the test
 * personas (test/fixtures/personas), with its scores and the rules' real assessment. The four earlier
 * intakes hold a short set of answers (sleep, stress, drinking, exercise)
 * drawn from 40 variants, with their scores, so trend charts have data; they
 * have no stored assessment, which keeps the seed to a few hundred MB. One
 * patient in five has a newer invitation not yet started.
 *
 * Written in one transaction with set-based SQL. The summary triggers are
 * switched off for the load and the summaries computed once at the end.
 */
export interface VolumeOptions {
  readonly clinicId: string;
  readonly userId: string;
  readonly patients: number;
  /** The number of the first patient (their reference is VOL-000001 onwards); 1 by default. */
  readonly first?: number;
}

const INTAKES_PER_PATIENT = 5;
const SUMMARY_TRIGGERS = [
  ['invitations', 'invitations_patient_summary'],
  ['intakes', 'intakes_patient_summary'],
  ['intakes', 'intakes_patient_summary_status'],
  ['assessments', 'assessments_patient_summary'],
] as const;

const GIVEN =
  'Alex Jordan Sam Riley Casey Morgan Taylor Jamie Robin Avery Quinn Drew Kai Noor Lena Omar Ines Yuki Ravi Maya Leo Zoe Ada Tom Eli Ana Ivo Mia Luc Ida'.split(
    ' ',
  );
const FAMILY =
  'Morgan Lee Okafor Novak Haddad Schmidt Garcia Rossi Dubois Kowalski Tanaka Silva Nguyen Cohen Murphy Jensen Ortiz Fischer Moreau Kim Patel Ibrahim Larsen Costa Weber Popescu Horvat Ahmed Santos Berg'.split(
    ' ',
  );

/** A small deterministic generator, so every run makes the same volume. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Each persona assessed under each protocol: template k = persona * protocols + protocol. */
function personaTemplates() {
  const kb = loadContent().knowledgeBase;
  const dir = join(PROJECT_ROOT, 'test', 'fixtures', 'personas');
  const personas = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as { answers: Answers });
  return personas.flatMap((persona, p) =>
    PROTOCOLS.map((protocol, i) => {
      const scores = { ...scoreIntake(persona.answers) };
      const result = evaluate(kb, {
        questionnaire: loadContent().questionnaire,
        answers: persona.answers,
        scores,
        protocol,
      });
      return { k: p * PROTOCOLS.length + i, answers: persona.answers, scores, result };
    }),
  );
}

function shortTemplates(count: number) {
  const random = generator(42);
  const pick = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  return Array.from({ length: count }, (_, k) => {
    const answers: Answers = {
      hoursAsleep: pick(10, 17) / 2,
      resistanceDaysPerWeek: pick(0, 4),
      resistanceMinutesPerSession: 45,
      auditFrequency: pick(0, 4),
      auditTypicalDrinks: pick(0, 2),
      auditSixOrMore: pick(0, 2),
      moderateDays: pick(0, 5),
      moderateMinutesPerDay: pick(2, 6) * 10,
      walkingDays: pick(2, 7),
      walkingMinutesPerDay: pick(2, 6) * 10,
      vigorousDays: pick(0, 2),
      vigorousMinutesPerDay: 30,
      sittingHoursPerWeekday: pick(4, 10),
      ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`pss${i + 1}`, pick(0, 3)])),
    };
    return { k, answers, scores: { ...scoreIntake(answers) } };
  });
}

export async function seedVolume(dataSource: DataSource, options: VolumeOptions): Promise<void> {
  const personas = personaTemplates();
  const shorts = shortTemplates(40);
  await dataSource.transaction(async (manager) => {
    const q = (sql: string, parameters: unknown[] = []) => manager.query(sql, parameters);
    for (const [table, trigger] of SUMMARY_TRIGGERS)
      await q(`ALTER TABLE ${table} DISABLE TRIGGER ${trigger}`);

    await q(
      `CREATE TEMP TABLE seed_persona (k int PRIMARY KEY, answers jsonb, scores jsonb, results jsonb, flagged text[]) ON COMMIT DROP`,
    );
    await q(
      `CREATE TEMP TABLE seed_short (k int PRIMARY KEY, answers jsonb, scores jsonb) ON COMMIT DROP`,
    );
    for (const p of personas) {
      await q(`INSERT INTO seed_persona VALUES ($1, $2, $3, $4, $5)`, [
        p.k,
        p.answers,
        p.scores,
        p.result,
        [...p.result.flaggedPillars],
      ]);
    }
    for (const s of shorts)
      await q(`INSERT INTO seed_short VALUES ($1, $2, $3)`, [s.k, s.answers, s.scores]);

    // Patients: r (0-99) decides each one's story below; created 0-2 years ago.
    await q(
      `CREATE TEMP TABLE seed_patient ON COMMIT DROP AS
      SELECT gen_random_uuid() AS id, g,
             abs(hashtext('r' || g)) % 100 AS r,
             now() - make_interval(days => 200 + abs(hashtext('d' || g)) % 500) AS created_at
      FROM generate_series($2::int, $2::int + $1::int - 1) g`,
      [options.patients, options.first ?? 1],
    );
    await q(
      `INSERT INTO patients (id, clinic_id, given_name, family_name, reference, created_by, created_at, updated_at, last_activity_at)
       SELECT id, $1, ($3::text[])[1 + abs(hashtext('g' || g)) % cardinality($3::text[])],
              ($4::text[])[1 + abs(hashtext('f' || g)) % cardinality($4::text[])],
              'VOL-' || lpad(g::text, 6, '0'), $2, created_at, created_at, created_at
       FROM seed_patient`,
      [options.clinicId, options.userId, GIVEN, FAMILY],
    );

    // Five invitations a month apart, each with its intake; the fifth may still be in progress.
    await q(
      `CREATE TEMP TABLE seed_intake ON COMMIT DROP AS
      SELECT gen_random_uuid() AS invitation_id, gen_random_uuid() AS intake_id, p.id AS patient_id, p.r, n,
             ($2::text[])[1 + p.r % cardinality($2::text[])] AS protocol,
             (p.r % $3) * cardinality($2::text[]) + p.r % cardinality($2::text[]) AS persona,
             p.created_at + make_interval(days => 30 * n) AS opened_at,
             CASE WHEN n < $1 OR p.r < 20 OR p.r >= 65 THEN 'reviewed'
                  WHEN p.r >= 35 THEN 'submitted' ELSE 'in_progress' END AS status,
             -- The newest submitted intake has a persona's full answers and an assessment.
             n = CASE WHEN p.r BETWEEN 20 AND 34 THEN $1 - 1 ELSE $1 END AS newest_submitted
      FROM seed_patient p CROSS JOIN generate_series(1, $1::int) n`,
      [INTAKES_PER_PATIENT, PROTOCOLS, personas.length / PROTOCOLS.length],
    );
    await q(
      `INSERT INTO invitations (id, clinic_id, patient_id, protocol, token_hash, expires_at, first_used_at, created_by, created_at)
       SELECT invitation_id, $1, patient_id, protocol, sha256(invitation_id::text::bytea),
              opened_at + interval '14 days', opened_at + interval '1 hour', $2, opened_at
       FROM seed_intake`,
      [options.clinicId, options.userId],
    );
    await q(
      `INSERT INTO intakes (id, clinic_id, patient_id, invitation_id, protocol, questionnaire_version, status,
                            answers, scores, created_at, updated_at, submitted_at, reviewed_at, reviewed_by)
       SELECT i.intake_id, $1, i.patient_id, i.invitation_id, i.protocol, $3, i.status,
              CASE WHEN i.newest_submitted THEN sp.answers ELSE ss.answers END,
              CASE WHEN i.status = 'in_progress' THEN NULL WHEN i.newest_submitted THEN sp.scores ELSE ss.scores END,
              i.opened_at + interval '1 hour', i.opened_at + interval '2 hours',
              CASE WHEN i.status <> 'in_progress' THEN i.opened_at + interval '2 hours' END,
              CASE WHEN i.status = 'reviewed' THEN i.opened_at + interval '3 days' END,
              CASE WHEN i.status = 'reviewed' THEN $2::uuid END
       FROM seed_intake i
       JOIN seed_persona sp ON sp.k = i.persona
       JOIN seed_short ss ON ss.k = (i.r + i.n * 7) % (SELECT count(*) FROM seed_short)`,
      [options.clinicId, options.userId, loadContent().questionnaire.version],
    );
    await q(
      `INSERT INTO assessments (clinic_id, intake_id, ruleset_version, results, flagged_pillars, created_at)
       SELECT $1, i.intake_id, sp.results ->> 'rulesetVersion', sp.results, sp.flagged, i.opened_at + interval '2 hours'
       FROM seed_intake i JOIN seed_persona sp ON sp.k = i.persona
       WHERE i.newest_submitted`,
      [options.clinicId],
    );
    // One patient in five has been invited again and has not started.
    await q(
      `INSERT INTO invitations (clinic_id, patient_id, protocol, token_hash, expires_at, created_by, created_at)
       SELECT $1, p.id, ($3::text[])[1 + p.r % cardinality($3::text[])], sha256(('again' || p.id)::bytea),
              now() + interval '7 days', $2, now() - interval '7 days'
       FROM seed_patient p WHERE p.r < 20`,
      [options.clinicId, options.userId, PROTOCOLS],
    );

    // Statistics first: planned on the tables as they were (empty), each summary would scan them.
    for (const table of ['patients', 'invitations', 'intakes', 'assessments'])
      await q(`ANALYZE ${table}`);
    await q(`SELECT count(refresh_patient_summary($1, id)) FROM seed_patient`, [options.clinicId]);
    for (const [table, trigger] of SUMMARY_TRIGGERS)
      await q(`ALTER TABLE ${table} ENABLE TRIGGER ${trigger}`);
  });
  // The summaries rewrote every patient row: clear the old versions, as autovacuum would.
  await dataSource.query(`VACUUM ANALYZE patients`);
}

/** `npm run seed:volume [patients]`: adds the volume to the demo clinic. */
async function main(): Promise<void> {
  const patients = Number(process.argv[2] ?? 100_000);
  if (!Number.isInteger(patients) || patients < 1)
    throw new Error('Give a whole number of patients');
  const config = loadConfig(process.env);
  const database = await startDatabase(config, (line) => console.log(line));
  try {
    // As the owner: the bulk load switches the summary triggers off and ANALYZEs, which only
    // an owner may.
    await withDataSource(database.migrationUrl, async (dataSource) => {
      await runMigrations(dataSource);
      const [clinic] = await dataSource.query<{ id: string; user_id: string }[]>(
        `SELECT c.id, u.id AS user_id FROM clinics c JOIN users u ON u.clinic_id = c.id
         WHERE c.name = $1 AND u.role = 'clinician' ORDER BY u.created_at LIMIT 1`,
        [DEMO_CLINIC_NAME],
      );
      if (!clinic) throw new Error('No demo clinic yet: run `npm start` (or `npm run seed`) first');
      const started = Date.now();
      await seedVolume(dataSource, { clinicId: clinic.id, userId: clinic.user_id, patients });
      console.log(
        `Added ${patients} patients and ${patients * INTAKES_PER_PATIENT} intakes to "${DEMO_CLINIC_NAME}" in ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
    });
  } finally {
    await database.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
