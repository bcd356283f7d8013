import { Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DomainError } from './domain-error';

/**
 * A record id in a path. A malformed id names no record, so it is answered
 * like any id this clinic cannot see: 404, never a hint.
 */
@Injectable()
export class IdParamPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUUID(value)) throw DomainError.notFound('The record');
    return value;
  }
}
