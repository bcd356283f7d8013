import { ROW_REFS } from '../../knowledge/article-rows';
import { QUESTIONNAIRE_V1 } from './questionnaire.v1';
import { Question, Questionnaire, Section, SECTION_IDS } from './questionnaire.types';

/** The questionnaire new intakes use. Submitted intakes keep the version they were answered with. */
export const CURRENT_QUESTIONNAIRE: Questionnaire = checkQuestionnaire(QUESTIONNAIRE_V1);

const BY_VERSION = new Map([[CURRENT_QUESTIONNAIRE.version, CURRENT_QUESTIONNAIRE]]);

export function questionnaireVersion(version: string): Questionnaire {
  const found = BY_VERSION.get(version);
  if (!found) throw new Error(`Unknown questionnaire version ${version}`);
  return found;
}

export function sectionOf(questionnaire: Questionnaire, id: string): Section | undefined {
  return questionnaire.sections.find((section) => section.id === id);
}

/**
 * Checks a definition when it loads: unique ids, sections in order, options
 * and ranges that make sense, conditions that refer to earlier questions of
 * the same section, and article rows that exist. Throws naming the question.
 */
export function checkQuestionnaire(questionnaire: Questionnaire): Questionnaire {
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
        if (!ROW_REFS.has(row)) problems.push(`${where}: informs unknown article row ${row}`);
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
  if (problems.length > 0) {
    throw new Error(
      `Questionnaire ${questionnaire.version} is not valid:\n  ${problems.join('\n  ')}`,
    );
  }
  return questionnaire;
}
