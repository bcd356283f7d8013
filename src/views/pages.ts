import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Csrf } from '../auth/csrf';
import { ViewRenderer } from './view-renderer';

/** Renders a page with what every page needs: the signed-in user and a CSRF token. */
@Injectable()
export class Pages {
  constructor(
    private readonly views: ViewRenderer,
    private readonly csrf: Csrf,
  ) {}

  render(
    req: Request,
    page: string,
    model: Record<string, unknown> & { title: string },
    layout = 'main',
  ): string {
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

  send(
    req: Request,
    res: Response,
    page: string,
    model: Record<string, unknown> & { title: string },
    status = 200,
    layout = 'main',
  ): void {
    res.status(status).type('html');
    res.send(this.render(req, page, model, layout));
  }
}
