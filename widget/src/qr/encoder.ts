/**
 * The lazily loaded half of QR drawing: everything here, the encoder included (qr-code.ts),
 * lands in its own chunk, fetched only when a code is about to be shown.
 */
import { qrEncode } from './qr-code.js';

export interface QrSymbol {
  /** the exact text encoded */
  content: string;
  /** side length in modules, quiet zone included */
  size: number;
  /** SVG path of the dark modules, in module units */
  path: string;
}

/** ISO/IEC 18004 asks for a 4-module quiet zone; scanners struggle with less. */
export const QUIET_ZONE = 4;

export function encode(content: string): QrSymbol {
  // One byte-mode segment of the string's UTF-8 bytes: no re-segmenting or case-folding
  // between what the provider returned and what the wallet reads. Error correction M.
  const { size, modules } = qrEncode(new TextEncoder().encode(content));
  return { content, ...modulesToPath(size, (row, col) => modules[row * size + col] === 1) };
}

/** One `M x y h n v1 h-n z` rectangle per horizontal run of dark modules: a small path, crisp at any scale. */
export function modulesToPath(count: number, isDark: (row: number, col: number) => boolean): { size: number; path: string } {
  let path = '';
  for (let row = 0; row < count; row++) {
    let col = 0;
    while (col < count) {
      if (!isDark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && isDark(row, col)) col++;
      path += `M${start + QUIET_ZONE} ${row + QUIET_ZONE}h${col - start}v1h-${col - start}z`;
    }
  }
  return { size: count + 2 * QUIET_ZONE, path };
}
