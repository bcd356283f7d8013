import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ViewRenderer } from './view-renderer';

function templates(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'views-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

describe('ViewRenderer', () => {
  const root = templates({
    'layouts/main.hbs': '<title>{{title}}</title><main>{{{body}}}</main>',
    'pages/patient.hbs': '<p>{{name}}</p>{{> badge}}',
    'partials/badge.hbs': '<b>{{label}}</b>',
  });

  it('renders a page inside its layout, with partials', () => {
    const html = new ViewRenderer(root).render('patient', {
      title: 'T',
      name: 'Ann',
      label: 'new',
    });
    expect(html).toBe('<title>T</title><main><p>Ann</p><b>new</b></main>');
  });

  it('prints text that looks like HTML or Handlebars as text', () => {
    const html = new ViewRenderer(root).render('patient', {
      title: '</title><script>alert(1)</script>',
      name: '<img src=x onerror=alert(1)>{{constructor}}',
      label: '{{> badge}}',
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;{{constructor}}');
    expect(html).toContain('<b>{{&gt; badge}}</b>');
  });

  it('fails loudly on a page that does not exist', () => {
    expect(() => new ViewRenderer(root).render('missing', { title: 'x' })).toThrow(
      'No template pages/missing.hbs',
    );
  });

  it('compiles the real templates at start', () => {
    const html = new ViewRenderer().render('account/sign-in', {
      title: 'Sign in',
      email: '',
      csrfToken: 't',
    });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('name="_csrf" value="t"');
  });
});
