/**
 * What a shop's TypeScript does with the package: every line must type-check. Run by
 * `pnpm --filter @payqr/widget typecheck` against the sources (tsconfig.json here) and by
 * scripts/pack-check.mjs against the packed tarball, as a shop installs it.
 */
import { PayQrElement, PayQrPaidEvent, type PayQrFailedDetail, type PayQrStatus } from '@payqr/widget';
import { PayScanElement, type PayScanStatus } from '@payqr/widget/pay-scan';

// HTMLElementTagNameMap: the tag names give the element classes
const widget: PayQrElement = document.createElement('pay-qr');
const till: PayScanElement | null = document.querySelector('pay-scan');

// declared properties
widget.endpoint = 'https://pay.example.com';
widget.order = 'ord_1';
widget.secret = 'cs_1';
widget.buyerId = '2088000000000001';
const status: PayQrStatus = widget.status;

// typed events on the element and, bubbling, on the document
widget.addEventListener('pay-qr-paid', (e) => {
  const orderId: string = e.detail.orderId;
  const event: PayQrPaidEvent = e;
  console.log(orderId, event.detail.attemptId, event.detail.channel);
});
widget.addEventListener('pay-qr-failed', (e) => {
  const detail: PayQrFailedDetail = e.detail;
  console.log(detail.error?.code, detail.error?.requestId);
});
widget.addEventListener('pay-qr-status-change', (e) => console.log(e.detail.previous, e.detail.status));
document.addEventListener('pay-qr-expired', (e) => console.log(e.detail.orderId));
window.addEventListener('pay-qr-cancel', (e) => console.log(e.detail.status));
till?.addEventListener('pay-scan-paid', (e) => console.log(e.detail.maskedCode, e.detail.amount, e.detail.currency));
till?.addEventListener('pay-scan-failed', (e) => console.log(e.detail.reason?.message));
const scanStatus: PayScanStatus | undefined = till?.status;
void till?.scan('134567890123456700');

console.log(status, scanStatus, PayQrPaidEvent.type);
