import { checkUrl, decodeUrlPart } from './url-guard';

describe('decodeUrlPart', () => {
  it.each([
    ['caf%C3%A9', 'café'],
    ['%E4%B8%AD%E6%96%87', '中文'],
    ['a+b', 'a b'],
    ['%F0%9F%98%80', '😀'],
    ['plain-text_1.2~', 'plain-text_1.2~'],
    ['', ''],
  ])('reads %s as text', (encoded, text) => {
    expect(decodeUrlPart(encoded, true)).toEqual({ ok: true, value: text });
  });

  it('reads a plus as itself in a path', () => {
    expect(decodeUrlPart('/a+b', false)).toEqual({ ok: true, value: '/a+b' });
  });

  it.each([
    ['%', 'bad-escape'],
    ['%zz', 'bad-escape'],
    ['ab%4', 'bad-escape'],
    ['%FF', 'not-utf8'],
    ['%C3%28', 'not-utf8'],
    ['%E2%82', 'not-utf8'],
    ['%C0%AF', 'not-utf8'],
    ['%ED%A0%80', 'not-utf8'],
    ['%00', 'nul'],
    ['a%00b', 'nul'],
  ])('refuses %s as %s', (encoded, problem) => {
    expect(decodeUrlPart(encoded, true)).toEqual({ ok: false, problem });
  });

  it('reads bytes sent unencoded (latin1 in the request line) as UTF-8 bytes', () => {
    expect(decodeUrlPart('caf\u00c3\u00a9', false)).toEqual({ ok: true, value: 'café' });
    expect(decodeUrlPart('\u00ff', false)).toEqual({ ok: false, problem: 'not-utf8' });
  });
});

describe('checkUrl', () => {
  it.each([
    '/',
    '/api/patients?q=Zo%C3%AB&limit=5',
    '/api/patients?q=&&sort=name',
    '/api/patients?flag',
    '/patients/%C3%A9?',
  ])('passes %s', (url) => {
    expect(checkUrl(url)).toEqual({ ok: true });
  });

  it.each([
    ['/x%zz', 'path', 'bad-escape'],
    ['/%00?q=1', 'path', 'nul'],
    ['/?q=%00', 'q', 'nul'],
    ['/?q[]=%FF', 'q', 'not-utf8'],
    ['/?a[b]=1&q[0]=%', 'q', 'bad-escape'],
    ['/?ok=1&na%00me=x', 'na%00me', 'nul'],
    ['/?=%00', 'query', 'nul'],
    ['/?[]=%00', '[]', 'nul'],
    [`/?${'k'.repeat(500)}=%00`, 'k'.repeat(64), 'nul'],
  ])('refuses %s, naming %s', (url, field, problem) => {
    expect(checkUrl(url)).toEqual({ ok: false, field, problem });
  });
});
