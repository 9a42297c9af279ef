import { afterEach, describe, expect, it, vi } from 'vitest';
import { alipayOutcome, alipayTradeNo, payInAlipay } from './alipay.js';
import { oauthUrl, takeOAuthResult } from './oauth.js';
import { bridgeReady } from './ready.js';
import { payInWechat, wechatOutcome, wechatPayParams } from './wechat.js';

/** 超赢's pay_info as its document shows it (bff/src/providers/chaoying/wire.ts; 超赢 adds status and callback_url to WeChat's six) */
const payInfo = {
  appId: 'wxc3d2e734ae326831',
  timeStamp: '1511947589427',
  status: '0',
  signType: 'MD5',
  package: 'prepay_id=wx2017112917262941a3a33e980001282756',
  callback_url: '',
  nonceStr: '1511947589427',
  paySign: 'CD871BCD09B3D0C6339B2D0DE72DE7EE',
};

afterEach(() => {
  delete (window as unknown as Record<string, unknown>).WeixinJSBridge;
  delete (window as unknown as Record<string, unknown>).AlipayJSBridge;
  vi.useRealTimers();
});

describe('wechatPayParams', () => {
  it('hands the bridge exactly appId, timeStamp, nonceStr, package, signType, paySign — values untouched', () => {
    const params = wechatPayParams(payInfo);
    expect(Object.keys(params).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    expect(params).toEqual({
      appId: 'wxc3d2e734ae326831',
      timeStamp: '1511947589427',
      nonceStr: '1511947589427',
      package: 'prepay_id=wx2017112917262941a3a33e980001282756',
      signType: 'MD5',
      paySign: 'CD871BCD09B3D0C6339B2D0DE72DE7EE',
    });
  });

  it('refuses timestamp for timeStamp and appid for appId, saying what it found', () => {
    const { timeStamp, appId, ...rest } = payInfo;
    expect(() => wechatPayParams({ ...rest, appId, timestamp: timeStamp })).toThrow('timeStamp is missing (found timestamp)');
    expect(() => wechatPayParams({ ...rest, timeStamp, appid: appId })).toThrow('appId is missing (found appid)');
    expect(() => wechatPayParams({ ...payInfo, paySign: '' })).toThrow(/paySign is missing/);
    expect(() => wechatPayParams({ ...payInfo, timeStamp: 1511947589427 })).toThrow(/timeStamp is missing/);
    expect(() => wechatPayParams(undefined)).toThrow(/appId is missing/);
  });
});

describe('what the wallets said', () => {
  it('WeChat: err_msg …:ok / :cancel / :fail; anything else fails', () => {
    expect(wechatOutcome({ err_msg: 'get_brand_wcpay_request:ok' })).toBe('ok');
    expect(wechatOutcome({ err_msg: 'get_brand_wcpay_request:cancel' })).toBe('cancel');
    expect(wechatOutcome({ err_msg: 'get_brand_wcpay_request:fail' })).toBe('fail');
    expect(wechatOutcome({ err_msg: 'get_brand_wcpay_request:fail_invalid appid' })).toBe('fail');
    expect(wechatOutcome({})).toBe('fail');
    expect(wechatOutcome(undefined)).toBe('fail');
  });

  it.each([
    ['9000', 'ok'],
    ['8000', 'unknown'],
    ['6004', 'unknown'],
    ['6001', 'cancel'],
    ['6002', 'fail'],
    ['4000', 'fail'],
    ['99', 'fail'],
    [undefined, 'fail'],
  ])('Alipay resultCode %s → %s', (code, outcome) => {
    expect(alipayOutcome({ resultCode: code })).toBe(outcome);
  });

  it('Alipay needs a tradeNO', () => {
    expect(alipayTradeNo({ tradeNO: '2026010122001' })).toBe('2026010122001');
    expect(() => alipayTradeNo({ trade_no: 'x' })).toThrow(/tradeNO is missing/);
  });
});

describe('calling the bridges', () => {
  it('waits for WeixinJSBridgeReady when the bridge is not there yet, then invokes getBrandWCPayRequest', async () => {
    const invoke = vi.fn((_m: string, _p: unknown, cb: (r: { err_msg: string }) => void) => cb({ err_msg: 'get_brand_wcpay_request:ok' }));
    const paying = payInWechat(window, wechatPayParams(payInfo));
    await Promise.resolve();
    expect(invoke).not.toHaveBeenCalled();
    (window as unknown as Record<string, unknown>).WeixinJSBridge = { invoke };
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
    await expect(paying).resolves.toEqual({ outcome: 'ok', message: 'get_brand_wcpay_request:ok' });
    expect(invoke).toHaveBeenCalledWith('getBrandWCPayRequest', wechatPayParams(payInfo), expect.any(Function));
  });

  it('calls AlipayJSBridge tradePay at once when it is there', async () => {
    const call = vi.fn((_m: string, _p: unknown, cb: (r: { resultCode: string }) => void) => cb({ resultCode: '6004' }));
    (window as unknown as Record<string, unknown>).AlipayJSBridge = { call };
    await expect(payInAlipay(window, 'T1')).resolves.toMatchObject({ outcome: 'unknown' });
    expect(call).toHaveBeenCalledWith('tradePay', { tradeNO: 'T1' }, expect.any(Function));
  });

  it('gives up when no bridge ever comes (not really inside the app)', async () => {
    vi.useFakeTimers();
    const waiting = bridgeReady(window, 'WeixinJSBridge', 8000).catch((e: Error & { code?: string }) => e);
    await vi.advanceTimersByTimeAsync(8000);
    await expect(waiting).resolves.toMatchObject({ code: 'bridge_unavailable' });
  });
});

describe('the OAuth fragment', () => {
  it('takes #payqr_openid and removes it from the address bar, keeping the rest', () => {
    history.replaceState(null, '', '/shop/order?id=1#tab=pay&payqr_openid=oRA5quGvJc1wwvjMW-tnpLLqD-FM');
    const replace = vi.spyOn(history, 'replaceState');
    expect(takeOAuthResult(window)).toEqual({ openid: 'oRA5quGvJc1wwvjMW-tnpLLqD-FM' });
    expect(replace).toHaveBeenCalledOnce();
    expect(location.pathname + location.search + location.hash).toBe('/shop/order?id=1#tab=pay');
    expect(takeOAuthResult(window)).toBeUndefined();
  });

  it('takes #payqr_oauth_error too, and leaves a page without either alone', () => {
    history.replaceState(null, '', '/shop#payqr_oauth_error=40029');
    expect(takeOAuthResult(window)).toEqual({ error: '40029' });
    expect(location.hash).toBe('');
    const replace = vi.spyOn(history, 'replaceState');
    expect(takeOAuthResult(window)).toBeUndefined();
    expect(replace).not.toHaveBeenCalled();
  });

  it('points at the BFF’s helper with this page (without its fragment) as the way back', () => {
    expect(oauthUrl('https://pay.example.com/', 'https://shop.example.com/o?id=1#x')).toBe(
      'https://pay.example.com/api/wechat/oauth?return=https%3A%2F%2Fshop.example.com%2Fo%3Fid%3D1',
    );
    expect(oauthUrl('', 'https://shop.example.com/')).toBe('/api/wechat/oauth?return=https%3A%2F%2Fshop.example.com%2F');
  });
});
