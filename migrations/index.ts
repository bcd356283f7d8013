import { InitialSchema1763700000000 } from './1763700000000-InitialSchema';

/** Every migration, oldest first. A test checks that each file here is listed. */
export const MIGRATIONS: (new () => unknown)[] = [InitialSchema1763700000000];
