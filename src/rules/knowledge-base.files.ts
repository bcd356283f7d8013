import { CURRENT_QUESTIONNAIRE } from '../intake/questionnaire/questionnaire';
import diet from './knowledge-base/diet.json';
import exercise from './knowledge-base/exercise.json';
import ruleset from './knowledge-base/ruleset.json';
import sleep from './knowledge-base/sleep.json';
import stress from './knowledge-base/stress.json';
import { checkKnowledgeBase, KnowledgeBase, KnowledgeBaseFiles } from './knowledge-base';

/** The knowledge base's data files, compiled into the build. */
export const KNOWLEDGE_BASE_FILES: KnowledgeBaseFiles = {
  ruleset,
  pillars: { diet, exercise, sleep, stress },
};

let loaded: KnowledgeBase | undefined;

/** The repository's knowledge base, checked once per process: at start, and in tests. */
export function loadKnowledgeBase(): KnowledgeBase {
  loaded ??= checkKnowledgeBase(KNOWLEDGE_BASE_FILES, CURRENT_QUESTIONNAIRE);
  return loaded;
}
