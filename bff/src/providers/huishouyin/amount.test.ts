import { describe, expect, it } from 'vitest';
import { MAX_MINOR_AMOUNT } from '../../core/money';
import { fenToYuan, yuanToFen } from './amount';
import { JsonNumberText, parseExactJson, scalarText, type ExactJsonObject } from '../../core/strict-json';

describe('fen → yuan (what PayQR sends as total_amount)', () => {
  it.each([
    [1, '0.01'],
    [10, '0.10'],
    [100, '1.00'],
    [1100, '11.00'],
    [1999, '19.99'],
    [123456789, '1234567.89'],
    [MAX_MINOR_AMOUNT, '99999999999.99'],
  ])('%d fen → "%s"', (fen, yuan) => {
    expect(fenToYuan(fen)).toBe(yuan);
  });

  it.each([0, -1, 1.5, Number.NaN, MAX_MINOR_AMOUNT + 1, Number.MAX_SAFE_INTEGER])('refuses %d', (fen) => {
    expect(() => fenToYuan(fen)).toThrow(/positive amount of fen/);
  });
});

describe('yuan → fen (what 汇收银 answers), exactly', () => {
  it.each<[string | JsonNumberText | number, number]>([
    ['0.01', 1],
    ['11', 1100],
    ['11.0', 1100],
    ['11.00', 1100],
    ['11.000', 1100],
    ['0', 0],
    ['19.99', 1999],
    ['0.1', 10],
    [new JsonNumberText('11.0'), 1100],
    [new JsonNumberText('9'), 900],
    [new JsonNumberText('0.82'), 82],
    [new JsonNumberText('99999999999.99'), MAX_MINOR_AMOUNT],
    ['90071992547.41', 9007199254741],
    // a JS number only through its shortest text: 11.0 parsed by JSON.parse is 11
    [JSON.parse('11.0') as number, 1100],
    [19.99, 1999],
  ])('%j → %d fen', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it('reads 11.0 as a JSON number from the raw text, where JSON.parse would lose the text', () => {
    const exact = parseExactJson('{"total_amount":11.0,"real_amount":0.30}') as ExactJsonObject;
    expect(scalarText(exact.total_amount)).toBe('11.0');
    expect(yuanToFen(exact.total_amount as JsonNumberText)).toBe(1100);
    expect(yuanToFen(exact.real_amount as JsonNumberText)).toBe(30);
    // A literal a double cannot hold is caught from its text …
    const long = parseExactJson('{"a":19.990000000000000001}') as ExactJsonObject;
    expect(yuanToFen(long.a as JsonNumberText)).toBeUndefined();
    // … while JSON.parse would have silently made it 19.99.
    expect(yuanToFen(JSON.parse('{"a":19.990000000000000001}').a as number)).toBe(1999);
  });

  it.each<[string | JsonNumberText | number | null | undefined]>([
    ['19.999'],
    [new JsonNumberText('19.999')],
    [0.1 + 0.2],
    [0.1 + 0.2 - 0.2],
    [19.999],
    ['-1.00'],
    [new JsonNumberText('-1')],
    [-1],
    ['1e3'],
    [new JsonNumberText('1e3')],
    [1e21],
    ['11.'],
    ['.5'],
    [' 11.00'],
    ['11,00'],
    ['¥11.00'],
    [''],
    ['abc'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    ['100000000000.00'],
    ['99999999999999999999.99'],
    [null],
    [undefined],
  ])('refuses %j', (yuan) => {
    expect(yuanToFen(yuan)).toBeUndefined();
  });

  it('round-trips every amount from 0.01 to 100.00 and a spread of big ones', () => {
    for (let fen = 1; fen <= 10_000; fen++) expect(yuanToFen(fenToYuan(fen))).toBe(fen);
    for (const fen of [123_456_789_012, 9_007_199_254_740, 5_000_000_000_001, MAX_MINOR_AMOUNT]) {
      expect(yuanToFen(fenToYuan(fen))).toBe(fen);
      expect(yuanToFen(new JsonNumberText(fenToYuan(fen)))).toBe(fen);
    }
  });
});
