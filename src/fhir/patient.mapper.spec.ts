import { fhirBase } from './fhir-base';
import { mapPatient, PatientIdentity } from './patient.mapper';

const base = fhirBase('https://clinic.example/fhir');
const patient: PatientIdentity = {
  id: '9a7e0000-0000-4000-8000-000000000001',
  clinicId: 'c1a1c000-0000-4000-8000-000000000001',
  givenName: 'Alex',
  familyName: 'Morgan',
  reference: 'DEMO-1001',
};

describe('mapPatient', () => {
  it("carries the id, the clinic's reference as a record number in the clinic's namespace, and the name", () => {
    expect(mapPatient(base, patient)).toEqual({
      resourceType: 'Patient',
      id: patient.id,
      identifier: [
        {
          type: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v2-0203',
                code: 'MR',
                display: 'Medical record number',
              },
            ],
          },
          system: `https://clinic.example/fhir/clinics/${patient.clinicId}/patient-reference`,
          value: 'DEMO-1001',
        },
      ],
      name: [{ family: 'Morgan', given: ['Alex'] }],
    });
  });

  it('has no identifier when the clinic gave the patient no reference', () => {
    expect(mapPatient(base, { ...patient, reference: null })).toEqual({
      resourceType: 'Patient',
      id: patient.id,
      name: [{ family: 'Morgan', given: ['Alex'] }],
    });
  });
});
