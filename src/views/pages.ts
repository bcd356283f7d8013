import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Csrf } from '../auth/csrf';
import type { PageModel } from '../web/page';
import { ViewRenderer } from './view-renderer';

/** Renders a page with what every page needs: the signed-in user and a CSRF token. */
@Injectable()
export class Pages {
  constructor(
    private readonly views: ViewRenderer,
    private readonly csrf: Csrf,
  ) {}

  render(req: Request, page: string, model: PageModel, layout = 'main'): string {
    return this.views.render(
      page,
      {
        ...model,
        actor: req.actor,
        isAdmin: req.actor?.role === 'admin',
        csrfToken: this.csrf.tokenFor(req),
      },
      layout,
    );
  }
}
