import type { Translation } from './zh-CN.js';

/** Traditional Chinese (Taiwan, also used for Hong Kong and Macau). */
const zhTW: Translation = {
  channelGroup: '付款方式',
  channels: { wechat: '微信支付', alipay: '支付寶', unionpay: '銀聯雲閃付', ecny: '數位人民幣' },
  loading: '正在載入訂單…',
  choose: '請選擇付款方式',
  creating: '正在產生付款碼…',
  checking: '正在確認付款結果…',
  paid: '付款成功',
  failed: '付款未完成',
  retry: '重新付款',
  expired: '訂單已逾期',
  canceled: '訂單已取消',
  error: '無法載入訂單，請返回商店頁面重試',
  noChannels: '此訂單目前沒有可用的付款方式，請返回商店頁面',
  reconnecting: '網路異常，正在重試…',
};

export default zhTW;
