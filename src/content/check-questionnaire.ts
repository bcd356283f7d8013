import { Question, Questionnaire, SECTION_IDS } from './schema/questionnaire.schema';

/**
 * Checks a questionnaire version beyond its schema: unique ids, sections in
 * order, options and ranges that make sense, conditions that refer to
 * earlier questions of the same step, and article rows that exist. Returns
 * the problems, each naming the question.
 */
export function questionnaireProblems(
  questionnaire: Questionnaire,
  rows: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const seen = new Map<string, Question>();
  const sectionIds = questionnaire.sections.map((s) => s.id);
  if (sectionIds.join() !== SECTION_IDS.join())
    problems.push(`sections must be ${SECTION_IDS.join(', ')}`);

  for (const section of questionnaire.sections) {
    const earlier = new Set<string>();
    for (const question of section.questions) {
      const where = `${section.id}.${question.id}`;
      if (!/^[a-z][A-Za-z0-9]*$/.test(question.id)) problems.push(`${where}: id must be camelCase`);
      if (seen.has(question.id)) problems.push(`${where}: id used twice`);
      seen.set(question.id, question);
      for (const row of question.informs) {
        if (!rows.has(row)) problems.push(`${where}: informs unknown article row ${row}`);
      }
      if (section.id !== 'context' && question.informs.length === 0 && !question.noRowReason) {
        problems.push(`${where}: informs no article row and gives no reason`);
      }
      if (question.type === 'single' || question.type === 'multiple') {
        const values = question.options.map((o) => String(o.value));
        if (new Set(values).size !== values.length) problems.push(`${where}: option values repeat`);
        if (
          question.type === 'multiple' &&
          question.noneValue &&
          !values.includes(question.noneValue)
        ) {
          problems.push(`${where}: noneValue is not an option`);
        }
      }
      if (question.type === 'number' && !(question.min < question.max))
        problems.push(`${where}: min must be below max`);
      if (
        question.showIf &&
        !('protocolIn' in question.showIf) &&
        !earlier.has(question.showIf.question)
      ) {
        problems.push(`${where}: condition must refer to an earlier question of the same step`);
      }
      if (
        question.type === 'time' &&
        question.differsFrom !== undefined &&
        !(earlier.has(question.differsFrom) && seen.get(question.differsFrom)?.type === 'time')
      ) {
        problems.push(`${where}: differsFrom must name an earlier time question of the same step`);
      }
      earlier.add(question.id);
    }
  }
  return problems.map((problem) => `questionnaire ${questionnaire.version}: ${problem}`);
}
