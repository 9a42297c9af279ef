import { describe, expect, it } from 'vitest';
import {
  HUISHOUYIN_CODES,
  HUISHOUYIN_ORDER_STATUS,
  huishouyinCode,
  huishouyinOrderStatus,
  huishouyinPayType,
  huishouyinProgress,
} from './status';

describe('huishouyin status tables', () => {
  it('order_status: every value of the seed, and nothing else', () => {
    expect(Object.fromEntries(Object.entries(HUISHOUYIN_ORDER_STATUS).map(([k, v]) => [k, v.state]))).toEqual({
      '1': 'paid',
      '2': 'refunded',
      '3': 'refunded',
      '4': 'closed',
      '5': 'closed',
      '0': 'pending',
      '-1': 'failed',
      '-2': 'paid',
      '-3': 'refunded',
      '-10': 'unknown',
    });
    for (const v of ['6', '-4', '', '01', 'paid', undefined]) expect(huishouyinOrderStatus(v)).toBeUndefined();
    expect(huishouyinOrderStatus('toString')).toBeUndefined();
  });

  it('codes: only the documented refusals are final for a create', () => {
    expect(Object.entries(HUISHOUYIN_CODES).filter(([, v]) => v.finalForCreate).map(([k]) => k)).toEqual(['2000', '3000']);
    expect(huishouyinCode('1003')?.meaning).toBe('already_paid');
    expect(huishouyinCode('1001')).toBeUndefined();
    expect(huishouyinCode('__proto__')).toBeUndefined();
  });

  it('progress: 1002 is the payer (password), anything else paying', () => {
    expect(huishouyinProgress('1002')).toBe('password_entry');
    expect(huishouyinProgress('1000')).toBe('paying');
    expect(huishouyinProgress(undefined)).toBe('paying');
  });

  it('pay_type: 0 WeChat, 1 Alipay', () => {
    expect([huishouyinPayType('0'), huishouyinPayType('1'), huishouyinPayType('2')]).toEqual(['wechat', 'alipay', undefined]);
  });
});
