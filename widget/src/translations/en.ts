import type { Translation } from './zh-CN.js';

const en: Translation = {
  channelGroup: 'Payment method',
  channels: { wechat: 'WeChat Pay', alipay: 'Alipay', unionpay: 'UnionPay', ecny: 'e-CNY' },
  loading: 'Loading order…',
  choose: 'Choose how to pay',
  creating: 'Creating payment code…',
  checking: 'Confirming payment…',
  paid: 'Payment successful',
  failed: 'Payment not completed',
  retry: 'Try again',
  expired: 'This order has expired',
  canceled: 'This order was canceled',
  error: "This order can't be loaded. Go back to the shop and try again.",
  noChannels: 'No payment method is available for this order. Go back to the shop.',
  reconnecting: 'Network problem, retrying…',
};

export default en;
