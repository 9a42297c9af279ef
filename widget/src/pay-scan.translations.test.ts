import { describe, expect, it, vi } from 'vitest';
import { scanTranslation } from './scan/translations.js';
import scanEn from './translations/pay-scan.en.js';
import scanZhCN from './translations/pay-scan.zh-CN.js';
import scanZhTW from './translations/pay-scan.zh-TW.js';
import zhCN from './translations/zh-CN.js';

const all = { 'zh-CN': scanZhCN, 'zh-TW': scanZhTW, en: scanEn } as Record<string, Record<string, unknown>>;

function leaves(value: unknown, path = ''): Array<[string, unknown]> {
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return [[path, value]];
}

describe('<pay-scan> translations', () => {
  const reference = leaves(scanZhCN).map(([k]) => k).sort();

  it.each(Object.keys(all))('%s has every key of zh-CN, and only those, none empty', (lang) => {
    expect(leaves(all[lang]).map(([k]) => k).sort()).toEqual(reference);
    for (const [key, text] of leaves(all[lang])) expect((text as string).trim(), key).not.toBe('');
  });

  it('has a text for every status the element shows', () => {
    for (const s of ['idle', 'loading', 'ready', 'submitting', 'paying', 'password', 'paid', 'failed', 'reversed', 'expired', 'canceled', 'error']) {
      expect(scanZhCN, s).toHaveProperty(s);
    }
    expect(scanZhCN.password).toBe('用户输入密码中…');
    expect(scanZhCN.paying).toBe('支付中…');
  });

  it('names the wallets as <pay-qr> does', () => {
    for (const c of ['wechat', 'alipay', 'unionpay'] as const) expect(scanZhCN.channels[c]).toBe(zhCN.channels[c]);
  });

  it('has zh-CN at once and loads the others on first use', async () => {
    expect(scanTranslation('zh-CN', () => {})).toBe(scanZhCN);
    let loaded = false;
    expect(scanTranslation('zh-TW', () => (loaded = true))).toBeUndefined();
    await vi.waitFor(() => expect(loaded).toBe(true));
    expect(scanTranslation('zh-TW', () => {})).toEqual(scanZhTW);
  });
});
