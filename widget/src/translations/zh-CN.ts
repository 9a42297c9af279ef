/** Simplified Chinese, the default. Its shape is the shape every translation must have. */
const zhCN = {
  channelGroup: '支付方式',
  channels: { wechat: '微信支付', alipay: '支付宝', unionpay: '银联云闪付', ecny: '数字人民币' },
  loading: '正在加载订单…',
  choose: '请选择支付方式',
  creating: '正在生成付款码…',
  checking: '正在确认支付结果…',
  paid: '支付成功',
  failed: '支付未完成',
  retry: '重新支付',
  expired: '订单已过期',
  canceled: '订单已取消',
  error: '无法加载订单，请返回商户页面重试',
  /** the order offers no channel this widget can pay with */
  noChannels: '此订单暂无可用的支付方式，请返回商户页面',
  reconnecting: '网络异常，正在重试…',
};

type Widen<T> = {
  [K in keyof T]: T[K] extends string ? string : T[K] extends (...args: never[]) => unknown ? T[K] : Widen<T[K]>;
};
export type Translation = Widen<typeof zhCN>;

export default zhCN as Translation;
