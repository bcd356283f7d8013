import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config/project-root';
import { findDosingAdvice } from './dosing-guard';
import { loadContent } from '../content/content';
import { DEFAULT_CONSENT_TEXT } from '../consent/default-consent';

/** Every sentence the product itself writes passes the dosing-advice guard (rules are checked at load). */
describe('the product writes no dosing advice', () => {
  it('in every questionnaire version: titles, intros, questions, help and options', () => {
    const texts = loadContent()
      .questionnaires.flatMap((q) => q.sections)
      .flatMap((section) => [
        section.title,
        section.intro,
        ...section.questions.flatMap((q) => [
          q.label,
          q.help ?? '',
          ...('options' in q ? q.options.map((o) => o.label) : []),
        ]),
      ]);
    expect(texts.length).toBeGreaterThan(200);
    expect(
      texts.flatMap((text) => findDosingAdvice(text).map((f) => `${f.match} in "${text}"`)),
    ).toEqual([]);
  });

  it('in the privacy notice a clinic starts with', () => {
    expect(findDosingAdvice(DEFAULT_CONSENT_TEXT)).toEqual([]);
  });

  it('in the ruleset: bar notes, screen notes and product thresholds', () => {
    const { knowledgeBase } = loadContent();
    const texts = [
      ...knowledgeBase.barNotes.flatMap((n) => [n.clinician, n.patient]),
      ...knowledgeBase.screenNotes.flatMap((n) => [n.summary, n.detail]),
      ...knowledgeBase.rules.map((r) => r.productThreshold ?? ''),
    ];
    expect(
      texts.flatMap((text) => findDosingAdvice(text).map((f) => `${f.match} in "${text}"`)),
    ).toEqual([]);
  });

  it('in the article rows: labels, what they say and their scope', () => {
    const labels = loadContent().articles.flatMap((a) => [
      a.title,
      a.plainTitle,
      ...a.tables.flatMap((t) => [
        t.title,
        ...t.rows.flatMap((r) => [r.label, r.says, r.scopeReason]),
      ]),
    ]);
    expect(
      labels.flatMap((text) => findDosingAdvice(text).map((f) => `${f.match} in "${text}"`)),
    ).toEqual([]);
  });

  it('in the static text of every page template', () => {
    const dir = join(PROJECT_ROOT, 'templates');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.hbs'),
    );
    expect(files.length).toBeGreaterThan(5);
    const findings = files.flatMap((file) => {
      const text = readFileSync(join(dir, file), 'utf8')
        .replace(/{{[^}]*}}/g, ' ')
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ');
      return findDosingAdvice(text).map((f) => `${file}: ${f.match}`);
    });
    expect(findings).toEqual([]);
  });

  it('and the check would catch it if one did', () => {
    expect(findDosingAdvice('Take 200 mg of testosterone cypionate every other day.')).not.toEqual(
      [],
    );
  });
});
