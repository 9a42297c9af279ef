import type { ScanTranslation } from './pay-scan.zh-CN.js';

/** `<pay-scan>` texts, English. */
const scanEn: ScanTranslation = {
  amountLabel: 'Amount due',
  channels: { wechat: 'WeChat Pay', alipay: 'Alipay', unionpay: 'UnionPay' },
  idle: 'Waiting for an order…',
  loading: 'Loading order…',
  ready: "Scan the customer's payment code",
  submitting: 'Paying…',
  paying: 'Paying…',
  password: 'Customer is entering their password…',
  paid: 'Payment received',
  failed: 'Payment failed',
  reversed: 'No result in time: the payment was reversed',
  reversedNote: 'If the customer was charged, the money goes back to them',
  expired: 'This order has expired',
  canceled: 'This order was canceled',
  error: "This order can't be loaded",
  nextScan: 'Ready for the next scan',
  codeLabel: 'Payment code',
  codeHint: "Scan the customer's payment code, or type it and press Enter",
  submit: 'Charge',
  invalidDigits: 'A payment code has digits only',
  invalidFormat:
    'Not a payment code (WeChat: 18 digits starting 10–15; Alipay: 16–24 digits starting 25–30; UnionPay: 19 digits starting 62)',
  busy: 'Still working on the last scan, please wait',
  cameraStart: 'Scan with camera',
  cameraStop: 'Stop camera',
  cameraLabel: 'Camera view: hold the payment code up to the camera',
  cameraError: "The camera can't be used",
  reconnecting: 'Network problem, retrying…',
  network: 'Network problem: check the result, then scan again',
};

export default scanEn;
