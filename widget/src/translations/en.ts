import type { Translation } from './zh-CN.js';

const en: Translation = {
  channelGroup: 'Payment method',
  channels: { wechat: 'WeChat Pay', alipay: 'Alipay', unionpay: 'UnionPay', ecny: 'e-CNY' },
  apps: { wechat: 'WeChat', alipay: 'Alipay', unionpay: 'UnionPay or your bank app', ecny: 'the e-CNY app' },
  loading: 'Loading order…',
  choose: 'Choose how to pay',
  creating: 'Creating payment code…',
  scan: (app) => `Scan with ${app} to pay`,
  qrLabel: (channel, amount) => `${channel} payment code for ${amount}`,
  timeLeft: 'Time left',
  timeLeftAnnouncement: (minutes, seconds) =>
    minutes > 0
      ? `Payment code expires in ${minutes} minute${minutes === 1 ? '' : 's'}`
      : `Payment code expires in ${seconds} seconds`,
  qrExpired: 'Payment code expired',
  regenerate: 'Get a new code',
  checking: 'Confirming payment…',
  paid: 'Payment successful',
  failed: 'Payment not completed',
  retry: 'Try again',
  expired: 'This order has expired',
  canceled: 'This order was canceled',
  error: "This order can't be loaded. Go back to the shop and try again.",
  reconnecting: 'Network problem, retrying…',
};

export default en;
