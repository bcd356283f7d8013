import type { GuardRule } from '../rule';
import { amountRule } from './amount';
import { doseAnaphoraRule } from './dose-anaphora';
import { doseChangeRule } from './dose-change';
import { doseIdiomRule } from './dose-idiom';
import { doseNumberRule } from './dose-number';
import { doseTimeRule } from './dose-time';
import { substanceActionRule } from './substance-action';
import { substanceCountRule } from './substance-count';
import { substanceScheduleRule } from './substance-schedule';

/** Every rule, in the order their findings are listed for the same place. */
export const RULES: readonly GuardRule[] = [
  amountRule,
  substanceActionRule,
  substanceScheduleRule,
  substanceCountRule,
  doseChangeRule,
  doseAnaphoraRule,
  doseNumberRule,
  doseTimeRule,
  doseIdiomRule,
];
