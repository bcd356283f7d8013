import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditedRoute } from '../../audit/audited-route';
import { Meta, RequestMeta, Roles, Scope, Time } from '../../auth/actor';
import { ClinicScope } from '../../common/clinic-scope';
import { ClinicTime } from '../../common/clinic-time';
import { DomainError, ErrorCode } from '../../common/domain-error';
import { IdParamPipe } from '../../common/id-param.pipe';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import {
  NewEndpointSecret,
  WebhookEndpointDto,
  WebhookEventsDto,
} from '../../webhooks/webhook.dto';
import { WebhooksService } from '../../webhooks/webhooks.service';
import { LinkFlash } from '../link-flash';
import { Form, Page, PageError, PageModel, Redirect, redirectTo, takeForm, View } from '../page';
import { WebhooksPageState, webhooksPageView } from './webhooks-view';

const HOME = '/admin/webhooks';

/**
 * The admin's Webhooks page. Every form answers with a redirect back here;
 * a new endpoint's signing secret crosses it in the link flash (sealed, for
 * this session and page) and is shown once: the page that shows it clears it.
 */
@Roles('admin')
@Controller(HOME)
export class WebhooksPageController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly flash: LinkFlash,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Page('admin/webhooks')
  show(
    @Scope() scope: ClinicScope,
    @Time() time: ClinicTime,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Query('done') done?: string,
  ): Promise<PageModel> {
    const secret = this.flash.read<NewEndpointSecret>(req, HOME);
    if (secret) this.flash.clear(res);
    return this.model(scope, time, { secret, done });
  }

  /** A refused address or set of events is shown again as typed, at its field. */
  @Post()
  @Form()
  register(
    @Scope() scope: ClinicScope,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    const typed = (body ?? {}) as WebhooksPageState['typed'];
    const page = async () => new View('admin/webhooks', await this.model(scope, time, { typed }));
    return takeForm(WebhookEndpointDto, body, page, async (dto) => {
      this.flash.put(req, res, HOME, await this.webhooks.register(scope, dto, meta));
      return redirectTo(`${HOME}#new-secret`);
    });
  }

  /** A refused set of events comes back at the endpoint's boxes, as sent. */
  @Post(':id/events')
  @AuditedRoute('webhook.update', 'webhook')
  @Form()
  async setEvents(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
  ): Promise<Redirect> {
    // Not found comes first: another clinic's id is refused whatever was sent.
    await this.webhooks.assertFound(scope, id);
    const events = (body as { events?: unknown } | undefined)?.events;
    const page = async (problems: readonly { message: string }[]) =>
      new View(
        'admin/webhooks',
        await this.model(scope, time, {
          eventsRefused: { endpointId: id, events, message: problems[0].message },
        }),
      );
    return takeForm(WebhookEventsDto, body, page, async (dto) => {
      await this.webhooks.setEvents(scope, id, dto, meta);
      return redirectTo(`${HOME}?done=events#endpoint-${id}`);
    });
  }

  /** Writes a test event and makes its first try before the page comes back. */
  @Post(':id/test')
  @AuditedRoute('webhook.test', 'webhook')
  @Form()
  test(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
  ): Promise<Redirect> {
    return this.act(scope, time, id, 'test', () => this.webhooks.test(scope, id, meta));
  }

  @Post(':id/enable')
  @AuditedRoute('webhook.enable', 'webhook')
  @Form()
  turnOn(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
  ): Promise<Redirect> {
    return this.act(scope, time, id, 'on', () => this.webhooks.turnOn(scope, id, meta));
  }

  @Post(':id/disable')
  @AuditedRoute('webhook.disable', 'webhook')
  @Form()
  turnOff(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
  ): Promise<Redirect> {
    return this.act(scope, time, id, 'off', () => this.webhooks.turnOff(scope, id, meta));
  }

  @Post(':id/delete')
  @AuditedRoute('webhook.delete', 'webhook')
  @Form()
  async delete(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
  ): Promise<Redirect> {
    await this.webhooks.delete(scope, id, meta);
    return redirectTo(`${HOME}?done=deleted`);
  }

  /** Runs an action on one endpoint, then back to it; a refusal as a whole is shown at the endpoint. */
  private async act(
    scope: ClinicScope,
    time: ClinicTime,
    id: string,
    done: string,
    action: () => Promise<void>,
  ): Promise<Redirect> {
    try {
      await action();
      return redirectTo(`${HOME}?done=${done}#endpoint-${id}`);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== ErrorCode.Conflict) throw error;
      const view = new View(
        'admin/webhooks',
        await this.model(scope, time, { failure: error.message }),
      );
      throw new PageError(error.code, error.message, view);
    }
  }

  private async model(
    scope: ClinicScope,
    time: ClinicTime,
    state: Omit<WebhooksPageState, 'endpoints' | 'time' | 'localHttp'>,
  ): Promise<PageModel> {
    return webhooksPageView({
      ...state,
      endpoints: await this.webhooks.list(scope),
      time,
      localHttp: this.config.env !== 'production',
    });
  }
}
