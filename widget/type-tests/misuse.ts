/**
 * Mistakes the types must catch: each `@ts-expect-error` line has to be an error. Were the
 * event map or the tag name map missing (`any` or a plain `Event`), the directive itself would
 * be unused — and that fails the check.
 */
import '@payqr/widget';
import '@payqr/widget/pay-scan';

const widget = document.createElement('pay-qr');

widget.addEventListener('pay-qr-paid', (e) => {
  // @ts-expect-error a paid event's detail has no amount
  console.log(e.detail.amount);
});

document.addEventListener('pay-qr-failed', (e) => {
  // @ts-expect-error the error's code is a string
  const code: number = e.detail.error!.code;
  console.log(code);
});

// @ts-expect-error the status is read-only: the server decides it
widget.status = 'paid';

// @ts-expect-error properties are typed
widget.order = 42;

// @ts-expect-error <pay-scan> is not <pay-qr>
const wrong: HTMLElementTagNameMap['pay-qr'] = document.createElement('pay-scan');
console.log(wrong);

document.querySelector('pay-scan')?.addEventListener('pay-scan-paid', (e) => {
  // @ts-expect-error a scan event never carries the whole code
  console.log(e.detail.authCode);
});
