/**
 * The sandbox payer page: what a phone shows after scanning a sandbox QR code. One small,
 * self-contained HTML document — no external resources, no scripts (plain `<form method=post>`
 * buttons), one nonce'd `<style>` allowed by a strict Content-Security-Policy — so it works on
 * any phone on the local network and under any browser policy.
 */
import { beijingCompact } from '../core/clock';
import type { Channel } from '../core/domain';
import { formatMoney, type Money } from '../core/money';

export type PayerSessionState = 'open' | 'paid' | 'declined' | 'closed' | 'expired';

export interface PayerPageModel {
  id: string;
  provider: string;
  outTradeNo: string;
  merchantName: string;
  money: Money;
  subject: string;
  channel: Channel;
  state: PayerSessionState;
  expiresAt: number;
  now: number;
  /** shown after an action */
  banner?: { kind: 'ok' | 'error'; text: string };
}

/** Colours live in the stylesheet (`.c-<channel>`): the CSP allows no inline style attributes. */
const CHANNEL_LABEL: Record<Channel, { zh: string; en: string }> = {
  wechat: { zh: '微信支付', en: 'WeChat Pay' },
  alipay: { zh: '支付宝', en: 'Alipay' },
  unionpay: { zh: '云闪付', en: 'UnionPay' },
  ecny: { zh: '数字人民币', en: 'e-CNY' },
};

