import { LEXICON, SubstanceKind } from '../../content/lexicon';
import {
  alternation,
  inflections,
  NUMBER,
  termSource,
  WORD_END,
  WORD_START,
  wordSet,
} from './text';

/*
 * The lexicon (src/content/lexicon/*.json), compiled once into the sets and
 * regular expressions the rules match with.
 */

const { substances, units, doses, verbs, physiology, schedules, grammar } = LEXICON;

// ---------------------------------------------------------------------------
// Substances.

export interface CompiledGroup {
  readonly re: RegExp;
  readonly kind: SubstanceKind;
  readonly generic: boolean;
  readonly caseSensitive: boolean;
}

export const GROUPS: readonly CompiledGroup[] = substances.groups.map((group) => {
  // A plural only after a real word: "test e" + "s" would read "testes".
  const pluralisable = (term: string) => !group.singular && /[a-z]{3}$/.test(term);
  const body = alternation(
    group.terms.map((term) => termSource(term) + (pluralisable(term) ? '(?:e?s)?' : '')),
  );
  const start = group.caseSensitive ? '(?<![A-Za-z0-9])' : WORD_START;
  const end = group.caseSensitive ? '(?![A-Za-z0-9])' : WORD_END;
  return {
    re: new RegExp(`${start}(?:${body})${end}`, 'g'),
    kind: group.kind,
    generic: group.generic,
    caseSensitive: group.caseSensitive,
  };
});

export const NOT_A_SUBSTANCE_RE = new RegExp(
  `${WORD_START}(?:${substances.notASubstance.join('|')})`,
  'g',
);
export const FALLING = wordSet(substances.fallingHormones);

// ---------------------------------------------------------------------------
// Amounts, counts and schedules.

export const AMOUNT_RE = new RegExp(
  `(?<![a-z0-9.,])(?:${NUMBER}) ?-? ?(?:(${alternation(units.alwaysDoseUnits)})|(${alternation(
    units.contextDoseUnits,
  )}))(?![a-z0-9])`,
  'g',
);

export const COUNT_RE = new RegExp(
  `(?<![a-z0-9.,])(?:${NUMBER}|${alternation(units.countWords)}) (?:[a-z0-9-]+ ){0,3}?(?:${alternation(
    units.dosageForms,
  )})(?![a-z])`,
  'g',
);

export const SCHEDULE_RE = new RegExp(
  `${WORD_START}(?:${schedules.schedulePatterns.join('|')})(?![a-z])`,
  'g',
);
export const SHORTHAND_RE = new RegExp(
  `${WORD_START}(?:${schedules.scheduleShorthand.join('|')})(?![a-z])`,
  'g',
);

export const FIGURATIVE_DOSE_RE = new RegExp(
  `${WORD_START}(?:${doses.figurativeDose.join('|')})`,
  'g',
);

// ---------------------------------------------------------------------------
// Verbs.

export interface VerbEntry {
  readonly first: ReadonlySet<string>;
  readonly rest: readonly string[];
  readonly level: boolean;
}

export function verbEntries(phrases: readonly string[], level: boolean): VerbEntry[] {
  return phrases.map((phrase) => {
    const [head = '', ...rest] = phrase.split(' ');
    return { first: wordSet(inflections(head)), rest, level };
  });
}

export const ACTION_VERBS: readonly VerbEntry[] = [
  ...verbEntries(verbs.adminVerbs, false),
  ...verbEntries(verbs.levelVerbs, true),
];
export const CHANGE_ONLY_VERBS: readonly VerbEntry[] = verbEntries(verbs.doseChangeVerbs, false);
export const ACTION_FORMS = wordSet(ACTION_VERBS.flatMap((entry) => [...entry.first]));
/** Before a weak dose noun, these make it a count: "a few drops", "another pump". */
export const COUNT_PREFIX = wordSet([...units.numberWords, ...doses.countPrefixes]);

/** Past participles of the action verbs, with whether the verb is a level verb. */
export const PARTICIPLES: ReadonlyMap<string, boolean> = new Map(
  ACTION_VERBS.filter((entry) => entry.rest.length === 0).flatMap((entry) =>
    [...entry.first]
      .filter(
        (form) =>
          form.endsWith('ed') || /^(?:taken|held|given|shot|cut|split|quit|run|begun)$/.test(form),
      )
      .map((form): [string, boolean] => [form, entry.level]),
  ),
);

export const PHYSIOLOGY_VERB_FORMS = wordSet(physiology.physiologyVerbs.flatMap(inflections));

// ---------------------------------------------------------------------------
// Word sets.

