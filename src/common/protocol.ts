/** The hormone protocols a clinic runs; an invitation and its intake carry one. */
export const PROTOCOLS = [
  'trt',
  'female_hormone_therapy',
  'gh_peptide_therapy',
  'post_trt_recovery',
  'other',
] as const;

export type Protocol = (typeof PROTOCOLS)[number];

export const PROTOCOL_LABELS: Readonly<Record<Protocol, string>> = {
  trt: 'Testosterone replacement (TRT)',
  female_hormone_therapy: 'Female hormone therapy',
  gh_peptide_therapy: 'Growth-hormone peptide therapy',
  post_trt_recovery: 'Post-TRT or fertility recovery',
  other: 'Other',
};

/** SQL list for CHECK constraints, from the same constant the code uses. */
export const sqlList = (values: readonly string[]): string =>
  values.map((value) => `'${value}'`).join(', ');
