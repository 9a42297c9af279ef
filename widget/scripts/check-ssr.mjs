#!/usr/bin/env node
/**
 * The built bundle, not only the sources, must import on a server without a DOM (shops
 * render pages with it on the server). Run after `vite build`.
 */
const bundle = new URL('../dist/pay-qr.js', import.meta.url);
for (const name of ['window', 'document', 'HTMLElement', 'customElements']) {
  if (name in globalThis) throw new Error(`check-ssr: ${name} exists in this Node, the check would prove nothing`);
}
try {
  const widget = await import(bundle.href);
  if (typeof widget.PayQrElement !== 'function') throw new Error('PayQrElement is not exported');
  console.log('check-ssr: dist/pay-qr.js imports without a DOM');
} catch (error) {
  console.error('check-ssr: dist/pay-qr.js cannot be imported during server-side rendering');
  console.error(error);
  process.exit(1);
}
