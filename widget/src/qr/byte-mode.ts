/**
 * Stands in for qrcode's `lib/core/segments.js` and `lib/core/regex.js` in the bundle (see
 * build/plugins.ts).
 *
 * Those two split text into numeric, alphanumeric, kanji and byte runs and pick the cheapest
 * mix with a Dijkstra search: a fifth of the encoder's weight. The widget always hands over
 * one byte-mode segment of UTF-8 bytes (encoder.ts), so every segment is byte data here and
 * no text is ever classified. build/bundle.test.ts checks the built chunk against the real package.
 */
// @ts-expect-error qrcode ships no types for its internals
import ByteData from 'qrcode/lib/core/byte-data.js';

type Segment = { data: Uint8Array | string };

// segments.js
export const fromArray = (segments: Segment[]): unknown[] => segments.map((s) => new ByteData(s.data));
export const fromString = (text: string): unknown[] => [new ByteData(text)];
export const rawSplit = fromString;

// regex.js, as mode.js asks it: nothing is numeric, alphanumeric or kanji
export const testNumeric = (): boolean => false;
export const testAlphanumeric = testNumeric;
export const testKanji = testNumeric;
