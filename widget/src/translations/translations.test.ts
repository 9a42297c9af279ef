import { describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../api/types.js';
import en from './en.js';
import { resolveLang, translation } from './index.js';
import zhCN from './zh-CN.js';
import zhTW from './zh-TW.js';

const all = { 'zh-CN': zhCN, 'zh-TW': zhTW, en } as Record<string, Record<string, unknown>>;

/** every leaf as "path → value", functions called with sample arguments */
function leaves(value: unknown, path = ''): Array<[string, unknown]> {
  if (typeof value === 'function') return [[path, (value as (...a: unknown[]) => unknown)('X', 2, 30)]];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
  return [[path, value]];
}

describe('translations', () => {
  const reference = leaves(zhCN).map(([k]) => k).sort();

  it.each(Object.keys(all))('%s has every key of zh-CN, and only those', (lang) => {
    expect(leaves(all[lang]).map(([k]) => k).sort()).toEqual(reference);
  });

  it.each(Object.keys(all))('%s has no empty text', (lang) => {
    for (const [key, text] of leaves(all[lang])) {
      expect(typeof text, key).toBe('string');
      expect((text as string).trim(), key).not.toBe('');
    }
  });

  it.each(Object.keys(all))('%s names every channel', (lang) => {
    const t = all[lang] as typeof zhCN;
    for (const c of CHANNELS) expect(t.channels[c]).toBeTruthy();
  });

  it('differs between languages where it should', () => {
    expect(en.paid).not.toBe(zhCN.paid);
    expect(zhTW.channels.alipay).toBe('支付寶');
    expect(zhCN.channels.alipay).toBe('支付宝');
  });
});

describe('QR translations (qr/ chunk)', () => {
  it('has every text in zh-CN, zh-TW and en, none empty', async () => {
    const { qrTranslations } = await import('./qr.js');
    const keys = (t: object) => leaves(t).map(([k]) => k).sort();
    for (const lang of ['zh-TW', 'en'] as const) expect(keys(qrTranslations[lang])).toEqual(keys(qrTranslations['zh-CN']));
    for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
      for (const [key, text] of leaves(qrTranslations[lang])) expect((text as string).trim(), `${lang} ${key}`).not.toBe('');
      for (const c of CHANNELS) expect(qrTranslations[lang].apps[c], `${lang} apps.${c}`).toBeTruthy();
    }
    expect(qrTranslations['zh-TW'].regenerate).not.toBe(qrTranslations['zh-CN'].regenerate);
  });

  it('announces minutes, then seconds', async () => {
    const { qrTranslations } = await import('./qr.js');
    const en = qrTranslations.en;
    expect(en.timeLeftAnnouncement(2, 0)).toBe('Payment code expires in 2 minutes');
    expect(en.timeLeftAnnouncement(1, 0)).toBe('Payment code expires in 1 minute');
    expect(en.timeLeftAnnouncement(0, 10)).toBe('Payment code expires in 10 seconds');
    expect(qrTranslations['zh-CN'].timeLeftAnnouncement(0, 10)).toContain('10 秒');
  });
});

describe('resolveLang', () => {
  it('maps lang attributes onto the three languages, zh-CN by default', () => {
    expect(resolveLang(undefined)).toBe('zh-CN');
    expect(resolveLang('')).toBe('zh-CN');
    expect(resolveLang('zh-CN')).toBe('zh-CN');
    expect(resolveLang('zh')).toBe('zh-CN');
    expect(resolveLang('zh-TW')).toBe('zh-TW');
    expect(resolveLang('zh-HK')).toBe('zh-TW');
    expect(resolveLang('zh-Hant-TW')).toBe('zh-TW');
    expect(resolveLang('en')).toBe('en');
    expect(resolveLang('en-GB')).toBe('en');
    expect(resolveLang('fr')).toBe('zh-CN');
  });
});

describe('translation loading', () => {
  it('has zh-CN at once and loads the others on first use', async () => {
    expect(translation('zh-CN', () => {})).toBe(zhCN);
    let loaded = false;
    expect(translation('en', () => (loaded = true))).toBeUndefined();
    await vi.waitFor(() => expect(loaded).toBe(true));
    expect(translation('en', () => {})).toEqual(en);
  });
});

describe('in-app translations (bridges/ chunk)', () => {
  it('has every text in zh-CN, zh-TW and en, none empty, and they differ', async () => {
    const { inAppTranslations } = await import('./in-app.js');
    const keys = (t: object) => leaves(t).map(([k]) => k).sort();
    expect(keys(inAppTranslations['zh-TW'])).toEqual(keys(inAppTranslations['zh-CN']));
    expect(keys(inAppTranslations.en)).toEqual(keys(inAppTranslations['zh-CN']));
    for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
      for (const [key, text] of leaves(inAppTranslations[lang])) expect((text as string).trim(), `${lang} ${key}`).not.toBe('');
    }
    expect(inAppTranslations['zh-CN'].saveAndScan('微信')).toBe('长按保存二维码，在微信中扫一扫');
    expect(inAppTranslations.en.saveAndScan('WeChat')).toBe('Save the code and scan it in WeChat');
    expect(inAppTranslations['zh-TW'].open('支付寶')).not.toBe(inAppTranslations['zh-CN'].open('支付寶'));
  });
});
