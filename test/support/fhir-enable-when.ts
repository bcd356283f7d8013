import type {
  Coding,
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireItemEnableWhen,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  QuestionnaireResponseItemAnswer,
} from '@medplum/fhirtypes';

/*
 * Which items of a Questionnaire a QuestionnaireResponse enables, by FHIR
 * R4's rules, written from the specification for the specs to compare with
 * the product's own visibility: an item is enabled when its enableWhen
 * conditions hold (all or any, per enableBehavior) and its parent is
 * enabled; an answer to a disabled item counts as no answer.
 *
 * R4 does not say whether `!=` holds for a question with no answer, and EHRs
 * read it both ways; `blankIsNotEqual` picks the reading, so a spec can
 * require its Questionnaire to mean the same under both.
 */
export function enabledLinkIds(
  questionnaire: Questionnaire,
  response: QuestionnaireResponse,
  blankIsNotEqual: boolean,
): Set<string> {
  const items = new Map<string, { item: QuestionnaireItem; parent?: string }>();
  const index = (list: readonly QuestionnaireItem[] | undefined, parent?: string): void => {
    for (const item of list ?? []) {
      items.set(item.linkId, { item, parent });
      index(item.item, item.linkId);
    }
  };
  index(questionnaire.item);

  const answers = new Map<string, QuestionnaireResponseItemAnswer[]>();
  const collect = (list: readonly QuestionnaireResponseItem[] | undefined): void => {
    for (const item of list ?? []) {
      answers.set(item.linkId, [...(answers.get(item.linkId) ?? []), ...(item.answer ?? [])]);
      collect(item.item);
      for (const answer of item.answer ?? []) collect(answer.item);
    }
  };
  collect(response.item);

  const memo = new Map<string, boolean>();
  const enabled = (linkId: string): boolean => {
    const known = memo.get(linkId);
    if (known !== undefined) return known;
    const entry = items.get(linkId);
    if (!entry) throw new Error(`No item ${linkId}`);
    const { item, parent } = entry;
    const conditions = (item.enableWhen ?? []).map((condition) => {
      const given = enabled(condition.question) ? (answers.get(condition.question) ?? []) : [];
      return holds(condition, given, blankIsNotEqual);
    });
    const own =
      conditions.length === 0 ||
      (item.enableBehavior === 'any' ? conditions.some(Boolean) : conditions.every(Boolean));
    const result = (parent === undefined || enabled(parent)) && own;
    memo.set(linkId, result);
    return result;
  };
  return new Set([...items.keys()].filter(enabled));
}

function holds(
  condition: QuestionnaireItemEnableWhen,
  given: readonly QuestionnaireResponseItemAnswer[],
  blankIsNotEqual: boolean,
): boolean {
  const expected = valueOf(condition, 'answer');
  const { operator } = condition;
  switch (operator) {
    case 'exists':
      return given.length > 0 === expected;
    case '=':
      return given.some((answer) => same(valueOf(answer, 'value'), expected));
    case '!=':
      if (given.length === 0) return blankIsNotEqual;
      return given.every((answer) => !same(valueOf(answer, 'value'), expected));
    case '>':
    case '<':
    case '>=':
    case '<=':
      return given.some((answer) =>
        compare(operator, valueOf(answer, 'value') as number, expected as number),
      );
  }
}

/** The one `answer[x]` or `value[x]` property of a condition or an answer. */
function valueOf(object: object, prefix: 'answer' | 'value'): unknown {
  const keys = Object.keys(object).filter((key) => key.startsWith(prefix) && key !== prefix);
  if (keys.length !== 1) throw new Error(`Expected one ${prefix}[x], found ${keys.join(', ')}`);
  return (object as Record<string, unknown>)[keys[0]];
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    const [x, y] = [a as Coding, b as Coding];
    return x.system === y.system && x.code === y.code;
  }
  return a === b;
}

function compare(operator: '>' | '<' | '>=' | '<=', answer: number, limit: number): boolean {
  switch (operator) {
    case '>':
      return answer > limit;
    case '<':
      return answer < limit;
    case '>=':
      return answer >= limit;
    case '<=':
      return answer <= limit;
  }
}
