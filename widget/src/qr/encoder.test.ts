import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { QUIET_ZONE, encode, modulesToPath } from './encoder.js';

/** Paints the SVG path back into pixels, the way a browser would, and lets jsQR read it. */
function decodePath(size: number, path: string, scale = 4): { modes: string[]; bytes: number[] } {
  const dark = new Set<string>();
  for (const m of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    const [x, y, w] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let i = 0; i < w; i++) dark.add(`${x + i},${y}`);
  }
  const px = size * scale;
  const rgba = new Uint8ClampedArray(px * px * 4).fill(255);
  for (let y = 0; y < px; y++)
    for (let x = 0; x < px; x++)
      if (dark.has(`${Math.floor(x / scale)},${Math.floor(y / scale)}`)) rgba.fill(0, (y * px + x) * 4, (y * px + x) * 4 + 3);
  const result = jsQR(rgba, px, px);
  if (!result) throw new Error('jsQR could not read the code');
  return { modes: result.chunks.map((c) => c.type), bytes: result.binaryData };
}

describe('QR encoding', () => {
  const contents = [
    'weixin://wxpay/bizpayurl?pr=AbC123xyz',
    'https://qr.alipay.com/bax03431ljhokirwl38f00a7',
    'https://qr.pbcdci.cn/ecny/pay?o=0123456789&amt=19.99',
    '62220000000000000000', // digits only: still one byte segment, read back verbatim
    'HTTPS://EXAMPLE.COM/UPPER', // alphanumeric-looking: not case-folded
    'https://pay.example.com/sandbox/pay/att_1?lang=中文&x=1', // non-ASCII as UTF-8
  ];

  it.each(contents)('reads back byte for byte: %s', (content) => {
    const symbol = encode(content);
    expect(symbol.content).toBe(content);
    const { modes, bytes } = decodePath(symbol.size, symbol.path);
    expect(modes).toEqual(['byte']);
    expect(bytes).toEqual([...new TextEncoder().encode(content)]);
  });

  it('keeps a 4-module quiet zone around the symbol', () => {
    const { size, path } = encode('weixin://wxpay/bizpayurl?pr=AbC123xyz');
    // Version 3 (29 modules) at error correction M for 37 bytes, plus 2 × 4 quiet modules.
    expect(size).toBe(29 + 2 * QUIET_ZONE);
    const coords = [...path.matchAll(/M(\d+) (\d+)h(\d+)/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])] as const);
    expect(Math.min(...coords.map(([x]) => x))).toBe(QUIET_ZONE);
    expect(Math.min(...coords.map(([, y]) => y))).toBe(QUIET_ZONE);
    expect(Math.max(...coords.map(([x, , w]) => x + w))).toBe(size - QUIET_ZONE);
    expect(Math.max(...coords.map(([, y]) => y + 1))).toBe(size - QUIET_ZONE);
  });

  it('draws one rectangle per run of dark modules', () => {
    const grid = ['#.##', '....', '####', '.#..'];
    const { size, path } = modulesToPath(4, (row, col) => grid[row]![col] === '#');
    expect(size).toBe(12);
    expect(path).toBe('M4 4h1v1h-1zM6 4h2v1h-2zM4 6h4v1h-4zM5 7h1v1h-1z');
  });
});
