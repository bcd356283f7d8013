import { InitialSchema1763700000000 } from './1763700000000-InitialSchema';
import { PatientSummary1763800000100 } from './1763800000100-PatientSummary';

/** Every migration, oldest first. A test checks that each file here is listed. */
export const MIGRATIONS: (new () => unknown)[] = [
  InitialSchema1763700000000,
  PatientSummary1763800000100,
];
