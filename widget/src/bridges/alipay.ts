/**
 * Alipay inside the Alipay app: `AlipayJSBridge.call('tradePay', {tradeNO}, cb)` with the
 * provider's `pay_info` (`{"tradeNO": …}`), after `AlipayJSBridgeReady`. `resultCode`:
 * 9000 paid (still not proof: the server decides), 8000 processing and 6004 unknown (the money
 * may have moved: wait for the server), 6001 the payer cancelled, 6002 network error,
 * 4000 failed — and anything else is a failure as well.
 */
import { bridgeReady } from './ready.js';
import type { WalletOutcome } from './wechat.js';

export function alipayOutcome(result: { resultCode?: unknown } | undefined): WalletOutcome {
  const code = String(result?.resultCode);
  return code === '9000' ? 'ok' : code === '8000' || code === '6004' ? 'unknown' : code === '6001' ? 'cancel' : 'fail';
}

/** `tradeNO` of `jsapi`, or a clear error */
export function alipayTradeNo(jsapi: Record<string, unknown> | undefined): string {
  const tradeNo = jsapi?.tradeNO;
  if (typeof tradeNo !== 'string' || !tradeNo) throw Object.assign(new Error('Alipay pay parameters: tradeNO is missing'), { code: 'invalid_pay_info' });
  return tradeNo;
}

interface AlipayJSBridge {
  call(method: string, params: { tradeNO: string }, callback: (result: { resultCode?: string; memo?: string }) => void): void;
}

export async function payInAlipay(win: Window, tradeNO: string): Promise<{ outcome: WalletOutcome; message: string }> {
  const bridge = await bridgeReady<AlipayJSBridge>(win, 'AlipayJSBridge');
  return new Promise((resolve) =>
    bridge.call('tradePay', { tradeNO }, (result) =>
      resolve({ outcome: alipayOutcome(result), message: `tradePay resultCode ${String(result?.resultCode)}${result?.memo ? `: ${result.memo}` : ''}` }),
    ),
  );
}
