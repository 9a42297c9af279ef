/**
 * The QR is drawn in the browser from the attempt's `qr.content`, never fetched as an image:
 * no request to a third party, and what the wallet reads is byte for byte what the provider
 * returned. The encoder is the largest dependency, so it is its own chunk (./encoder.ts).
 */

export interface QrSymbol {
  /** the exact text encoded */
  content: string;
  /** side length in modules, quiet zone included */
  size: number;
  /** SVG path of the dark modules, in module units */
  path: string;
}

let encoder: Promise<typeof import('./encoder.js')> | undefined;

/** Starts fetching the encoder chunk; safe to call often. */
export function loadEncoder(): Promise<typeof import('./encoder.js')> {
  if (!encoder) {
    encoder = import('./encoder.js');
    // A failed chunk load (flaky network) must not poison every later attempt.
    encoder.catch(() => (encoder = undefined));
  }
  return encoder;
}

export async function encodeQr(content: string): Promise<QrSymbol> {
  return (await loadEncoder()).encode(content);
}
