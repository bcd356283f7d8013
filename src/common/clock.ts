import { Injectable } from '@nestjs/common';

/** The time, behind a provider so services can be unit-tested at a chosen moment. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
