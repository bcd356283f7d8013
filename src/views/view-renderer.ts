import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import Handlebars from 'handlebars';
import { PROJECT_ROOT } from '../config/project-root';

export const TEMPLATES_DIR = join(PROJECT_ROOT, 'templates');

/**
 * Handlebars templates from `templates/`, compiled once at start. `{{x}}`
 * escapes, so patient text that looks like HTML or Handlebars prints as text;
 * nothing here uses triple braces except the layout's `{{{body}}}`, which is
 * already-rendered template output.
 */
export class ViewRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly templates = new Map<string, Handlebars.TemplateDelegate>();

  constructor(private readonly root = TEMPLATES_DIR) {
    registerHelpers(this.handlebars);
    for (const file of listTemplates(join(root, 'partials'))) {
      this.handlebars.registerPartial(nameOf(root, 'partials', file), readFileSync(file, 'utf8'));
    }
    for (const folder of ['layouts', 'pages']) {
      for (const file of listTemplates(join(root, folder))) {
        const template = this.handlebars.compile(readFileSync(file, 'utf8'), {
          strict: false,
          noEscape: false,
        });
        this.templates.set(`${folder}/${nameOf(root, folder, file)}`, template);
      }
    }
  }

  /** Renders `templates/pages/<page>.hbs` inside `templates/layouts/<layout>.hbs`. */
  render(page: string, context: Record<string, unknown>, layout = 'main'): string {
    const body = this.template(`pages/${page}`)(context);
    return this.template(`layouts/${layout}`)({ ...context, body });
  }

  private template(name: string): Handlebars.TemplateDelegate {
    const template = this.templates.get(name);
    if (!template) throw new Error(`No template ${name}.hbs in ${this.root}`);
    return template;
  }
}

function listTemplates(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return entries.filter((entry) => entry.endsWith('.hbs')).map((entry) => join(dir, entry));
}

function nameOf(root: string, folder: string, file: string): string {
  return relative(join(root, folder), file)
    .replace(/\.hbs$/, '')
    .split(sep)
    .join('/');
}

function registerHelpers(handlebars: typeof Handlebars): void {
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // The message of a refused form's problem at `field`, if any.
  handlebars.registerHelper('problemFor', (problems: unknown, field: unknown) =>
    Array.isArray(problems)
      ? (problems as { field?: unknown; message?: unknown }[]).find((p) => p.field === field)
          ?.message
      : undefined,
  );
  // Whether a list (a form's checked boxes, as typed) holds the value.
  handlebars.registerHelper('includes', (list: unknown, value: unknown) =>
    Array.isArray(list) ? list.includes(value) : list === value,
  );
  handlebars.registerHelper('date', (value: unknown) =>
    value instanceof Date ? value.toISOString().slice(0, 10) : '',
  );
}
