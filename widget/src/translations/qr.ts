/**
 * Texts only the attempt side shows (the code, its countdown, "regenerate"), in its lazily
 * loaded chunk (qr/): all three languages together, like in-app.ts, so the first load carries
 * none of them. translations.test.ts checks that every language has every text.
 */
import type { Lang } from './index.js';

const zhCN = {
  /** the app that scans each channel's code */
  apps: { wechat: '微信', alipay: '支付宝', unionpay: '云闪付或银行 App', ecny: '数字人民币 App' },
  scan: (app: string) => `请使用${app}扫一扫完成支付`,
  qrLabel: (channel: string, amount: string) => `${channel}付款码，金额 ${amount}`,
  timeLeft: '剩余时间',
  timeLeftAnnouncement: (minutes: number, seconds: number) =>
    minutes > 0 ? `付款码将在 ${minutes} 分钟后失效` : `付款码将在 ${seconds} 秒后失效`,
  qrExpired: '付款码已失效',
  regenerate: '刷新付款码',
};

type Widen<T> = {
  [K in keyof T]: T[K] extends string ? string : T[K] extends (...args: never[]) => unknown ? T[K] : Widen<T[K]>;
};
export type QrTranslation = Widen<typeof zhCN>;

export const qrTranslations: Record<Lang, QrTranslation> = {
  'zh-CN': zhCN,
  'zh-TW': {
    apps: { wechat: '微信', alipay: '支付寶', unionpay: '雲閃付或銀行 App', ecny: '數位人民幣 App' },
    scan: (app) => `請使用${app}掃描完成付款`,
    qrLabel: (channel, amount) => `${channel}付款碼，金額 ${amount}`,
    timeLeft: '剩餘時間',
    timeLeftAnnouncement: (minutes, seconds) =>
      minutes > 0 ? `付款碼將在 ${minutes} 分鐘後失效` : `付款碼將在 ${seconds} 秒後失效`,
    qrExpired: '付款碼已失效',
    regenerate: '重新產生付款碼',
  },
  en: {
    apps: { wechat: 'WeChat', alipay: 'Alipay', unionpay: 'UnionPay or your bank app', ecny: 'the e-CNY app' },
    scan: (app) => `Scan with ${app} to pay`,
    qrLabel: (channel, amount) => `${channel} payment code for ${amount}`,
    timeLeft: 'Time left',
    timeLeftAnnouncement: (minutes, seconds) =>
      minutes > 0
        ? `Payment code expires in ${minutes} minute${minutes === 1 ? '' : 's'}`
        : `Payment code expires in ${seconds} seconds`,
    qrExpired: 'Payment code expired',
    regenerate: 'Get a new code',
  },
};
