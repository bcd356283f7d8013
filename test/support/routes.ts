import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { AUTH_METADATA } from '../../src/auth/actor';

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express-style path, e.g. `/patients/:id`. */
  readonly path: string;
  /** The scope an API key needs for it; undefined: closed to keys. */
  readonly keyScope?: string;
}

const join = (...parts: string[]): string =>
  `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;

/**
 * Every route the application serves, read from the controllers' own
 * metadata (the same Nest reads to register them), so a test over "every
 * route" cannot miss one that is added later.
 */
export function listRoutes(app: INestApplication): Route[] {
  const routes: Route[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
      const bases = [base ?? ''].flat();
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (paths === undefined || method === undefined) continue;
        for (const prefix of bases)
          for (const path of [paths].flat())
            routes.push({
              method: RequestMethod[method] as Route['method'],
              path: join(prefix, path),
              keyScope: Reflect.getMetadata(AUTH_METADATA.API_KEY_SCOPE, handler) as
                string | undefined,
            });
      }
    }
  }
  return routes;
}
