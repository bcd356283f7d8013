import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { API_KEY_SCOPES, API_KEY_SCOPE_NAMES } from '../../api-keys/api-key-scopes';
import { ApiKeyCreateDto, NewApiKey } from '../../api-keys/api-key.dto';
import { ApiKeysService } from '../../api-keys/api-keys.service';
import { AuditedRoute } from '../../audit/audited-route';
import { Meta, RequestMeta, Roles, Scope, Time } from '../../auth/actor';
import { ClinicScope } from '../../common/clinic-scope';
import { ClinicTime } from '../../common/clinic-time';
import { IdParamPipe } from '../../common/id-param.pipe';
import { LinkFlash } from '../link-flash';
import { Form, Page, PageModel, Redirect, redirectTo, takeForm, View } from '../page';

const HOME = '/admin/api-keys';

/**
 * The admin's page of API keys: make one (the key is shown once, on this
 * page, in this browser, for ten minutes: it crosses the redirect in the
 * link flash), see when each was last used, revoke one.
 */
@Roles('admin')
@Controller(HOME)
export class ApiKeysPageController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly flash: LinkFlash,
  ) {}

  @Get()
  @Page('admin/api-keys')
  show(
    @Scope() scope: ClinicScope,
    @Time() time: ClinicTime,
    @Req() req: Request,
  ): Promise<PageModel> {
    return this.model(scope, time, this.flash.read<NewApiKey>(req, HOME));
  }

  /** A refused key (no name, no scope, a name in use) is shown again as typed. */
  @Post()
  @Form()
  create(
    @Scope() scope: ClinicScope,
    @Body() body: unknown,
    @Meta() meta: RequestMeta,
    @Time() time: ClinicTime,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    const page = async () => new View('admin/api-keys', await this.model(scope, time));
    return takeForm(ApiKeyCreateDto, body, page, async (dto) => {
      this.flash.put(req, res, HOME, await this.keys.create(scope, dto, meta));
      return redirectTo(`${HOME}#new-key-notice`);
    });
  }

  @Post(':id/revoke')
  @AuditedRoute('apikey.revoke', 'api_key')
  @Form()
  async revoke(
    @Scope() scope: ClinicScope,
    @Param('id', IdParamPipe) id: string,
    @Meta() meta: RequestMeta,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<Redirect> {
    await this.keys.revoke(scope, id, meta);
    if (this.flash.read<NewApiKey>(req, HOME)?.id === id) this.flash.clear(res);
    return redirectTo(`${HOME}#keys-title`);
  }

  private async model(
    scope: ClinicScope,
    time: ClinicTime,
    newKey?: NewApiKey,
  ): Promise<PageModel> {
    const keys = await this.keys.list(scope);
    return {
      title: 'API keys',
      newKey,
      scopes: API_KEY_SCOPE_NAMES.map((name) => ({ name, label: API_KEY_SCOPES[name] })),
      keys: keys.map((key) => ({
        ...key,
        scopeList: key.scopes.join(', '),
        createdDay: time.day(key.createdAt),
        lastUsed: key.lastUsedAt ? time.minute(key.lastUsedAt) : undefined,
        revokedDay: key.revokedAt ? time.day(key.revokedAt) : undefined,
      })),
    };
  }
}
