/**
 * The source articles' tables and lists, row by row: the product's own copy
 * of the list its clinical team keeps beside the articles. Questions say which
 * rows they inform and rules cite them, always by a row reference
 * `article:table:row`.
 */
export interface ArticleRow {
  readonly id: string;
  readonly label: string;
}

export interface ArticleTable {
  readonly id: string;
  readonly kind: 'table' | 'list' | 'paragraphs';
  readonly title: string;
  readonly rows: readonly ArticleRow[];
}

export interface Article {
  readonly id: ArticleId;
  readonly title: string;
  /** The same, in plain words, for the patient's notes. */
  readonly plainTitle: string;
  readonly file: string;
  readonly evidence: 'clinical-education article' | 'anecdotal practice';
  readonly tables: readonly ArticleTable[];
}

export type ArticleId = 'lifestyle-guidance' | 'hpg-recovery' | 'evening-routine';

/** `article:table:row`, e.g. `lifestyle-guidance:estrobolome:cruciferous-vegetables`. */
export type RowRef = `${ArticleId}:${string}:${string}`;

export const ARTICLES: readonly Article[] = [
  {
    id: 'lifestyle-guidance',
    title: 'Why individualized lifestyle guidance matters for hormonal protocols',
    plainTitle: 'Why daily habits matter alongside hormone therapy',
    file: 'lifestyle-guidance-hormonal-protocols.txt',
    evidence: 'clinical-education article',
    tables: [
      {
        id: 'dietary-impacts',
        kind: 'table',
        title: 'Dietary impacts on TRT',
        rows: [
          { id: 'high-glycemic-diet', label: 'High glycemic diet' },
          { id: 'inadequate-healthy-fats', label: 'Inadequate healthy fats' },
          { id: 'zinc-magnesium-deficiency', label: 'Zinc and magnesium deficiency' },
          { id: 'excessive-alcohol', label: 'Excessive alcohol consumption' },
        ],
      },
      {
        id: 'exercise-by-protocol',
        kind: 'list',
        title: 'Exercise by protocol',
        rows: [
          {
            id: 'trt-resistance-training',
            label: 'TRT: resistance training (androgen receptor density)',
          },
          {
            id: 'female-strength-restorative',
            label: 'Female hormone protocols: strength training plus restorative movement',
          },
          {
            id: 'peptide-exercise-timing',
            label: 'Peptide therapy: timing exercise around administration',
          },
          {
            id: 'endurance-without-recovery',
            label: 'High-intensity endurance without recovery raises cortisol',
          },
        ],
      },
      {
        id: 'stress-and-sleep',
        kind: 'list',
        title: 'Stress and sleep (HPA axis)',
        rows: [
          {
            id: 'sleep-optimization',
            label: 'Sleep optimization: under 7-8 hours suppresses testosterone and GH',
          },
          {
            id: 'stress-reduction',
            label: 'Stress reduction: meditation, deep breathing, time in nature',
          },
          {
            id: 'cortisol-blunts-therapy',
            label: 'High cortisol blunts TRT; "pregnenolone steal"',
          },
        ],
      },
      {
        id: 'estrobolome',
        kind: 'table',
        title: 'Influence of lifestyle on the estrobolome',
        rows: [
          { id: 'dietary-fiber', label: 'Dietary fiber intake' },
          { id: 'cruciferous-vegetables', label: 'Cruciferous vegetables' },
          { id: 'probiotic-fermented-foods', label: 'Probiotic and fermented foods' },
          { id: 'chronic-stress-cortisol', label: 'Chronic stress and cortisol' },
        ],
      },
    ],
  },
  {
    id: 'hpg-recovery',
    title: 'How diet and exercise affect recovery of the HPG axis after TRT',
    plainTitle: 'How food and exercise help your own hormones recover after testosterone therapy',
    file: 'hpg-axis-recovery.txt',
    evidence: 'clinical-education article',
    tables: [
      {
        id: 'diet-fuels-recovery',
        kind: 'list',
        title: 'How diet fuels recovery',
        rows: [
          { id: 'dietary-fats', label: 'Dietary fats' },
          { id: 'proteins-amino-acids', label: 'Proteins and amino acids' },
          { id: 'carbohydrate-management', label: 'Carbohydrate management' },
        ],
      },
      {
        id: 'recovery-markers',
        kind: 'table',
        title: 'Comparative impact of lifestyle on HPG recovery markers',
        rows: [
          { id: 'gnrh-pulsatility', label: 'GnRH pulsatility' },
          { id: 'lh-fsh-sensitivity', label: 'LH/FSH sensitivity' },
          { id: 'leydig-cell-function', label: 'Testicular Leydig cell function' },
          { id: 'systemic-inflammation', label: 'Systemic inflammation (CRP, IL-6)' },
          { id: 'insulin-sensitivity', label: 'Insulin sensitivity' },
        ],
      },
      {
        id: 'exercise',
        kind: 'paragraphs',
        title: 'Exercise',
        rows: [
          { id: 'resistance-training', label: 'Resistance training helps recovery' },
          {
            id: 'endurance-with-low-intake',
            label: 'Chronic high-volume endurance with too little food suppresses the axis',
          },
        ],
      },
      {
        id: 'molecular-pathways',
        kind: 'table',
        title: 'Molecular pathways from lifestyle to hypothalamic function',
        rows: [
          { id: 'dietary-composition', label: 'Dietary composition' },
          { id: 'gut-brain-signaling', label: 'Gut-brain signaling' },
          { id: 'hypothalamic-inflammation', label: 'Hypothalamic inflammation' },
          { id: 'gnrh-neuron-activity', label: 'GnRH neuron activity' },
          { id: 'clinical-outcome', label: 'Clinical outcome' },
        ],
      },
      {
        id: 'further-factors',
        kind: 'list',
        title: 'Further factors',
        rows: [
          {
            id: 'micronutrient-cofactors',
            label: 'Micronutrient cofactors (zinc, vitamin D, magnesium, B vitamins)',
          },
          {
            id: 'sleep-architecture',
            label: 'Sleep architecture and HPG rhythm (short sleep, sleep apnea)',
          },
          { id: 'stress-cortisol-crh', label: "Stress and cortisol's direct suppression (CRH)" },
        ],
      },
    ],
  },
  {
    id: 'evening-routine',
    title: 'An evening wind-down routine for sleep, with reader comments',
    plainTitle: 'An evening routine for better sleep',
    file: 'evening-routine.txt',
    evidence: 'anecdotal practice',
    tables: [
      {
        id: 'practice',
        kind: 'list',
        title: 'Evening wind-down practices',
        rows: [
          { id: 'fixed-wind-down', label: 'A fixed wind-down hour' },
          { id: 'dim-light-no-screens', label: 'Dim, warm light and no screens' },
          { id: 'warm-bath', label: 'A warm bath' },
          { id: 'reading', label: 'Reading' },
          { id: 'cool-dark-quiet-room', label: 'A cool, dark, quiet room' },
          { id: 'consistent-schedule', label: 'Consistent bed and wake times' },
          {
            id: 'no-late-caffeine-alcohol-exercise',
            label: 'No late caffeine, alcohol or heavy exercise',
          },
          { id: 'limit-fluids-before-bed', label: 'Not drinking a lot right before bed' },
          { id: 'daylight-during-day', label: 'Daylight during the day' },
          { id: 'meditation-breathing', label: 'Meditation or breathing practice' },
          { id: 'journaling', label: 'Journaling' },
        ],
      },
    ],
  },
];

/** Every row reference that exists. */
export const ROW_REFS: ReadonlySet<string> = new Set(
  ARTICLES.flatMap((article) =>
    article.tables.flatMap((table) =>
      table.rows.map((row) => `${article.id}:${table.id}:${row.id}`),
    ),
  ),
);
