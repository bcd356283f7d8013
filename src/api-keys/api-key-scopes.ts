/**
 * What an API key may do, each scope one kind of work a clinic's other
 * systems do. A route open to keys names the scope it needs
 * (@ApiKeyScope); a route that names none is closed to keys (the pages,
 * the admin's work, the audit log).
 */
export const API_KEY_SCOPES = {
  'patients:read': 'Read patients and their links',
  'patients:write': 'Add, edit and archive patients',
  'invitations:write': 'Make, email, revoke and re-issue links',
  'intakes:read': 'Read intakes, their answers and scores, assessments and FHIR resources',
  'reviews:write': 'Mark and note points, and complete reviews',
  'handouts:read': 'Download handouts',
} as const satisfies Readonly<Record<string, string>>;

export type ApiKeyScope = keyof typeof API_KEY_SCOPES;

export const API_KEY_SCOPE_NAMES = Object.keys(API_KEY_SCOPES) as readonly ApiKeyScope[];

export const isApiKeyScope = (value: unknown): value is ApiKeyScope =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(API_KEY_SCOPES, value);
