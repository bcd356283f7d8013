import { Global, Module } from '@nestjs/common';
import { LinkFlash } from './link-flash';

/** What every page folder shares. */
@Global()
@Module({ providers: [LinkFlash], exports: [LinkFlash] })
export class WebModule {}
