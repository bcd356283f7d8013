import { findDosingAdvice } from '../safety/dosing-guard';
import { healthWordsIn } from '../../test/support/mail-server';
import { MailTemplates } from './mail-templates';
import { deliveryProblemOf } from './mailer';

describe('the email templates', () => {
  const templates = new MailTemplates();
  const link = 'https://intake.clinic.example/e/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';

  it('render the invitation as plain text and HTML from one source, saying the same', () => {
    const mail = templates.render('invitation', { link, expiresDay: '20 Dec 2026' });
    expect(mail.subject).toBe('Your questionnaire link');
    expect(mail.text).toContain(`Open your questionnaire:\n${link}\n`);
    expect(mail.text).toContain('It works until 20 Dec 2026.');
    expect(mail.text).not.toMatch(/[<>]/);
    expect(mail.html).toContain(`<a href="${link}"`);
    expect(mail.html).toContain('<title>Your questionnaire link</title>');
    // Every sentence of the text is in the HTML too.
    const html = mail.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const sentences = mail.text
      .split(/\n+/)
      .filter((line) => line && !line.endsWith(':') && line !== link);
    expect(sentences.length).toBeGreaterThan(3);
    for (const sentence of sentences) expect(html).toContain(sentence.replace(/'/g, '&#x27;'));
  });

  it('fetch nothing from elsewhere and name only the link', () => {
    const { html } = templates.render('invitation', { link, expiresDay: '20 Dec 2026' });
    expect(html).not.toMatch(/<img|<link|<script|url\(|@import|src=/i);
    for (const url of html.match(/https?:\/\/[^\s"<]+/g) ?? []) expect(url).toBe(link);
  });

  it('say nothing about health, give no dosing advice, and name the clinic only when asked', () => {
    const unnamed = templates.render('invitation', { link, expiresDay: '20 Dec 2026' });
    const named = templates.render('invitation', {
      link,
      expiresDay: '20 Dec 2026',
      clinicName: 'Riverside Practice',
    });
    for (const mail of [unnamed, named]) {
      for (const part of [mail.subject, mail.text, mail.html]) {
        expect(healthWordsIn(part)).toEqual([]);
        expect(findDosingAdvice(part)).toEqual([]);
      }
    }
    expect(unnamed.text).toContain('Your clinic has asked you');
    expect(named.text).toContain('Riverside Practice has asked you');
  });

  it('tell an admin that a webhook endpoint was turned off, naming its host only, and why', () => {
    const context = {
      host: 'hooks.example.org',
      at: '2026-12-07 10:00',
      gone: false,
      pageLink: 'https://intake.clinic.example/admin/webhooks',
    };
    const failing = templates.render('webhook-off', context);
    expect(failing.subject).toBe('A webhook endpoint of your clinic was turned off');
    expect(failing.text).toContain(
      'On 2026-12-07 10:00 the service turned off the webhook endpoint at hooks.example.org: no delivery to it had succeeded for a day.',
    );
    expect(failing.text).toContain(`Open the Webhooks page:\n${context.pageLink}\n`);
    expect(templates.render('webhook-off', { ...context, gone: true }).text).toContain(
      'it answered "410 Gone", which asks for no more deliveries.',
    );
    for (const part of [failing.subject, failing.text, failing.html]) {
      expect(healthWordsIn(part)).toEqual([]);
      expect(findDosingAdvice(part)).toEqual([]);
    }
  });

  it('escape a clinic name in the HTML', () => {
    const mail = templates.render('invitation', {
      link,
      expiresDay: '20 Dec 2026',
      clinicName: 'A <b>& B</b>',
    });
    expect(mail.html).toContain('A &lt;b&gt;&amp; B&lt;/b&gt;');
    expect(mail.text).toContain('A <b>& B</b> has asked you');
  });
});

describe('the reminder and the way to stop reminders', () => {
  const templates = new MailTemplates();
  const link = 'https://intake.clinic.example/e/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';
  const stopLink = `${link}/stop`;

  it('offer the stop link in the invitation only when reminders are planned', () => {
    const planned = templates.render('invitation', {
      link,
      expiresDay: '20 Dec 2026',
      stopLink,
      reminders: 2,
    });
    expect(planned.text).toContain('we may remind you by email, at most 2 times.');
    expect(planned.text).toContain(`No reminders, thank you:\n${stopLink}\n`);
    expect(planned.html).toContain(`<a href="${stopLink}"`);
    const one = templates.render('invitation', {
      link,
      expiresDay: '20 Dec 2026',
      stopLink,
      reminders: 1,
      oneReminder: true,
    });
    expect(one.text).toContain('at most 1 time.');
    const none = templates.render('invitation', { link, expiresDay: '20 Dec 2026' });
    expect(none.text).not.toContain('remind');
  });

  it('remind without health words, with the link, the stop link and only those', () => {
    for (const started of [false, true]) {
      for (const clinicName of [undefined, 'Riverside Practice']) {
        const mail = templates.render('reminder', {
          link,
          stopLink,
          expiresDay: '20 Dec 2026',
          started,
          clinicName,
        });
        expect(mail.subject).toBe('Reminder: your questionnaire link');
        expect(mail.text).toContain(`Open your questionnaire:\n${link}\n`);
        expect(mail.text).toContain(`No more reminders:\n${stopLink}\n`);
        expect(mail.text.includes('Everything you already answered is kept')).toBe(started);
        expect(mail.text).toContain(
          clinicName ? `${clinicName} asked you` : 'Your clinic asked you',
        );
        for (const url of mail.html.match(/https?:\/\/[^\s"<]+/g) ?? []) {
          expect([link, stopLink]).toContain(url);
        }
        for (const part of [mail.subject, mail.text, mail.html]) {
          expect(healthWordsIn(part)).toEqual([]);
          expect(findDosingAdvice(part)).toEqual([]);
        }
      }
    }
  });
});

describe('deliveryProblemOf', () => {
  it.each([
    [{ code: 'EENVELOPE', responseCode: 550 }, 'refused'],
    [{ code: 'EMESSAGE', responseCode: 552 }, 'refused'],
    [{ code: 'EAUTH', responseCode: 535 }, 'sign_in'],
    [{ code: 'ETIMEDOUT' }, 'timeout'],
    [{ code: 'ECONNECTION' }, 'unavailable'],
    [{ code: 'EPROTOCOL', responseCode: 421 }, 'unavailable'],
    [{ code: 'EENVELOPE', responseCode: 451 }, 'unavailable'],
    [{ code: 'EENVELOPE' }, 'refused'],
    [new Error('something else'), 'error'],
    [undefined, 'error'],
  ])('%j is %s', (error, problem) => {
    expect(deliveryProblemOf(error)).toBe(problem);
  });
});
