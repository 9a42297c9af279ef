/**
 * A QR Code (ISO/IEC 18004, Model 2) for one byte-mode segment at error correction level M —
 * all the widget ever draws — in a few hundred bytes instead of the `qrcode` package's
 * general encoder (numeric/alphanumeric/kanji modes, segment optimiser, every level).
 *
 * It produces exactly the symbol `qrcode` produces for `create([{data, mode: 'byte'}],
 * {errorCorrectionLevel: 'M'})`: the same smallest version, codewords, block interleaving
 * and, above all, the same mask, chosen with `qrcode`'s own penalty rules (its N1–N4, which
 * differ in details from other encoders'; the first mask with the lowest score wins).
 * qr-code.test.ts compares the two module by module over many inputs.
 */

/** error correction blocks at level M, versions 1–40 */
const BLOCKS = [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49];
/** error correction codewords per block at level M */
const EC = [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26];

export interface QrModules {
  /** modules per side, without quiet zone */
  size: number;
  /** row-major, 1 = dark */
  modules: Uint8Array;
}

/** GF(2^8) multiplication modulo x^8 + x^4 + x^3 + x^2 + 1 */
function mul(x: number, y: number): number {
  let z = 0;
  for (let i = 7; i >= 0; i--) {
    z = (z << 1) ^ ((z >>> 7) * 0x11d);
    z ^= ((y >>> i) & 1) * x;
  }
  return z;
}

/** Reed–Solomon remainder of `data` for `degree` error correction codewords */
function ecc(data: Uint8Array, degree: number): number[] {
  // generator polynomial ∏(x − αⁱ), i < degree, leading 1 left out
  const gen = Array<number>(degree).fill(0);
  gen[degree - 1] = 1;
  for (let i = 0, root = 1; i < degree; i++, root = mul(root, 2)) {
    for (let j = 0; j < degree; j++) gen[j] = mul(gen[j]!, root) ^ (gen[j + 1] ?? 0);
  }
  const rem = Array<number>(degree).fill(0);
  for (const b of data) {
    const factor = b ^ rem.shift()!;
    rem.push(0);
    gen.forEach((g, i) => (rem[i]! ^= mul(g, factor)));
  }
  return rem;
}

/** BCH code of `value` (format: 10 bits, generator 0x537; version: 12 bits, 0x1f25) */
function bch(value: number, bits: number, generator: number): number {
  let rem = value;
  for (let i = 0; i < bits; i++) rem = (rem << 1) ^ ((rem >>> (bits - 1)) * generator);
  return (value << bits) | rem;
}

