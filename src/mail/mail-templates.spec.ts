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
