import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { assertNoDosingAdvice } from '../safety/dosing-guard';
import { TEMPLATES_DIR } from '../views/view-renderer';

const ROOT = join(TEMPLATES_DIR, 'mail');

/** A message's subject and both of its parts. */
export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** The messages there are, and what each one's template reads. */
export interface MailContexts {
  readonly invitation: LinkMail & {
    /** Where the patient stops the reminders, when some are planned. */
    readonly stopLink?: string;
    /** How many reminders are planned (with `stopLink`). */
    readonly reminders?: number;
    readonly oneReminder?: boolean;
  };
  readonly reminder: LinkMail & {
    readonly stopLink: string;
    /** The patient has opened the link before: their answers are waiting. */
    readonly started: boolean;
  };
  /** To a clinic's admins: the service turned one of its webhook endpoints off. */
  readonly 'webhook-off': {
    /** The endpoint's host: the rest of its address may hold a token. */
    readonly host: string;
    /** When, as the clinic writes times. */
    readonly at: string;
    /** It answered 410 Gone (rather than failing for a day). */
    readonly gone: boolean;
    /** The admin's Webhooks page. */
    readonly pageLink: string;
  };
}

/** What every email about a patient's link says. */
interface LinkMail {
  readonly link: string;
  /** The day the link stops working, as the clinic writes dates. */
  readonly expiresDay: string;
  /** Only when the clinic's setting allows naming it in emails to patients. */
  readonly clinicName?: string;
}

/**
 * Email templates (templates/mail): one per message, written once with a few
 * helpers ({{#subject}}, {{#para}}, {{button url label}}, {{link url label}}) and rendered twice,
 * as plain text and as HTML, so both parts always say the same. The HTML has
 * inline styles only: no image, stylesheet, font or tracker is fetched from
 * anywhere. Every part goes through the dosing-advice guard before it leaves
 * (fails closed).
 */
export class MailTemplates {
  private readonly text = Handlebars.create();
  private readonly html = Handlebars.create();
  private readonly templates = new Map<
    string,
    { text: Handlebars.TemplateDelegate; html: Handlebars.TemplateDelegate }
  >();
  private readonly layout: Handlebars.TemplateDelegate;

  constructor(root = ROOT) {
    registerText(this.text);
    registerHtml(this.html);
    for (const file of readdirSync(root).filter((name) => name.endsWith('.hbs'))) {
      const source = readFileSync(join(root, file), 'utf8');
      if (file === 'layout.hbs') continue;
      this.templates.set(file.replace(/\.hbs$/, ''), {
        text: this.text.compile(source, { noEscape: true, strict: true }),
        html: this.html.compile(source, { strict: true }),
      });
    }
    this.layout = this.html.compile(readFileSync(join(root, 'layout.hbs'), 'utf8'));
  }

  render<K extends keyof MailContexts>(name: K, context: MailContexts[K]): RenderedMail {
    const template = this.templates.get(name);
    if (!template) throw new Error(`No mail template ${name}.hbs in ${ROOT}`);
    const textOut: { subject?: string } = {};
    const text = tidy(template.text({ ...context }, { data: { out: textOut } }));
    const body = template.html({ ...context }, { data: { out: {} } }).trim();
    const subject = textOut.subject ?? '';
    if (!subject) throw new Error(`The mail template ${name}.hbs has no {{#subject}}`);
    const html = this.layout({ title: subject, body });
    assertNoDosingAdvice([subject, text], `the ${name} email`);
    return { subject, text, html };
  }
}

type BlockOptions = Handlebars.HelperOptions;

/** Where the text pass leaves the subject it read. */
const outOf = (options: BlockOptions) => (options.data as { out: { subject?: string } }).out;

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function registerText(handlebars: typeof Handlebars): void {
  handlebars.registerHelper('subject', function (this: unknown, options: BlockOptions) {
    outOf(options).subject = oneLine(options.fn(this));
    return '';
  });
  handlebars.registerHelper('para', function (this: unknown, options: BlockOptions) {
    return `${oneLine(options.fn(this))}\n\n`;
  });
  handlebars.registerHelper('button', (url: string, label: string) => `${label}:\n${url}\n\n`);
  handlebars.registerHelper('link', (url: string, label: string) => `${label}:\n${url}\n\n`);
}

function registerHtml(handlebars: typeof Handlebars): void {
  const escape = handlebars.Utils.escapeExpression;
  handlebars.registerHelper('subject', () => '');
  handlebars.registerHelper('para', function (this: unknown, options: BlockOptions) {
    return new handlebars.SafeString(
      `<p style="margin:0 0 16px">${oneLine(options.fn(this))}</p>\n`,
    );
  });
  handlebars.registerHelper(
    'button',
    (url: string, label: string) =>
      new handlebars.SafeString(
        `<p style="margin:24px 0"><a href="${escape(url)}" style="display:inline-block;padding:12px 20px;background:#1f5fbf;color:#ffffff;border-radius:6px;text-decoration:none;font-weight:bold">${escape(label)}</a></p>\n` +
          `<p style="margin:0 0 16px;font-size:14px;color:#4a5263">Or copy this address into your browser: <span style="word-break:break-all">${escape(url)}</span></p>\n`,
      ),
  );
  handlebars.registerHelper(
    'link',
    (url: string, label: string) =>
      new handlebars.SafeString(
        `<p style="margin:0 0 16px"><a href="${escape(url)}" style="color:#1f5fbf">${escape(label)}</a></p>\n`,
      ),
  );
}

/** Blank lines between paragraphs, none at either end. */
function tidy(text: string): string {
  return `${text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
