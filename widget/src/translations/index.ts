/**
 * zh-CN ships in the main bundle; zh-TW and en are small chunks fetched on first use, which
 * keeps the default page's initial load inside its size budget.
 */
import zhCN, { type Translation } from './zh-CN.js';

export type { Translation };
export const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const loaded = new Map<Lang, Translation>([['zh-CN', zhCN]]);
const loading = new Map<Lang, Promise<Translation>>();

/** `lang` attribute → supported language: zh-HK/zh-Hant → zh-TW, en-* → en, anything else → zh-CN. */
export function resolveLang(lang: string | null | undefined): Lang {
  const l = (lang ?? '').toLowerCase();
  if (/^zh-(tw|hk|mo|hant)/.test(l)) return 'zh-TW';
  if (/^en\b/.test(l)) return 'en';
  return 'zh-CN';
}

/** The translation if it is here already; otherwise undefined until the returned load settles. */
export function translation(lang: Lang): Translation | undefined {
  return loaded.get(lang);
}

export function loadTranslation(lang: Lang): Promise<Translation> {
  const ready = loaded.get(lang);
  if (ready) return Promise.resolve(ready);
  let pending = loading.get(lang);
  if (!pending) {
    pending = (lang === 'en' ? import('./en.js') : import('./zh-TW.js')).then(
      (m) => m.default,
      // Without its chunk (network trouble) the page still works, in the default language.
      () => zhCN,
    );
    pending.then((t) => loaded.set(lang, t));
    loading.set(lang, pending);
  }
  return pending;
}
