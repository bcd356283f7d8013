import { findDosingAdvice } from '../safety/dosing-guard';
import { htmlToText } from './html-text';

describe('htmlToText', () => {
  it('ends a sentence at a block end and at a citation end', () => {
    const html =
      '<ul class="run"><li><strong>Yoga at least weekly</strong> <cite>(Female hormone protocols: strength training plus restorative movement)</cite></li><li>Next</li></ul>';
    expect(htmlToText(html)).toBe(
      'Yoga at least weekly.\n(Female hormone protocols: strength training plus restorative movement).\nNext.',
    );
  });

  it('keeps a summary and the source beside it apart for the dosing guard, but still reads each', () => {
    const cited = htmlToText(
      '<li>Restorative movement at least weekly <cite>(Female hormone protocols: strength training)</cite></li>',
    );
    expect(findDosingAdvice(cited)).toEqual([]);
    const dosing = htmlToText('<li>Take estradiol twice weekly <cite>(Source)</cite></li>');
    expect(findDosingAdvice(dosing)).not.toEqual([]);
  });

  it('drops the head, styles and comments and decodes references', () => {
    expect(
      htmlToText('<head><style>p{}</style></head><p>A &amp; B&#x27;s <!-- no -->text</p>'),
    ).toBe("A & B's text.");
  });
});
