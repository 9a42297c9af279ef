// The demo till's only script (an external file, so the page needs no inline script). It never
// touches the DOM React rendered — changing it before React hydrates the page would make React
// render the page again (and <pay-scan> with it): clicks are delegated from `document`, and the
// event log is a small custom element that writes into its own shadow root.
export const dynamic = 'force-static';

const SCRIPT = `
// The sandbox codes' 扫码 buttons do what a keyboard-wedge scanner does: one keydown per digit
// in a quick burst, then Enter.
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-scan-code]') : null;
  if (!button || button.disabled) return;
  for (const key of [...button.dataset.scanCode, 'Enter']) {
    button.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }));
  }
});

// <till-log>: what <pay-scan> announced (pay-scan-status-change), newest first.
const sheet = new CSSStyleSheet();
sheet.replaceSync('ol{margin:0;padding-left:20px;max-height:160px;overflow:auto;font:12px/1.6 ui-monospace,Menlo,monospace;color:#656d76}');
customElements.get('till-log') || customElements.define('till-log', class extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [sheet];
    const list = root.appendChild(document.createElement('ol'));
    document.addEventListener('pay-scan-status-change', (event) => {
      const d = event.detail;
      const item = document.createElement('li');
      item.textContent = new Date().toLocaleTimeString('zh-CN', { hour12: false }) + '  ' + d.previous + ' → ' + d.status +
        (d.maskedCode ? '  ' + d.maskedCode : '') + (d.reason ? '  (' + d.reason.code + ': ' + d.reason.message + ')' : '');
      list.prepend(item);
    });
  }
});
`;

export function GET(): Response {
  return new Response(SCRIPT, { headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' } });
}
