import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { DomainError, ErrorCode } from '../common/domain-error';
import { htmlToText } from '../handouts/html-text';
import { assertNoDosingAdvice, DosingAdviceError } from '../safety/dosing-guard';
import { Pages } from '../views/pages';
import {
  DOSING_CHECKED_METADATA,
  isRedirect,
  PAGE_METADATA,
  PageMetadata,
  PageModel,
  Redirect,
  SeeOther,
  View,
} from './page';

/**
 * Renders what a `@Page` handler returns: its view model in its template, as
 * HTML; a `Redirect` becomes a 303 (through the error filter, see SeeOther).
 * A `@DosingChecked()` page's final text goes through the dosing-advice guard
 * first, as a handout's does: a finding sends nothing.
 */
@Injectable()
export class PageInterceptor implements NestInterceptor {
  private readonly logger = new Logger(PageInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly pages: Pages,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const page = this.reflector.get<PageMetadata | undefined>(PAGE_METADATA, context.getHandler());
    if (!page) return next.handle();
    const checked = this.reflector.get<boolean | undefined>(
      DOSING_CHECKED_METADATA,
      context.getHandler(),
    );
    const http = context.switchToHttp();
    return next.handle().pipe(
      map((result: PageModel | View | Redirect) => {
        if (isRedirect(result)) throw new SeeOther(result.url);
        const view = result instanceof View ? result : new View(page.template, result, page.layout);
        const html = this.pages.render(
          http.getRequest<Request>(),
          view.template,
          view.model,
          view.layout,
        );
        if (checked) this.check(html, view.template);
        http.getResponse<Response>().type('html');
        return html;
      }),
    );
  }

  /** The guard over the page's text, failing closed like a handout's (HandoutRefused, 422). */
  private check(html: string, template: string): void {
    try {
      assertNoDosingAdvice([htmlToText(html)], `page ${template}`);
    } catch (error) {
      if (!(error instanceof DosingAdviceError)) throw error;
      // Product text only is on such a page, so the matches carry no patient data.
      this.logger.error(
        { template, findings: error.findings.map((f) => `${f.rule}: ${f.match}`) },
        'Page refused by the dosing-advice guard',
      );
      throw new DomainError(
        ErrorCode.HandoutRefused,
        'This page was not shown: part of its text reads as dosing advice, which this product never gives. Please tell your clinic.',
      );
    }
  }
}
