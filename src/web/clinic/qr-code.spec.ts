import { decodeQrSvg } from '../../../test/support/qr';
import { QR_CODE_TITLE, qrCodeSvg } from './qr-code';

const LINK = 'https://intake.clinic.test/i/Yk3v9Qm2Zt8Lr4Wx7Hc1Np6Bs0Df5Gj2Ka8Ue3Ro9Vi';

const decode = (svg: string): string | undefined => decodeQrSvg(svg);

describe('qrCodeSvg', () => {
  it('is an SVG image titled without the link', () => {
    const svg = qrCodeSvg(LINK);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+" /);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="invitation-qr-title"');
    expect(svg).toContain(`<title id="invitation-qr-title">${QR_CODE_TITLE}</title>`);
    // The link is a secret: neither it nor its token appears anywhere in the markup.
    expect(svg).not.toContain('intake.clinic.test');
    expect(svg).not.toContain('Yk3v9Qm2');
    expect(svg).not.toMatch(/<script|<style|href=/);
  });

  it('decodes back to the link it was made from', () => {
    expect(decode(qrCodeSvg(LINK))).toBe(LINK);
    const other = 'https://intake.clinic.test/i/another-token_ABC';
    expect(decode(qrCodeSvg(other))).toBe(other);
  });

  it('uses error correction M and a 2-module margin', () => {
    const svg = qrCodeSvg(LINK);
    // 72 bytes fit version 4 at level L, 5 at M, 6 at Q and 7 at H: version 5 is
    // 37 modules, plus 2 of margin each side.
    expect(LINK).toHaveLength(72);
    expect(svg).toContain('viewBox="0 0 41 41"');
    // The top-left finder pattern starts at the margin: a run of 7 dark modules at (2, 2).
    expect(svg).toContain('M2 2h7v1h-7z');
  });

  it('is deterministic, and different texts give different codes', () => {
    expect(qrCodeSvg(LINK)).toBe(qrCodeSvg(LINK));
    expect(qrCodeSvg(LINK)).not.toBe(qrCodeSvg(`${LINK}x`));
  });

  it('takes a title id and a size, and refuses an id that could break the markup', () => {
    const svg = qrCodeSvg(LINK, { titleId: 'qr-2', size: 180 });
    expect(svg).toContain('aria-labelledby="qr-2"');
    expect(svg).toContain('<title id="qr-2">');
    expect(svg).toContain('width="180" height="180"');
    expect(() => qrCodeSvg(LINK, { titleId: '"><script>' })).toThrow(RangeError);
  });

  it('refuses empty text', () => {
    expect(() => qrCodeSvg('')).toThrow();
  });
});
