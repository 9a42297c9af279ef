/**
 * Stands in for qrcode's `lib/core/segments.js` and `lib/core/regex.js` in the bundle (see
 * build/plugins.ts). CommonJS like the modules it replaces, so no interop code is bundled.
 *
 * Those two split text into numeric, alphanumeric, kanji and byte runs and pick the cheapest
 * mix with a Dijkstra search: a fifth of the encoder's weight. The widget always hands over
 * one byte-mode segment of UTF-8 bytes (src/qr/encoder.ts), so every segment is byte data
 * here and no text is ever classified. build/bundle.test.ts checks the built chunk against
 * the unmodified package.
 */
const ByteData = require('qrcode/lib/core/byte-data.js');

// segments.js
exports.fromArray = (segments) => segments.map((segment) => new ByteData(segment.data));
exports.fromString = (text) => [new ByteData(text)];
exports.rawSplit = exports.fromString;

// regex.js, as mode.js asks it: nothing is numeric, alphanumeric or kanji
exports.testNumeric = exports.testAlphanumeric = exports.testKanji = () => false;
