import { applyDecorators, HttpCode, Redirect as NestRedirect, SetMetadata } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { DomainError, ErrorCode, FieldProblem } from '../common/domain-error';
import { validateForm } from '../common/form-validation';

/*
 * One way to build a page. A page handler, `@Page(template)`, returns its view
 * model (or a `View` of another template); the page interceptor renders it. A
 * form handler, `@Form()`, changes something and returns a `Redirect`
 * (post/redirect/get: a reload never does it twice). A page that answers with
 * another status is an error carrying its view (`PageError`); a refused form
 * is one such error, `FormRefused`, and the error filter renders it again
 * with what was typed and the problems, each naming its field.
 */

export type Layout = 'main' | 'intake';

/** What every page model has: its title. The rest is the template's business. */
export interface PageModel {
  readonly title: string;
  readonly [key: string]: unknown;
}

/** A page to render: a template (`templates/pages/<template>.hbs`), its model and layout. */
export class View {
  constructor(
    readonly template: string,
    readonly model: PageModel,
    readonly layout: Layout = 'main',
  ) {}
}

/** A form's answer: 303 See Other, after which the browser GETs `url`. */
export interface Redirect {
  readonly url: string;
  readonly statusCode: 303;
}

export const redirectTo = (url: string): Redirect => ({ url, statusCode: 303 });

export const isRedirect = (value: unknown): value is Redirect =>
  typeof value === 'object' && value !== null && (value as Redirect).statusCode === 303;

/**
 * A page that sends the browser elsewhere instead (a submitted intake's step
 * goes to the thank-you page). Nest fixes a page's status when it maps the
 * route, so the page interceptor raises this and the error filter answers 303.
 */
export class SeeOther extends Error {
  constructor(readonly url: string) {
    super(`See ${url}`);
    this.name = 'SeeOther';
  }
}

export const PAGE_METADATA = 'web:page';

export interface PageMetadata {
  readonly template: string;
  readonly layout: Layout;
}

/**
 * The handler's result is rendered with `templates/pages/<template>.hbs` in
 * the layout (a returned `View` names another). Pages are not part of the
 * JSON API, so they stay out of the OpenAPI document.
 */
export const Page = (template: string, layout: Layout = 'main'): MethodDecorator =>
  applyDecorators(
    SetMetadata(PAGE_METADATA, { template, layout } satisfies PageMetadata),
    HttpCode(200),
    ApiExcludeEndpoint(),
  );

export const DOSING_CHECKED_METADATA = 'web:dosing-checked';

/**
 * The page says what the product wrote for a patient (the take-home notes):
 * before it leaves, its final text goes through the dosing-advice guard as a
 * handout's does, and a finding sends nothing (422, see PageInterceptor).
 */
export const DosingChecked = (): MethodDecorator => SetMetadata(DOSING_CHECKED_METADATA, true);

/** A form handler (or a GET that only leads elsewhere): it answers with a `Redirect`, or throws `FormRefused`. */
export const Form = (): MethodDecorator => applyDecorators(NestRedirect(), ApiExcludeEndpoint());

/** A page shown with another status than 200: a link that does not work, a refused form. */
export class PageError extends DomainError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly view: View,
    fields: readonly FieldProblem[] = [],
    retryAfter?: number,
  ) {
    super(code, message, fields, retryAfter);
    this.name = 'PageError';
  }

  /** The model the page is rendered with. */
  get model(): PageModel {
    return this.view.model;
  }
}

/**
 * A form that could not be taken: nothing was changed. The page is shown
 * again, status 400, with `form` (what was typed) and `problems` (each naming
 * its field) added to its model. JSON callers get the usual error body.
 */
export class FormRefused extends PageError {
  constructor(
    view: View,
    problems: readonly FieldProblem[],
    readonly form: Readonly<Record<string, unknown>>,
    /** Conflict (409) for a value another record has, such as an email already in use. */
    code: ErrorCode = ErrorCode.ValidationFailed,
  ) {
    super(
      code,
      `Some answers need another look: ${problems.map((p) => p.field).join(', ')}.`,
      view,
      problems,
    );
    this.name = 'FormRefused';
  }

  override get model(): PageModel {
    return { ...this.view.model, form: this.form, problems: this.fields };
  }
}

/**
 * Reads a posted form against a DTO, with the same rules as the API's pipe.
 * On problems, or when `act` is refused with named fields (a reference
 * another patient has), the page from `page()` is shown again with what was
 * typed. `page` is only called then.
 */
export async function takeForm<T extends object, R>(
  dto: new () => T,
  body: unknown,
  page: (problems: readonly FieldProblem[], value: T) => Promise<View>,
  act: (value: T) => Promise<R>,
): Promise<R> {
  const typed = (body ?? {}) as Record<string, unknown>;
  const { value, problems } = validateForm(dto, typed);
  if (problems.length > 0) throw new FormRefused(await page(problems, value), problems, typed);
  try {
    return await act(value);
  } catch (error) {
    // Refused for a named field (a reference another patient has): shown next to it.
    const refused =
      error instanceof DomainError && error.fields.length > 0 && !(error instanceof PageError);
    if (!refused) throw error;
    throw new FormRefused(await page(error.fields, value), error.fields, typed, error.code);
  }
}
