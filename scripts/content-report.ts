/* eslint-disable no-console -- a report prints its figures */
import { PILLARS } from '../src/common/pillar';
import { PROTOCOLS } from '../src/common/protocol';
import { protocolsOf } from '../src/content/check-knowledge-base';
import { loadContent } from '../src/content/content';

/*
 * What a clinical reviewer asks first: how many rules each protocol has in
 * each pillar (concerns and strengths), and each row's scope with the rules
 * that cite it. `npm run content:report`; the content is checked as it loads.
 */

const content = loadContent();
const { rules } = content.knowledgeBase;

console.log(`Ruleset ${content.knowledgeBase.version}: ${rules.length} rules\n`);
console.log(
  ['protocol'.padEnd(24), ...PILLARS.map((p) => p.padStart(12)), 'total'.padStart(9)].join(''),
);
for (const protocol of PROTOCOLS) {
  const mine = rules.filter((rule) => protocolsOf(rule).includes(protocol));
  const cell = (pillar: string) => {
    const of = mine.filter((rule) => rule.pillar === pillar);
    const concerns = of.filter((rule) => rule.kind === 'concern').length;
    return `${concerns}c ${of.length - concerns}s`.padStart(12);
  };
  console.log(
    [protocol.padEnd(24), ...PILLARS.map(cell), String(mine.length).padStart(9)].join(''),
  );
}
console.log('\n(c: concerns, s: strengths)\n');

for (const { ref, row } of content.rows.values()) {
  const citing = rules.filter((rule) => rule.sources.some((s) => s.row === ref)).length;
  const scope = row.scope === 'any' ? 'any' : row.scope.join(', ');
  console.log(`${ref.padEnd(66)} ${scope.padEnd(34)} ${citing} rule${citing === 1 ? '' : 's'}`);
}
