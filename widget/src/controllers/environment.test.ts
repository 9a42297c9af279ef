import { describe, expect, it } from 'vitest';
import type { Scene } from '../api/types.js';
import { detectEnvironment, resolveScene, type Environment } from './environment.js';

const UA = {
  desktopChrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  iPhoneSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  wechat:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36 XWEB/1160065 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 NetType/WIFI Language/zh_CN',
  alipay:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 AlipayClient/10.5.96.6000 Language/zh-Hans',
  cloudpay:
    'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (com.unionpay.mobilepay) UnionPay/1.0 CloudPay',
  iPadDesktopMode:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
};

describe('detectEnvironment', () => {
  it('tells the wallet apps apart by their user-agent marks', () => {
    expect(detectEnvironment(UA.wechat)).toEqual({ app: 'wechat', mobile: true });
    expect(detectEnvironment(UA.alipay)).toEqual({ app: 'alipay', mobile: true });
    expect(detectEnvironment(UA.cloudpay)).toEqual({ app: 'unionpay', mobile: true });
  });

  it('tells phones from desktops, iPads in desktop mode included', () => {
    expect(detectEnvironment(UA.desktopChrome)).toEqual({ app: undefined, mobile: false });
    expect(detectEnvironment(UA.iPhoneSafari)).toEqual({ app: undefined, mobile: true });
    expect(detectEnvironment(UA.iPadDesktopMode, 0).mobile).toBe(false);
    expect(detectEnvironment(UA.iPadDesktopMode, 5).mobile).toBe(true);
  });
});

describe('resolveScene', () => {
  const all: ReadonlySet<Scene> = new Set(['qr', 'jsapi', 'h5']);
  const qrOnly: ReadonlySet<Scene> = new Set(['qr']);
  const env = (ua: string): Environment => detectEnvironment(ua);

  it('shows a QR on the desktop', () => {
    expect(resolveScene({ environment: env(UA.desktopChrome), channel: 'wechat', implemented: all })).toBe('qr');
  });

  it('uses the bridge inside the channel’s own app, a QR for other channels there', () => {
    expect(resolveScene({ environment: env(UA.wechat), channel: 'wechat', implemented: all })).toBe('jsapi');
    expect(resolveScene({ environment: env(UA.alipay), channel: 'alipay', implemented: all })).toBe('jsapi');
    expect(resolveScene({ environment: env(UA.cloudpay), channel: 'unionpay', implemented: all })).toBe('jsapi');
    expect(resolveScene({ environment: env(UA.wechat), channel: 'alipay', implemented: all })).toBe('qr');
  });

  it('hands over to the app from a mobile browser only where the channel can', () => {
    const h5Channels = new Set(['alipay'] as const);
    expect(resolveScene({ environment: env(UA.iPhoneSafari), channel: 'alipay', implemented: all, h5Channels })).toBe('h5');
    expect(resolveScene({ environment: env(UA.iPhoneSafari), channel: 'wechat', implemented: all, h5Channels })).toBe('qr');
    expect(resolveScene({ environment: env(UA.iPhoneSafari), channel: 'alipay', implemented: all })).toBe('qr');
  });

  it('falls back to a QR for scenes this build cannot carry out yet', () => {
    expect(resolveScene({ environment: env(UA.wechat), channel: 'wechat', implemented: qrOnly })).toBe('qr');
    expect(resolveScene({ environment: env(UA.desktopChrome), channel: 'wechat', override: 'h5', implemented: qrOnly })).toBe('qr');
  });

  it('lets the integrator’s scene attribute win', () => {
    expect(resolveScene({ environment: env(UA.wechat), channel: 'wechat', override: 'qr', implemented: all })).toBe('qr');
    expect(resolveScene({ environment: env(UA.desktopChrome), channel: 'alipay', override: 'jsapi', implemented: all })).toBe('jsapi');
  });
});