/** Fillers between a verb and what it governs, with the dose units and forms: "take 2 capsules of". */
export const FILLERS = wordSet([
  ...grammar.governedFillers,
  ...doses.doseNouns,
  ...doses.weakDoseNouns,
  ...units.fillerUnits,
]);
export const PERSONS = wordSet(grammar.personWords);
export const PHYS_SUBJECTS = wordSet(physiology.physiologySubjects);
export const SKIP = wordSet(grammar.skipBack);
export const CLAUSE = wordSet(grammar.clauseStarts);
export const AFTER_PHYS = wordSet(physiology.physiologyAfter);
export const AFTER_PHYS_VERB = wordSet(physiology.physiologyAfterVerbs);
export const BEFORE_PHYS = wordSet(physiology.physiologyBefore);
export const HEAD_BEFORE_OF = wordSet(physiology.physiologyHeadBeforeOf);
export const PREDICATES = wordSet(physiology.physiologyPredicates);
export const COPULA = wordSet(grammar.copulas);
export const PRODUCT = wordSet(doses.productAfter);
export const HORMONE_FALL = wordSet(physiology.hormoneFallVerbs);
export const HORMONE_TIME = wordSet(physiology.hormoneTimeBefore);
export const DOSE_NOUN = wordSet([
  ...doses.doseNouns,
  ...verbs.injectionVerbs.flatMap(inflections),
]);
export const WEAK_DOSE_NOUN = wordSet(doses.weakDoseNouns);
export const DEVICES = wordSet(doses.deviceWords);
export const GO_FORMS = wordSet(['goes', 'go', 'went', 'going']);
export const UP_DOWN = wordSet(['up', 'down']);
export const TO_GOVERNOR = wordSet(verbs.toGovernors);
export const DOSE_META = wordSet(doses.doseMetaNouns);
export const DETERMINERS = wordSet(grammar.determiners);
export const MODALS = wordSet(grammar.modals);
export const ADVERBS = wordSet(grammar.adverbs);
/** Before a weak dose noun, these make it a dose: "your patch", "the gel", "next pump". */
export const DOSE_DETERMINERS = wordSet([...grammar.determiners, ...doses.doseDeterminers]);
/** Words that mark a lifestyle means after "raise your testosterone": "naturally", "by sleeping". */
export const MEANS = wordSet(physiology.means);
/** Words between a dose noun and a verb after it: "your dosage goes up", "the dose should be lowered". */
export const DOSE_TO_VERB = wordSet([
  ...grammar.copulas,
  ...grammar.modals,
  ...grammar.adverbs,
  ...grammar.doseToVerb,
]);
export const BEFORE_BARE_NUMBER = wordSet(grammar.beforeBareNumber);
export const AFTER_BARE_NUMBER = wordSet(grammar.afterBareNumber);

// ---------------------------------------------------------------------------
// Pronouns, number frames, devices, possessive times and idioms (the rules
// dose-anaphora, dose-number, dose-time and dose-idiom).

const { idioms } = LEXICON;

/** Dose nouns that are nouns (not "inject", "pinned"): what a pronoun can stand for. */
export const NOUN_DOSE = wordSet([...doses.doseNouns, ...doses.weakDoseNouns]);
export const OBLIGATIONS = wordSet(grammar.obligations);
export const PRONOUNS = wordSet(grammar.pronouns);
export const DEMONSTRATIVES = wordSet(['this', 'that', 'these', 'those']);
export const DEMONSTRATIVE_FOLLOWERS = wordSet(grammar.demonstrativeFollowers);
export const PRONOUN_IDIOMS: readonly (readonly string[])[] = grammar.pronounIdioms.map((phrase) =>
  phrase.split(' '),
);
export const SUBORDINATORS = wordSet(grammar.subordinators);
export const FRAME_LINKS = wordSet(grammar.frameLinks);
export const AFTER_FRAME_NUMBER = wordSet([
  ...grammar.afterBareNumber,
  ...grammar.afterFrameNumber,
]);

/** Phrasal level verbs with their particle: "bring (your testosterone) down". */
export const SEPARABLE_LEVEL_VERBS: readonly { head: VerbEntry; particle: string }[] =
  verbs.separableLevelVerbs.map((phrase) => {
    const [head = '', particle = ''] = phrase.split(' ');
    return { head: { first: wordSet(inflections(head)), rest: [], level: true }, particle };
  });
/** Verbs that set a level ("go up to 150", "stay at 100"), with every action and change verb. */
export const FRAME_VERBS: readonly VerbEntry[] = [
  ...ACTION_VERBS,
  ...CHANGE_ONLY_VERBS,
  ...verbEntries(verbs.doseMoveVerbs, false),
  ...verbEntries(verbs.injectionVerbs, false),
  ...verbEntries(doses.deviceVerbs, false),
];
export const PROTOCOL_VERBS: readonly VerbEntry[] = verbEntries(verbs.protocolVerbs, false);
/** The base form of each protocol verb: an instruction uses it ("Come off TRT"), not "stopping". */
export const PROTOCOL_VERB_BASES = wordSet(
  verbs.protocolVerbs.map((phrase) => phrase.split(' ')[0] ?? phrase),
);
export const INTRANSITIVE_DOSE_VERBS: readonly VerbEntry[] = verbEntries(
  verbs.intransitiveDoseVerbs,
  false,
);

export const DEVICE_RE = new RegExp(
  `${WORD_START}(?:${alternation(doses.injectionDevices.map(termSource))})(?:e?s)?${WORD_END}`,
  'g',
);
export const DEVICE_MARKINGS = wordSet(doses.deviceMarkings.flatMap((phrase) => phrase.split(' ')));
export const DEVICE_VERBS: readonly VerbEntry[] = verbEntries(doses.deviceVerbs, false);
export const PLAN_NOUNS = wordSet(doses.planNouns);

export const POSSESSIVE_TIMES = wordSet(schedules.possessiveTimes);

export const REGIMEN_IDIOM_RE = new RegExp(
  `${WORD_START}(?:${idioms.regimenIdioms.join('|')})`,
  'g',
);
export const WITH_SUBSTANCE_IDIOM_RE = new RegExp(
  `${WORD_START}(?:${idioms.withSubstanceIdioms.join('|')})(?![a-z])`,
  'g',
);
