import type { ScanTranslation } from './pay-scan.zh-CN.js';

/** `<pay-scan>` texts, Traditional Chinese (Taiwan, also used for Hong Kong and Macau). */
const scanZhTW: ScanTranslation = {
  amountLabel: '應收金額',
  channels: { wechat: '微信支付', alipay: '支付寶', unionpay: '銀聯雲閃付' },
  idle: '等待訂單…',
  loading: '正在載入訂單…',
  ready: '請掃描顧客的付款碼',
  submitting: '付款中…',
  paying: '付款中…',
  password: '用戶輸入密碼中…',
  paid: '收款成功',
  failed: '收款失敗',
  reversed: '未取得付款結果，交易已撤銷',
  reversedNote: '如顧客已被扣款，款項將原路退回',
  expired: '訂單已逾期',
  canceled: '訂單已取消',
  error: '無法載入訂單',
  nextScan: '可掃描下一個付款碼',
  codeLabel: '付款碼',
  codeHint: '用掃碼槍掃描顧客的付款碼，或手動輸入後按 Enter',
  submit: '收款',
  invalidDigits: '付款碼只能包含數字',
  invalidFormat: '不是有效的付款碼（微信 18 位以 10–15 開頭；支付寶 16–24 位以 25–30 開頭；雲閃付 19 位以 62 開頭）',
  busy: '上一筆正在處理中，請稍候',
  cameraStart: '相機掃碼',
  cameraStop: '關閉相機',
  cameraLabel: '相機畫面：將付款碼對準鏡頭',
  cameraError: '無法使用相機',
  reconnecting: '網路異常，正在重試…',
  network: '網路異常，請確認結果後重新掃碼',
};

export default scanZhTW;
