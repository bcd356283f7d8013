import type { Patient } from '@medplum/fhirtypes';
import type { PatientEntity } from '../patients/patient.entity';
import type { FhirBase } from './fhir-base';

/** What the mapping reads of a patient: what identifies them, nothing else. */
export type PatientIdentity = Pick<
  PatientEntity,
  'id' | 'clinicId' | 'givenName' | 'familyName' | 'reference'
>;

/**
 * The namespace of a clinic's own patient references: a reference is unique
 * within its clinic only, so the system names the clinic.
 */
const patientReferenceSystem = (base: FhirBase, clinicId: string): string =>
  `${base}/clinics/${clinicId}/patient-reference`;

/**
 * A minimal Patient: the product's id, the clinic's reference (its chart
 * number) when it has one, and the name the clinic entered. Contact details
 * stay out (they are for the clinic's staff to reach the patient), and
 * nothing the product does not store (sex, birth date) is filled in.
 */
export function mapPatient(base: FhirBase, patient: PatientIdentity): Patient {
  return {
    resourceType: 'Patient',
    id: patient.id,
    ...(patient.reference
      ? {
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
              system: patientReferenceSystem(base, patient.clinicId),
              value: patient.reference,
            },
          ],
        }
      : {}),
    name: [{ family: patient.familyName, given: [patient.givenName] }],
  };
}
