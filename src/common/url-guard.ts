import type { NextFunction, Request, Response } from 'express';
import { logRefusedUrl } from '../logging/request-log';
import { DomainError, ErrorCode } from './domain-error';

/** Why a piece of an address cannot be read as text. */
export type UrlProblem = 'bad-escape' | 'not-utf8' | 'nul';

export type UrlVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly field: string; readonly problem: UrlProblem };

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
const HEX = /^[0-9A-Fa-f]{2}$/;
/** Longest parameter name quoted back: enough for any real one. */
const MAX_NAME = 64;

/**
 * Decodes one percent-encoded piece of an address to text, or says why it
 * cannot be: a `%` not followed by two hex digits, bytes that are not UTF-8
 * (overlong forms and lone surrogates included), or a NUL character, which
 * PostgreSQL cannot store. Characters sent unencoded arrive as Node reads the
 * request line, one byte each (latin1), and are read as those bytes.
 */
export function decodeUrlPart(
  text: string,
  plusIsSpace: boolean,
): { ok: true; value: string } | { ok: false; problem: UrlProblem } {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!HEX.test(hex)) return { ok: false, problem: 'bad-escape' };
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (plusIsSpace && char === '+') {
      bytes.push(0x20);
    } else {
      const code = text.charCodeAt(i);
      if (code > 0xff) bytes.push(...Buffer.from(char, 'utf8'));
      else bytes.push(code);
    }
  }
  let value: string;
  try {
    value = STRICT_UTF8.decode(Uint8Array.from(bytes));
  } catch {
    return { ok: false, problem: 'not-utf8' };
  }
  if (value.includes('\u0000')) return { ok: false, problem: 'nul' };
  return { ok: true, value };
}

/**
 * Checks a request target (`/path?query`): the path, then each query
 * parameter's name and value. A parameter is named as it decodes, without a
 * `[...]` suffix (`q[]` is `q`); a name that is not text itself is quoted as
 * it was sent, still encoded; a nameless one is "query".
 */
export function checkUrl(url: string): UrlVerdict {
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  const query = mark === -1 ? '' : url.slice(mark + 1);
  const inPath = decodeUrlPart(path, false);
  if (!inPath.ok) return { ok: false, field: 'path', problem: inPath.problem };
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    const name = decodeUrlPart(rawName, true);
    const field = fieldName(rawName, name.ok ? name.value : undefined);
    if (!name.ok) return { ok: false, field, problem: name.problem };
    if (equals === -1) continue;
    const value = decodeUrlPart(pair.slice(equals + 1), true);
    if (!value.ok) return { ok: false, field, problem: value.problem };
  }
  return { ok: true };
}

function fieldName(raw: string, decoded: string | undefined): string {
  const name = decoded === undefined ? raw : decoded.replace(/\[.*$/s, '') || decoded;
  return name === '' ? 'query' : name.slice(0, MAX_NAME);
}

const WHY: Readonly<Record<UrlProblem, string>> = {
  'bad-escape': 'has a % that is not followed by two hexadecimal digits',
  'not-utf8': 'holds bytes that are not UTF-8 text',
  nul: 'holds a NUL character (%00)',
};

/** How the log line names each problem (never the refused text). */
const LOGGED_AS: Readonly<Record<UrlProblem, string>> = {
  'bad-escape': 'url.bad.escape',
  'not-utf8': 'url.not.utf',
  nul: 'url.nul.character',
};

/** The sentence a refusal shows, on the error page as in JSON. */
export function urlProblemMessage(field: string, problem: UrlProblem): string {
  const where = field === 'path' ? 'The path of the address' : `The query parameter "${field}"`;
  return `${where} ${WHY[problem]}. Check the address and try again.`;
}

/**
 * Refuses, for every route at once and before any of them reads it, an
 * address whose path or query cannot be read as text (see decodeUrlPart):
 * 400 naming the parameter (or "path"), where such an address once reached
 * PostgreSQL or the router's decoding and answered 500.
 */
export function refuseUnreadableUrl(req: Request, res: Response, next: NextFunction): void {
  const verdict = checkUrl(req.originalUrl ?? req.url);
  if (verdict.ok) return next();
  logRefusedUrl(req, res, LOGGED_AS[verdict.problem]);
  const message = urlProblemMessage(verdict.field, verdict.problem);
  next(new DomainError(ErrorCode.ValidationFailed, message, [{ field: verdict.field, message }]));
}
