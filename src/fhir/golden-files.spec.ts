import type { Bundle } from '@medplum/fhirtypes';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config/project-root';
import { loadContent } from '../content/content';
import { FHIR_BASE_URL, FHIR_CASES } from '../../test/support/fhir-intakes';
import { validateFhir } from '../../test/support/fhir-validator';
import { fhirBase, fullUrlOf } from './fhir-base';
import { mapObservations } from './observation.mapper';
import { mapQuestionnaireResponse } from './questionnaire-response.mapper';

/*
 * Golden files: for one submitted intake of each protocol, what an EHR
 * receives of it (its QuestionnaireResponse and Observations, as a collection
 * Bundle) is kept in test/fixtures/fhir/<protocol>.json, and any change to
 * it fails here. The intakes' ids and times are fixed, so only a change to
 * the mappers or the content changes the files. To accept a change on
 * purpose, rewrite them, format them, and read the diff before committing:
 *
 *   UPDATE_GOLDEN=1 npx jest src/fhir/golden-files.spec.ts
 *   npx prettier --write test/fixtures/fhir
 */

const DIR = join(PROJECT_ROOT, 'test', 'fixtures', 'fhir');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const content = loadContent();
const base = fhirBase(FHIR_BASE_URL);

describe('golden files of what an EHR receives of an intake', () => {
  it.each(FHIR_CASES.map((c) => [c.protocol, c] as const))('%s', (protocol, { intake }) => {
    const resources = [
      mapQuestionnaireResponse(
        base,
        intake,
        content.questionnaireVersion(intake.questionnaireVersion),
      ),
      ...mapObservations(base, intake),
    ];
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: resources.map((resource) => ({ fullUrl: fullUrlOf(base, resource), resource })),
    };
    expect(validateFhir(bundle).errors).toEqual([]);

    const file = join(DIR, `${protocol}.json`);
    if (UPDATE) {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(file, `${JSON.stringify(bundle, null, 2)}\n`);
    }
    expect({ file, exists: existsSync(file) }).toEqual({ file, exists: true });
    // Parsed, so formatting is free; a changed, added or missing value is not.
    expect(bundle).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });
});
