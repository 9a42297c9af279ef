/**
 * Stand-in for `@lit-labs/ssr-dom-shim` in the browser bundle.
 *
 * The bundle uses Lit's "node" builds because they are the ones that guard their top-level
 * DOM access (`extends (globalThis.HTMLElement ?? shim)`, `document` in lit-html), which
 * lets a server import `pay-qr.js` without a DOM. Their real shim is a 5 KB server-side DOM
 * the browser never needs; this one only keeps class definitions from failing off-browser.
 */
export const HTMLElement = (globalThis.HTMLElement ?? class {}) as typeof globalThis.HTMLElement;
export const customElements = globalThis.customElements;
