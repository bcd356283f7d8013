import type { Questionnaire, Section } from '../../content/schema/questionnaire.schema';

export function sectionOf(questionnaire: Questionnaire, id: string): Section | undefined {
  return questionnaire.sections.find((section) => section.id === id);
}
