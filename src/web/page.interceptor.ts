import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { Pages } from '../views/pages';
import {
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
 */
@Injectable()
export class PageInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly pages: Pages,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const page = this.reflector.get<PageMetadata | undefined>(PAGE_METADATA, context.getHandler());
    if (!page) return next.handle();
    const http = context.switchToHttp();
    return next.handle().pipe(
      map((result: PageModel | View | Redirect) => {
        if (isRedirect(result)) throw new SeeOther(result.url);
        const view = result instanceof View ? result : new View(page.template, result, page.layout);
        http.getResponse<Response>().type('html');
        return this.pages.render(
          http.getRequest<Request>(),
          view.template,
          view.model,
          view.layout,
        );
      }),
    );
  }
}
