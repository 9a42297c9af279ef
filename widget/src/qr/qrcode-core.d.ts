// The encoder core alone, without the canvas/SVG/PNG renderers the package's main entry adds.
declare module 'qrcode/lib/core/qrcode.js' {
  export { create } from 'qrcode';
}
