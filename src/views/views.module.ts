import { Global, Module } from '@nestjs/common';
import { Pages } from './pages';
import { ViewRenderer } from './view-renderer';

@Global()
@Module({
  providers: [{ provide: ViewRenderer, useFactory: () => new ViewRenderer() }, Pages],
  exports: [ViewRenderer, Pages],
})
export class ViewsModule {}