export function qrEncode(bytes: Uint8Array): QrModules {
  // smallest version that holds mode (4 bits) + count (8 or 16 bits) + the bytes
  let version = 0;
  let total = 0;
  let dataCodewords = 0;
  let countBits = 8;
  do {
    if (++version > 40) throw new RangeError('QR: too much data for one code');
    const align = version < 2 ? 0 : ((version / 7) | 0) + 2;
    total = (((16 * version + 128) * version + 64 - (align ? (25 * align - 10) * align - 55 : 0) - (version > 6 ? 36 : 0)) / 8) | 0;
    dataCodewords = total - BLOCKS[version - 1]! * (EC[version - 1] ?? 28);
    countBits = version < 10 ? 8 : 16;
  } while (4 + countBits + 8 * bytes.length > 8 * dataCodewords);

  // data bits: 0100 (byte mode), the count, the bytes, a terminator, then 0xEC 0x11 padding
  const bits: number[] = [];
  const put = (value: number, length: number) => {
    for (let i = length - 1; i >= 0; i--) bits.push((value >>> i) & 1);
  };
  put(4, 4);
  put(bytes.length, countBits);
  bytes.forEach((b) => put(b, 8));
  put(0, Math.min(4, 8 * dataCodewords - bits.length));
  put(0, -bits.length & 7);
  for (let pad = 0xec; bits.length < 8 * dataCodewords; pad ^= 0xfd) put(pad, 8);
  const data = new Uint8Array(dataCodewords);
  bits.forEach((bit, i) => (data[i >> 3]! |= bit << (7 - (i & 7))));

  // blocks (the short ones first), each with its error correction, then interleaved
  const blocks = BLOCKS[version - 1]!;
  const degree = EC[version - 1] ?? 28;
  const shortLength = ((total / blocks) | 0) - degree;
  const longFrom = blocks - (total % blocks);
  const dataBlocks: Uint8Array[] = [];
  const eccBlocks: number[][] = [];
  for (let b = 0, at = 0; b < blocks; b++) {
    const block = data.subarray(at, (at += shortLength + (b < longFrom ? 0 : 1)));
    dataBlocks.push(block);
    eccBlocks.push(ecc(block, degree));
  }
  const codewords: number[] = [];
  for (let i = 0; i <= shortLength; i++) dataBlocks.forEach((block) => i < block.length && codewords.push(block[i]!));
  for (let i = 0; i < degree; i++) eccBlocks.forEach((block) => codewords.push(block[i]!));

  // function patterns, marked reserved
  const size = version * 4 + 17;
  const modules = new Uint8Array(size * size);
  const reserved = new Uint8Array(size * size);
  const set = (row: number, col: number, dark: number | boolean) => {
    modules[row * size + col] = +dark;
    reserved[row * size + col] = 1;
  };
  for (const [row, col] of [[0, 0], [size - 7, 0], [0, size - 7]] as const) {
    for (let r = -1; r <= 7; r++)
      for (let c = -1; c <= 7; c++) {
        if (row + r < 0 || row + r >= size || col + c < 0 || col + c >= size) continue;
        const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
        set(row + r, col + c, ring !== 2 && ring !== 4);
      }
  }
  for (let i = 8; i < size - 8; i++) {
    set(i, 6, i % 2 === 0);
    set(6, i, i % 2 === 0);
  }
  if (version > 1) {
    const count = ((version / 7) | 0) + 2;
    const step = version === 32 ? 26 : Math.ceil((size - 13) / (2 * count - 2)) * 2;
    const at = [6];
    for (let i = count - 1; i > 0; i--) at.splice(1, 0, size - 7 - (count - 1 - i) * step);
    at.forEach((row, i) =>
      at.forEach((col, j) => {
        if ((i === 0 && (j === 0 || j === count - 1)) || (i === count - 1 && j === 0)) return;
        for (let r = -2; r <= 2; r++) for (let c = -2; c <= 2; c++) set(row + r, col + c, Math.max(Math.abs(r), Math.abs(c)) !== 1);
      }),
    );
  }
  const format = (mask: number) => {
    const f = bch(mask, 10, 0x537) ^ 0x5412; // level M = 00
    for (let i = 0; i < 15; i++) {
      const bit = (f >> i) & 1;
      set(i < 6 ? i : i < 8 ? i + 1 : size - 15 + i, 8, bit);
      set(8, i < 8 ? size - i - 1 : i < 9 ? 7 : 14 - i, bit);
    }
    set(size - 8, 8, 1);
  };
  format(0);
  if (version > 6) {
    const v = bch(version, 12, 0x1f25);
    for (let i = 0; i < 18; i++) {
      set((i / 3) | 0, (i % 3) + size - 11, (v >> i) & 1);
      set((i % 3) + size - 11, (i / 3) | 0, (v >> i) & 1);
    }
  }

  // codewords in the zigzag, two columns at a time from the bottom right
  let bit = 0;
  for (let col = size - 1, up = true; col > 0; col -= 2, up = !up) {
    if (col === 6) col--;
    for (let k = 0; k < size; k++) {
      const row = up ? size - 1 - k : k;
      for (let c = 0; c < 2; c++) {
        const i = row * size + col - c;
        if (reserved[i]) continue;
        modules[i] = (codewords[bit >> 3]! >> (7 - (bit & 7))) & 1;
        bit++;
      }
    }
  }

  const masks = [
    (i: number, j: number) => (i + j) % 2,
    (i: number) => i % 2,
    (_: number, j: number) => j % 3,
    (i: number, j: number) => (i + j) % 3,
    (i: number, j: number) => (((i / 2) | 0) + ((j / 3) | 0)) % 2,
    (i: number, j: number) => ((i * j) % 2) + ((i * j) % 3),
    (i: number, j: number) => (((i * j) % 2) + ((i * j) % 3)) % 2,
    (i: number, j: number) => (((i * j) % 3) + ((i + j) % 2)) % 2,
  ];
  const applyMask = (m: number) => {
    for (let i = 0; i < size * size; i++) if (!reserved[i] && !masks[m]!((i / size) | 0, i % size)) modules[i]! ^= 1;
  };
  let best = 0;
  let lowest = Infinity;
  for (let m = 0; m < 8; m++) {
    format(m);
    applyMask(m);
    const score = penalty(modules, size);
    applyMask(m);
    if (score < lowest) [best, lowest] = [m, score];
  }
  applyMask(best);
  format(best);
  return { size, modules };
}

/** `qrcode`'s mask penalty (lib/core/mask-pattern.js getPenaltyN1…N4), rule for rule. */
function penalty(m: Uint8Array, size: number): number {
  let points = 0;
  const at = (row: number, col: number) => m[row * size + col]!;
  for (let a = 0; a < size; a++) {
    // N1: runs of five or more in a row or a column, 3 + (length − 5) each
    // N3: 1011101 with four light modules on one side, 40 each
    for (const get of [(b: number) => at(a, b), (b: number) => at(b, a)]) {
      let run = 0;
      let last = -1;
      let window = 0;
      for (let b = 0; b < size; b++) {
        const v = get(b);
        if (v === last) run++;
        else {
          if (run >= 5) points += run - 2;
          last = v;
          run = 1;
        }
        window = ((window << 1) & 0x7ff) | v;
        if (b >= 10 && (window === 0x5d0 || window === 0x05d)) points += 40;
      }
      if (run >= 5) points += run - 2;
    }
  }
  // N2: 2×2 blocks of one colour, 3 each
  for (let row = 0; row < size - 1; row++)
    for (let col = 0; col < size - 1; col++) {
      const sum = at(row, col) + at(row, col + 1) + at(row + 1, col) + at(row + 1, col + 1);
      if (sum === 0 || sum === 4) points += 3;
    }
  // N4: how far the dark share is from half, in 5 % steps, 10 each
  const dark = m.reduce((s, v) => s + v, 0);
  return points + Math.abs(Math.ceil((dark * 100) / m.length / 5) - 10) * 10;
}
