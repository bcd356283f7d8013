import { paragraphsOf } from './consent.dto';

describe('paragraphsOf', () => {
  it('splits on blank lines, keeps single breaks as lines, and drops empty ones', () => {
    expect(paragraphsOf('One.\r\nStill one.\n\n\n  Two.  \n \nThree.\n')).toEqual([
      ['One.', 'Still one.'],
      ['Two.'],
      ['Three.'],
    ]);
  });

  it('keeps markup as text: the page escapes it', () => {
    expect(paragraphsOf('<b>bold</b>')).toEqual([['<b>bold</b>']]);
  });
});
