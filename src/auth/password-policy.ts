import { Injectable } from '@nestjs/common';
import { ZxcvbnFactory, ZxcvbnResult } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { FieldProblem } from '../common/domain-error';

/** The shortest password a user may choose. Length first; no composition rules (NIST 800-63B). */
export const MIN_PASSWORD_LENGTH = 12;
/** As at sign-in: argon2 needs no more, and a huge body is refused before it is hashed. */
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * The lowest zxcvbn score taken. Scores estimate guesses: 2 is under 10^8
 * ("somewhat guessable": protection from throttled online attacks only), 3 is
 * at least 10^8 ("safely unguessable": moderate protection if the hashes were
 * stolen and attacked offline with a slow hash such as our argon2id), 4 is at
 * least 10^10. 3 refuses common and breached-style passwords, keyboard walks,
 * repeats, dates and the user's own name or email with a few characters
 * added, while two or three uncommon words still pass; 4 would turn away
 * many memorable passphrases for little gain behind argon2id and throttling.
 */
export const MIN_PASSWORD_SCORE = 3;

/** Whose password it is: their own details make a weak password. */
export interface PasswordOwner {
  readonly email: string;
  readonly displayName: string;
}

/** Words of this service that a password made of them would be easy to guess. */
const SERVICE_WORDS = ['clinic', 'clinician', 'hormone', 'intake', 'lifestyle', 'welcome'];

/**
 * The one rule for a password a person chooses (the welcome link today; any
 * reset link tomorrow): at least MIN_PASSWORD_LENGTH characters, at most
 * MAX_PASSWORD_LENGTH, and a zxcvbn score of at least MIN_PASSWORD_SCORE
 * against its common-password, English and keyboard dictionaries and the
 * owner's own email and name. The dictionaries are loaded once, when the
 * provider is made at start (about a quarter of a second), not per check.
 */
/** How much of a password zxcvbn scores. */
const SCORED_LENGTH = 64;

@Injectable()
export class PasswordPolicy {
  private readonly zxcvbn = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: {
      ...english.translations,
      warnings: {
        ...english.translations.warnings,
        // The library's words ("personal or page related data") made plain.
        userInputs: 'It is built on your own name or email address, or the name of this service.',
      },
    },
  });

  /** Null when the password may be chosen; else the problem, on the field `password`. */
  check(password: string, owner: PasswordOwner): FieldProblem | null {
    const problem = (message: string): FieldProblem => ({ field: 'password', message });
    if (password.length < MIN_PASSWORD_LENGTH) {
      return problem(
        `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters (this one has ${password.length}).`,
      );
    }
    if (password.length > MAX_PASSWORD_LENGTH) {
      return problem(`The password can be at most ${MAX_PASSWORD_LENGTH} characters.`);
    }
    // Scoring is synchronous and grows fast with length (seconds at a few hundred characters):
    // the first 64 decide, which a strong passphrase passes and which no guesser outruns.
    const result = this.zxcvbn.check(password.slice(0, SCORED_LENGTH), ownerWords(owner));
    return result.score >= MIN_PASSWORD_SCORE ? null : problem(explain(result));
  }
}

/** The owner's email, its parts and the words of their name, with the service's own words. */
export function ownerWords(owner: PasswordOwner): string[] {
  const email = owner.email.toLowerCase();
  const parts = [
    email,
    email.split('@')[0] ?? '',
    ...email.split(/[@.+_-]+/),
    ...owner.displayName.toLowerCase().split(/\s+/),
  ];
  const name = owner.displayName.toLowerCase().replace(/\s+/g, '');
  return [...new Set([...parts, name, ...SERVICE_WORDS])].filter((word) => word.length >= 4);
}

/**
 * Why, in the library's plain words: its warning (a common password, a
 * repeat, a keyboard pattern, personal data) and its first suggestion.
 */
function explain(result: ZxcvbnResult): string {
  const warning = result.feedback.warning;
  const suggestion = result.feedback.suggestions[0];
  return [
    'This password is too easy to guess.',
    warning ?? undefined,
    suggestion ?? 'Add another word or two that are not common.',
  ]
    .filter((sentence): sentence is string => Boolean(sentence))
    .join(' ');
}
