import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { lastValueFrom, of } from 'rxjs';
import type { Pages } from '../views/pages';
import { DomainError, ErrorCode } from '../common/domain-error';
import { DosingChecked, Page } from './page';
import { PageInterceptor } from './page.interceptor';

class Handlers {
  @Page('patient/notes', 'intake')
  @DosingChecked()
  checked(): void {}

  @Page('patient/notes', 'intake')
  unchecked(): void {}
}

const run = async (handler: keyof Handlers, html: string) => {
  const pages = { render: () => html } as unknown as Pages;
  const interceptor = new PageInterceptor(new Reflector(), pages);
  const response = { type: jest.fn() };
  const context = {
    getHandler: () => Handlers.prototype[handler],
    switchToHttp: () => ({ getRequest: () => ({}), getResponse: () => response }),
  } as unknown as ExecutionContext;
  return lastValueFrom(interceptor.intercept(context, { handle: () => of({ title: 'Notes' }) }));
};

const DOSING = '<main><p>Take 200 mg of testosterone every Monday.</p></main>';
const LIFESTYLE = '<main><p>A short walk after dinner can help you sleep.</p></main>';

describe('a @DosingChecked() page', () => {
  it('is sent when its text passes the dosing guard', async () => {
    await expect(run('checked', LIFESTYLE)).resolves.toBe(LIFESTYLE);
  });

  it('is refused (422, nothing sent) when its text reads as dosing advice', async () => {
    const refused = await run('checked', DOSING).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe(ErrorCode.HandoutRefused);
  });

  it('other pages are not checked (their text is the patient’s own or the clinic’s)', async () => {
    await expect(run('unchecked', DOSING)).resolves.toBe(DOSING);
  });
});