export const STATE_LABEL: Record<PayerSessionState, { zh: string; en: string }> = {
  open: { zh: '待支付', en: 'Awaiting payment' },
  paid: { zh: '已支付', en: 'Paid' },
  declined: { zh: '已拒绝', en: 'Declined' },
  closed: { zh: '已关闭', en: 'Closed' },
  expired: { zh: '已过期', en: 'Expired' },
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function beijingClock(ms: number): string {
  const t = beijingCompact(ms);
  return `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)} ${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}`;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 -apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Segoe UI",Roboto,sans-serif;background:#f2f3f5;color:#1d2129;min-height:100vh;display:flex;align-items:flex-start;justify-content:center;padding:24px 16px}
main{width:100%;max-width:420px;background:#fff;border-radius:16px;box-shadow:0 6px 24px rgba(0,0,0,.08);overflow:hidden}
header{padding:20px 20px 16px;color:#fff;background:var(--c)}
header .ch{font-weight:600;font-size:18px}
header .sb{opacity:.85;font-size:13px}
.amount{font-size:40px;font-weight:700;text-align:center;padding:24px 16px 4px;letter-spacing:.5px}
.subject{text-align:center;color:#4e5969;padding:0 20px 16px;word-break:break-word}
dl{margin:0;padding:8px 20px;border-top:1px solid #f0f0f0;display:grid;grid-template-columns:auto 1fr;gap:6px 12px;font-size:14px}
dt{color:#86909c}dd{margin:0;text-align:right;overflow-wrap:anywhere}
.state{display:inline-block;padding:1px 10px;border-radius:999px;font-size:13px;background:#f2f3f5}
.state.paid{background:#e8ffea;color:#00a046}.state.declined,.state.closed,.state.expired{background:#ffece8;color:#cb2634}
.banner{margin:12px 20px 0;padding:10px 12px;border-radius:10px;font-size:14px}
.banner.ok{background:#e8ffea;color:#006b2f}.banner.error{background:#ffece8;color:#a1151e}
form{display:flex;flex-direction:column;gap:10px;padding:20px}
button{appearance:none;border:0;border-radius:12px;padding:14px;font-size:17px;font-weight:600;cursor:pointer}
button.pay{background:var(--c);color:#fff}
button.decline{background:#f2f3f5;color:#4e5969}
footer{padding:12px 20px 18px;color:#86909c;font-size:12px;text-align:center}
.c-wechat{--c:#07c160}.c-alipay{--c:#1677ff}.c-unionpay{--c:#d7000f}.c-ecny{--c:#b3122e}.c-neutral{--c:#4e5969}.c-dark{--c:#1d2129}
.msg{padding-top:20px}
main.wide{max-width:760px}section{padding:12px 20px}th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #f0f0f0}
table{width:100%;border-collapse:collapse;font-size:13px}pre{background:#f7f8fa;padding:8px;border-radius:8px;overflow:auto}.hint{font-size:13px;color:#4e5969}
`;

export function renderPayerPage(m: PayerPageModel, nonce: string): string {
  const ch = CHANNEL_LABEL[m.channel];
  const st = STATE_LABEL[m.state];
  const actions =
    m.state === 'open'
      ? `<form method="post" action="${escapeHtml(m.id)}">
  <button class="pay" type="submit" name="action" value="pay">支付 Pay ${escapeHtml(formatMoney(m.money))}</button>
  <button class="decline" type="submit" name="action" value="decline">拒绝 Decline</button>
</form>`
      : `<footer>${m.state === 'paid' ? '支付完成，可以关闭此页面。Payment complete — you can close this page.' : '此订单不能再支付。This order can no longer be paid.'}</footer>`;
  const banner = m.banner ? `<div class="banner ${m.banner.kind}" role="status">${escapeHtml(m.banner.text)}</div>` : '';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(`${ch.zh} ${formatMoney(m.money)} · PayQR sandbox`)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main class="c-${m.channel}">
<header><div class="ch">${ch.zh} · ${ch.en}</div><div class="sb">PayQR 沙箱 Sandbox — ${escapeHtml(m.provider)}</div></header>
<div class="amount">${escapeHtml(formatMoney(m.money))}</div>
<div class="subject">${escapeHtml(m.subject)}</div>
${banner}
<dl>
<dt>商户 Merchant</dt><dd>${escapeHtml(m.merchantName)}</dd>
<dt>订单号 Order</dt><dd>${escapeHtml(m.outTradeNo)}</dd>
<dt>状态 State</dt><dd><span class="state ${m.state}">${st.zh} ${st.en}</span></dd>
<dt>有效期至 Expires</dt><dd>${beijingClock(m.expiresAt)} (GMT+8)</dd>
</dl>
${actions}
<footer>沙箱环境，不会产生真实扣款。Sandbox: no real money moves.</footer>
</main>
</body>
</html>`;
}

export function renderMessagePage(title: string, text: string, nonce: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style nonce="${nonce}">${STYLE}</style></head>
<body><main class="c-neutral"><header><div class="ch">${escapeHtml(title)}</div><div class="sb">PayQR 沙箱 Sandbox</div></header>
<div class="subject msg">${escapeHtml(text)}</div></main></body></html>`;
}

export interface IndexPageModel {
  simulators: string[];
  sessions: Array<{ id: string; url: string; provider: string; outTradeNo: string; money: Money; channel: Channel; state: PayerSessionState }>;
  deliveries: Array<{ provider: string; outTradeNo?: string; state: string; tries: number }>;
  faults: Record<string, unknown>;
  timeScale: number;
}

export function renderIndexPage(m: IndexPageModel, nonce: string): string {
  const rows = m.sessions
    .map(
      (s) =>
        `<tr><td><a href="pay/${escapeHtml(s.id)}">${escapeHtml(s.outTradeNo)}</a></td><td>${escapeHtml(s.provider)}</td><td>${escapeHtml(CHANNEL_LABEL[s.channel].en)}</td><td>${escapeHtml(formatMoney(s.money))}</td><td><span class="state ${s.state}">${STATE_LABEL[s.state].en}</span></td></tr>`,
    )
    .join('\n');
  const dels = m.deliveries
    .map((d) => `<tr><td>${escapeHtml(d.outTradeNo ?? '')}</td><td>${escapeHtml(d.provider)}</td><td>${escapeHtml(d.state)}</td><td>${d.tries}</td></tr>`)
    .join('\n');
  const table = (head: string, body: string) =>
    `<table><thead><tr>${head}</tr></thead><tbody>${body || '<tr><td colspan="5">—</td></tr>'}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>PayQR sandbox</title><style nonce="${nonce}">${STYLE}</style></head>
<body><main class="wide c-dark">
<header><div class="ch">PayQR sandbox</div><div class="sb">Simulators: ${escapeHtml(m.simulators.join(', ') || 'none')} · time scale ${m.timeScale}</div></header>
<section><h3>Recent payer sessions</h3>${table('<th>Order</th><th>Provider</th><th>Channel</th><th>Amount</th><th>State</th>', rows)}</section>
<section><h3>Recent notifications</h3>${table('<th>Order</th><th>Provider</th><th>State</th><th>Tries</th>', dels)}</section>
<section><h3>Faults</h3><pre>${escapeHtml(JSON.stringify(m.faults, null, 2))}</pre>
<p class="hint">Set with <code>POST /sandbox/faults {"provider":"chaoying","http500":1}</code>, clear with <code>DELETE /sandbox/faults</code>.</p></section>
</main></body></html>`;
}
