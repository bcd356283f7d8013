/** The instruments this service scores; each needs an entry in INSTRUMENT_LICENCES. */
export type LicencedInstrument =
  'pss10' | 'auditC' | 'ipaqShort' | 'sleepSchedule' | 'who2020' | 'bmi';

/**
 * Who an instrument comes from and on what terms we may use it. Kept next to
 * the scorers so that adding an instrument without checking its terms fails a
 * test, and so a deployment can switch off anything it is not licensed for.
 */
export interface InstrumentLicence {
  readonly name: string;
  /** The publications to cite. */
  readonly source: string;
  /** A short paraphrase of the terms, not legal advice. */
  readonly terms: string;
  /** True when the rights holder must agree before any use. */
  readonly needsPermission: boolean;
  /** Never true when needsPermission is: permission must come before the feature. */
  readonly enabledByDefault: boolean;
}

export const INSTRUMENT_LICENCES: Readonly<Record<LicencedInstrument, InstrumentLicence>> = {
  pss10: {
    name: 'Perceived Stress Scale, 10-item version (PSS-10)',
    source: 'Cohen, Kamarck & Mermelstein (1983); Cohen & Williamson (1988)',
    terms:
      'The author allows use without charge for non-profit research and education. ' +
      'Commercial use may need permission; licences are handled by Mind Garden. ' +
      'A commercial deployment should confirm the terms with the rights holder before use.',
    needsPermission: false,
    enabledByDefault: true,
  },
  auditC: {
    name: 'AUDIT-C (alcohol consumption questions, US / VA version)',
    source: 'Bush et al. (1998), derived from the WHO Alcohol Use Disorders Identification Test',
    terms: 'Public domain; may be used without permission or charge.',
    needsPermission: false,
    enabledByDefault: true,
  },
  ipaqShort: {
    name: 'International Physical Activity Questionnaire, short last-7-days form (IPAQ-SF)',
    source: 'IPAQ group; scored per the IPAQ data-processing rules (2005 revision)',
    terms: 'Freely available for use without charge.',
    needsPermission: false,
    enabledByDefault: true,
  },
  sleepSchedule: {
    name: 'Sleep duration and regularity from usual bed and wake times',
    source:
      'Calculation owned by this product; the 7-hour threshold is the AASM/SRS consensus ' +
      'recommendation for adults (Watson et al., 2015)',
    terms:
      'Our own calculation, with no third-party questionnaire; the threshold is cited as a fact.',
    needsPermission: false,
    enabledByDefault: true,
  },
  who2020: {
    name: 'WHO 2020 physical activity targets for adults',
    source:
      'WHO guidelines on physical activity and sedentary behaviour (2020); Bull et al. (2020)',
    terms:
      'Only the published thresholds are used, cited as facts; no questionnaire text is reproduced.',
    needsPermission: false,
    enabledByDefault: true,
  },
  bmi: {
    name: 'Body-mass index with the WHO adult bands',
    source: 'WHO, Obesity: preventing and managing the global epidemic (TRS 894, 2000)',
    terms: 'A formula and published cut-offs, cited as facts; no questionnaire text is reproduced.',
    needsPermission: false,
    enabledByDefault: true,
  },
};
