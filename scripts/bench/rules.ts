import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Protocol } from '../../src/common/protocol';
import { PROJECT_ROOT } from '../../src/config/project-root';
import { Answers } from '../../src/content/schema/questionnaire.schema';
import { scoreIntake } from '../../src/intake/scoring';
import { evaluate, EvaluationInput } from '../../src/rules/evaluate';
import { Figure, percentile } from './figures';
import { loadContent } from '../../src/content/content';

/** The rules evaluator alone, over the test personas, on one core. */
export function benchRules(): Figure[] {
  const kb = loadContent().knowledgeBase;
  const dir = join(PROJECT_ROOT, 'test', 'fixtures', 'personas');
  const inputs: EvaluationInput[] = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map(
      (f) =>
        JSON.parse(readFileSync(join(dir, f), 'utf8')) as { protocol: Protocol; answers: Answers },
    )
    .map((p) => ({
      questionnaire: loadContent().questionnaire,
      answers: p.answers,
      scores: { ...scoreIntake(p.answers) },
      protocol: p.protocol,
    }));
  for (let i = 0; i < 5_000; i++) evaluate(kb, inputs[i % inputs.length]); // warm up the JIT

  const runs = 50_000;
  const times = new Float64Array(runs);
  let points = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    points += evaluate(kb, inputs[i % inputs.length]).points.length;
    times[i] = Number(process.hrtime.bigint() - t0) / 1_000; // microseconds
  }
  const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = [...times].sort((a, b) => a - b);
  if (points === 0) throw new Error('No rule fired: the benchmark measures nothing');
  return [
    {
      name: `rules: evaluate one intake (${kb.rules.length} rules), p50`,
      value: percentile(sorted, 50),
      unit: 'µs',
      target: '< 1000 µs',
    },
    { name: 'rules: evaluate one intake, p95', value: percentile(sorted, 95), unit: 'µs' },
    { name: 'rules: evaluate one intake, p99', value: percentile(sorted, 99), unit: 'µs' },
    { name: 'rules: evaluations per second (one core)', value: runs / totalSeconds, unit: '/s' },
  ];
}
