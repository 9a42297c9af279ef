/** Display texts shared by the demo shop's server and client components. */
export const CHANNEL_LABEL: Record<string, string> = {
  wechat: '微信支付 WeChat Pay',
  alipay: '支付宝 Alipay',
  unionpay: '银联云闪付 UnionPay',
  ecny: '数字人民币 e-CNY',
};

export const STATUS_LABEL: Record<string, string> = {
  open: '待支付',
  paid: '已支付',
  expired: '已过期',
  canceled: '已取消',
};

const fmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** Beijing time, the same on the server and in the browser (no hydration mismatch). */
export function beijingTime(iso: string | null): string {
  return iso ? `${fmt.format(new Date(iso))} (GMT+8)` : '—';
}
