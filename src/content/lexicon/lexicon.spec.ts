import { LEXICON, LEXICON_FILES, LexiconError, LexiconFiles, parseLexicon } from '.';

/** A list or a substance group as it is in the JSON, loosely typed so a test can break it. */
interface RawList {
  why?: string;
  entries: unknown[];
  name?: string;
  kind?: string;
  terms?: unknown[];
}
type RawFile = Record<string, RawList> & { groups?: RawList[] };

/** A deep copy of the repository's files with one file changed by `change`. */
function withFile(name: keyof LexiconFiles, change: (file: RawFile) => void): LexiconFiles {
  const files = structuredClone(LEXICON_FILES) as Record<keyof LexiconFiles, RawFile>;
  change(files[name]);
  return files;
}
const groupOf = (file: RawFile, name: string): RawList => {
  const group = file.groups?.find((candidate) => candidate.name === name);
  if (!group) throw new Error(`no group ${name}`);
  return group;
};

function problemsOf(files: LexiconFiles): string {
  try {
    parseLexicon(files);
  } catch (error) {
    if (error instanceof LexiconError) return error.message;
    throw error;
  }
  throw new Error('the lexicon was accepted');
}

describe('the dosing lexicon', () => {
  it('is valid against its schema, and parses to plain lists of values', () => {
    expect(() => parseLexicon(LEXICON_FILES)).not.toThrow();
    expect(LEXICON.verbs.adminVerbs).toContain('come off');
    expect(LEXICON.schedules.schedulePatterns).toContain('(?:bid|tid|qid|qd|od)');
    expect(LEXICON.verbs.irregularForms.take).toEqual(['took', 'taken']);
    const peptides = LEXICON.substances.groups.find((group) => group.name === 'peptides');
    expect(peptides).toMatchObject({ kind: 'drug', generic: false, caseSensitive: false });
    expect(peptides?.terms).toContain('ipamorelin');
  });

  it('keeps a reason with every list and a note where an entry needs one', () => {
    const lists = Object.values(LEXICON_FILES).flatMap((file) =>
      Object.values(file as Record<string, unknown>).filter(
        (value): value is { why: string } => typeof value === 'object' && value !== null,
      ),
    );
    expect(lists.length).toBeGreaterThan(50);
    const substances = LEXICON_FILES['substances.json'] as { groups: { why: string }[] };
    for (const group of substances.groups) expect(group.why.length).toBeGreaterThan(10);
    const notes = JSON.stringify(LEXICON_FILES['schedules.json']);
    expect(notes).toContain('erectile dysfunction');
  });

  it('refuses an entry not in normalised form, naming the file and the entry', () => {
    const files = withFile('verbs.json', (file) => {
      file.adminVerbs.entries[0] = 'Start';
    });
    expect(problemsOf(files)).toMatch(/verbs\.json adminVerbs\.entries\[0\] "Start": .*normalised/);
  });

  it('refuses a pattern that is not a regular expression, naming the file and the entry', () => {
    const files = withFile('schedules.json', (file) => {
      file.scheduleShorthand.entries.push('q(?:4h');
    });
    expect(problemsOf(files)).toMatch(
      /schedules\.json scheduleShorthand\.entries\[\d+\] "q\(\?:4h": is not a valid regular expression/,
    );
  });

  it('refuses a repeated term, naming its group', () => {
    const files = withFile('substances.json', (file) => {
      groupOf(file, 'peptides').terms?.push('sermorelin');
    });
    expect(problemsOf(files)).toMatch(
      /substances\.json groups\[\d+\]\.terms\[\d+\] "sermorelin" \(group peptides\): repeats entry 0/,
    );
  });

  it('refuses a list without its reason, an unknown key and a wrong kind', () => {
    const files = withFile('doses.json', (file) => {
      delete file.doseNouns.why;
      file.doseNoun = file.doseNouns;
    });
    const substances = withFile('substances.json', (file) => {
      groupOf(file, 'testosterone-products').kind = 'hormone';
    });
    const message = problemsOf(files);
    expect(message).toContain('doses.json doseNouns.why');
    expect(message).toMatch(/doses\.json: .*doseNoun/);
    expect(problemsOf(substances)).toMatch(
      /substances\.json groups\[0\]\.kind "hormone" \(group testosterone-products\): Invalid option/,
    );
  });

  it('lists every problem at once', () => {
    const files = withFile('grammar.json', (file) => {
      file.modals.entries.push('Should', 'should');
    });
    const message = problemsOf(files);
    expect(message).toContain('(2)');
    expect(message).toContain('"Should"');
    expect(message).toContain('repeats entry 0');
  });
});
