import { describe, expect, it } from 'vitest';
import { formatAmount } from './format.js';

describe('formatAmount', () => {
  it('shows CNY fen as yuan with two decimals', () => {
    expect(formatAmount(1999, 'CNY', 'zh-CN')).toBe('¥19.99');
    expect(formatAmount(5, 'CNY', 'zh-CN')).toBe('¥0.05');
    expect(formatAmount(100, 'CNY', 'en')).toBe('¥1.00');
    expect(formatAmount(123456789, 'CNY', 'zh-CN')).toBe('¥1,234,567.89');
  });

  it('uses the currency’s own minor unit: JPY has none', () => {
    expect(formatAmount(2000, 'JPY', 'en')).toBe('¥2,000');
    expect(formatAmount(7, 'JPY', 'zh-CN')).toBe('¥7');
  });

  it('is exact where binary fractions are not (0.1 + 0.2 style amounts)', () => {
    expect(formatAmount(30, 'CNY', 'en')).toBe('¥0.30');
    expect(formatAmount(9_999_999_999_999, 'CNY', 'en')).toBe('¥99,999,999,999.99');
  });

  it('falls back to the raw figure for a code Intl rejects', () => {
    expect(formatAmount(100, 'yuan', 'en')).toBe('100 yuan');
  });
});
