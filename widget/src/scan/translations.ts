/**
 * `<pay-scan>` texts: zh-CN ships in pay-scan.js, zh-TW and en are small chunks fetched on
 * first use (the same scheme as `<pay-qr>`'s translations/index.ts).
 */
import type { Lang } from '../translations/index.js';
import scanZhCN, { type ScanTranslation } from '../translations/pay-scan.zh-CN.js';

export type { ScanTranslation };

const loaded: Partial<Record<Lang, ScanTranslation | Promise<void>>> = { 'zh-CN': scanZhCN };

/** The texts when they are here; otherwise undefined, and `onLoad` runs once they are. */
export function scanTranslation(lang: Lang, onLoad: () => void): ScanTranslation | undefined {
  const entry = (loaded[lang] ??= (lang === 'en' ? import('../translations/pay-scan.en.js') : import('../translations/pay-scan.zh-TW.js')).then(
    (m) => void (loaded[lang] = m.default),
    // Without its chunk (network trouble) the till still works, in the default language.
    () => void (loaded[lang] = scanZhCN),
  ));
  if (!(entry instanceof Promise)) return entry;
  void entry.then(onLoad);
  return undefined;
}
