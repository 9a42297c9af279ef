/**
 * Replaces qrcode's `lib/core/segments.js` in the bundle (see vite.config.ts).
 *
 * The original splits text into numeric, alphanumeric, kanji and byte runs and picks the
 * cheapest mix with a Dijkstra search: a third of the encoder's weight. The widget always
 * passes one byte-mode segment of UTF-8 bytes (encoder.ts), which needs none of that.
 */
// @ts-expect-error qrcode ships no types for its internals
import ByteData from 'qrcode/lib/core/byte-data.js';

type Segment = { data: Uint8Array | string; mode?: unknown };

export function fromArray(segments: Segment[]): unknown[] {
  return segments.map((segment) => new ByteData(segment.data));
}

/** Plain strings (never passed by the widget) become one byte segment too. */
export const fromString = (text: string): unknown[] => [new ByteData(text)];
export const rawSplit = fromString;
