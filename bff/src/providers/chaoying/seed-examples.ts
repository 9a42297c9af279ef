/**
 * Examples printed in 超赢's document (docs/providers/chaoying.md), verbatim, for tests (their
 * `sign` placeholders dropped).
 */

/** 微信主扫下单结果通知 — 请求参数示例 */
export const SEED_WECHAT_NOTIFICATION: Readonly<Record<string, string>> = Object.freeze({
  bank_type: 'CFT',
  mch_id: 'f20170519135901860000',
  nonce_str: '1523929649387',
  out_trade_no: '1523929500000',
  out_transaction_id: '2018041721001004870537670226',
  pay_result: '0',
  result_code: 'SUCCESS',
  state: 'SUCCESS',
  time_end: '20180417094729',
  total_fee: '1',
  trade_type: 'pay.weixin.native',
  transaction_id: '199520439266201804177199552446',
});
