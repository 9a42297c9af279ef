// @vitest-environment node
import { createRequire } from 'node:module';
import type * as QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrEncode } from './qr-code.js';

const real = createRequire(import.meta.url)('qrcode') as typeof QRCode;

/** the unmodified package, as the widget used it before: one byte segment, level M */
function reference(bytes: Uint8Array) {
  const { modules, version, maskPattern } = real.create([{ data: bytes, mode: 'byte' }], { errorCorrectionLevel: 'M' });
  return { size: modules.size, modules: Uint8Array.from(modules.data, (v) => (v ? 1 : 0)), version, maskPattern };
}

/** deterministic pseudo-random bytes */
function bytes(length: number, seed: number): Uint8Array {
  let s = seed >>> 0 || 1;
  return Uint8Array.from({ length }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s & 0xff;
  });
}

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('qrEncode', () => {
  it('draws exactly what the qrcode package draws for wallet URLs', () => {
    for (const text of [
      'weixin://wxpay/bizpayurl?pr=AbC123xyz',
      'https://qr.alipay.com/bax04486r0vgbxds3h55805a',
      'https://qr.95516.com/00010000/01234567890123456789',
      'https://qr.pbcdci.cn/ecny/pay?token=abc',
      '62220000000000000000',
      'https://pay.example.com/p?lang=中文',
      'a',
    ]) {
      expect(qrEncode(utf8(text)), text).toEqual({ size: reference(utf8(text)).size, modules: reference(utf8(text)).modules });
    }
  });

  it('matches at every length up to version 40 boundaries, and so every version, mask and block layout', () => {
    const masks = new Set<number>();
    const versions = new Set<number>();
    const lengths = [...Array(180).keys()].map((n) => n + 1).concat([213, 250, 287, 331, 362, 412, 450, 504, 560, 624, 666, 711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911, 1989, 2099, 2213, 2331]);
    for (const [i, length] of lengths.entries()) {
      const data = bytes(length, i + 1);
      const ref = reference(data);
      masks.add(ref.maskPattern!);
      versions.add(ref.version);
      const ours = qrEncode(data);
      expect(ours.size, `length ${length}`).toBe(ref.size);
      expect(Buffer.from(ours.modules).equals(Buffer.from(ref.modules)), `length ${length} (version ${ref.version}, mask ${ref.maskPattern})`).toBe(true);
    }
    expect(masks.size).toBe(8);
    expect(versions.has(7)).toBe(true); // version information
    expect(versions.has(40)).toBe(true);
  }, 60_000);

  it('picks the smallest version: 14 bytes fit version 1, 15 do not', () => {
    expect(qrEncode(bytes(14, 1)).size).toBe(21);
    expect(qrEncode(bytes(15, 1)).size).toBe(25);
  });

  it('refuses more than a version 40 code holds', () => {
    expect(() => qrEncode(bytes(2332, 1))).toThrow(/too much data/);
  });
});
