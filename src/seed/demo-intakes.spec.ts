import { readSection } from '../intake/questionnaire/answers';
import { DEMO_PATIENTS } from './demo-intakes';
import { loadContent } from '../content/content';

describe('the demo intakes', () => {
  const intakes = DEMO_PATIENTS.flatMap((patient) =>
    patient.intakes.map((intake, i) => ({ name: `${patient.givenName} #${i + 1}`, intake })),
  );

  it.each(intakes)(
    '$name reads cleanly, step by step, as if the patient had typed it',
    ({ intake }) => {
      for (const section of loadContent().questionnaire.sections) {
        const own = Object.fromEntries(
          section.questions
            .filter((q) => intake.answers[q.id] !== undefined)
            .map((q) => [q.id, intake.answers[q.id]]),
        );
        const read = readSection(section, own, 'form', intake.protocol, {
          required: intake.state !== 'in_progress',
        });
        expect({ section: section.id, problems: read.problems }).toEqual({
          section: section.id,
          problems: [],
        });
        expect(read.answers).toEqual(own);
      }
    },
  );

  it('covers four protocols and every state of an intake, and a patient not invited', () => {
    expect(new Set(intakes.map(({ intake }) => intake.protocol)).size).toBe(4);
    expect(new Set(intakes.map(({ intake }) => intake.state))).toEqual(
      new Set(['in_progress', 'submitted', 'reviewed']),
    );
    expect(DEMO_PATIENTS.some((patient) => patient.intakes.length === 0)).toBe(true);
  });
});
