import type { Resource } from '@medplum/fhirtypes';

declare const BRAND: unique symbol;

/**
 * Where the service answers FHIR requests, e.g. `https://clinic.example/fhir`,
 * with no trailing slash. Every canonical URL, code system and `fullUrl` the
 * mappers write starts with it, so an EHR can resolve each of them against
 * this server. Made once by `fhirBase()`, so no mapper meets a malformed one.
 */
export type FhirBase = string & { readonly [BRAND]: 'FhirBase' };

/** Checks an absolute http(s) URL with no query or fragment, and drops a trailing slash. */
export function fhirBase(url: string): FhirBase {
  const parsed = new URL(url);
  if (!['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash) {
    throw new Error(`A FHIR base is an http(s) URL with no query or fragment (got ${url})`);
  }
  return url.replace(/\/+$/, '') as FhirBase;
}

/** A code system the product defines, named under the base. */
export const codeSystemUrl = (base: FhirBase, name: string): string => `${base}/CodeSystem/${name}`;

/** The absolute URL of a resource on this server: a Bundle entry's `fullUrl`. */
export const fullUrlOf = (base: FhirBase, resource: Resource): string => {
  if (!resource.id) throw new Error(`A ${resource.resourceType} without an id has no URL`);
  return `${base}/${resource.resourceType}/${resource.id}`;
};
