/**
 * `<pay-scan>` texts, Simplified Chinese (the default, in the main bundle). Its shape is the
 * shape every `<pay-scan>` translation must have. Separate from `<pay-qr>`'s zh-CN.ts so
 * neither element's bundle carries the other's texts.
 */
const scanZhCN = {
  amountLabel: '应收金额',
  channels: { wechat: '微信支付', alipay: '支付宝', unionpay: '银联云闪付' },
  idle: '等待订单…',
  loading: '正在加载订单…',
  ready: '请扫描顾客的付款码',
  submitting: '支付中…',
  paying: '支付中…',
  password: '用户输入密码中…',
  paid: '收款成功',
  failed: '收款失败',
  reversed: '未获得支付结果，交易已撤销',
  reversedNote: '如顾客已被扣款，款项将原路退回',
  expired: '订单已过期',
  canceled: '订单已取消',
  error: '无法加载订单',
  nextScan: '可扫描下一个付款码',
  codeLabel: '付款码',
  codeHint: '用扫码枪扫描顾客的付款码，或手动输入后按回车',
  submit: '收款',
  invalidDigits: '付款码只能包含数字',
  invalidFormat: '不是有效的付款码（微信 18 位以 10–15 开头；支付宝 16–24 位以 25–30 开头；云闪付 19 位以 62 开头）',
  busy: '上一笔正在处理中，请稍候',
  cameraStart: '摄像头扫码',
  cameraStop: '关闭摄像头',
  cameraLabel: '摄像头画面：将付款码对准镜头',
  cameraError: '无法使用摄像头',
  reconnecting: '网络异常，正在重试…',
  network: '网络异常，请确认结果后重新扫码',
};

type Widen<T> = {
  [K in keyof T]: T[K] extends string ? string : T[K] extends (...args: never[]) => unknown ? T[K] : Widen<T[K]>;
};
export type ScanTranslation = Widen<typeof scanZhCN>;

export default scanZhCN as ScanTranslation;
