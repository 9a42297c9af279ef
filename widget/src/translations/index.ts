/**
 * zh-CN ships in the main bundle; zh-TW and en are small chunks fetched on first use, which
 * keeps the default page's initial load inside its size budget. The texts only the attempt
 * side shows travel with it, all languages at once: qr.ts in the QR chunk, in-app.ts in the
 * bridges' chunk.
 */
import zhCN, { type Translation } from './zh-CN.js';

export type { Translation };
export type Lang = 'zh-CN' | 'zh-TW' | 'en';

const loaded: Partial<Record<Lang, Translation | Promise<void>>> = { 'zh-CN': zhCN };

/** `lang` attribute → supported language: zh-HK/zh-Hant → zh-TW, en-* → en, anything else → zh-CN. */
export function resolveLang(lang: string | null | undefined): Lang {
  const l = (lang ?? '').toLowerCase();
  return /^zh-(tw|hk|mo|hant)/.test(l) ? 'zh-TW' : /^en\b/.test(l) ? 'en' : 'zh-CN';
}

/** The translation when it is here; otherwise undefined, and `onLoad` runs once it is. */
export function translation(lang: Lang, onLoad: () => void): Translation | undefined {
  const entry = (loaded[lang] ??= (lang === 'en' ? import('./en.js') : import('./zh-TW.js')).then(
    (m) => void (loaded[lang] = m.default),
    // Without its chunk (network trouble) the page still works, in the default language.
    () => void (loaded[lang] = zhCN),
  ));
  if (!(entry instanceof Promise)) return entry;
  void entry.then(onLoad);
  return undefined;
}
