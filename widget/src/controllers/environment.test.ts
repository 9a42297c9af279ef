import { describe, expect, it } from 'vitest';
import type { Channel, Scene } from '../api/types.js';
import { detectEnvironment, type Environment } from './environment.js';
import { resolveScene } from './environment-scene.js';
import { UA } from '../test-support/user-agents.js';


describe('detectEnvironment', () => {
  it('tells the wallet apps apart by their user-agent marks', () => {
    expect(detectEnvironment(UA.wechat)).toEqual({ app: 'wechat', mobile: true });
    expect(detectEnvironment(UA.wechatIos)).toEqual({ app: 'wechat', mobile: true });
    expect(detectEnvironment(UA.alipay)).toEqual({ app: 'alipay', mobile: true });
    expect(detectEnvironment(UA.cloudpay)).toEqual({ app: 'unionpay', mobile: true });
    expect(detectEnvironment(UA.bankApp)).toEqual({ app: 'unionpay', mobile: true });
  });

  it('counts WeChat for Windows as an app (its bridge pays there too)', () => {
    expect(detectEnvironment(UA.wechatWindows)).toEqual({ app: 'wechat', mobile: true });
  });

  it('tells phones from desktops, iPads in desktop mode included', () => {
    expect(detectEnvironment(UA.desktopChrome)).toEqual({ app: undefined, mobile: false });
    expect(detectEnvironment(UA.iPhoneSafari)).toEqual({ app: undefined, mobile: true });
    expect(detectEnvironment(UA.androidChrome)).toEqual({ app: undefined, mobile: true });
    expect(detectEnvironment(UA.iPadDesktopMode, 0).mobile).toBe(false);
    expect(detectEnvironment(UA.iPadDesktopMode, 5).mobile).toBe(true);
  });
});

describe('resolveScene', () => {
  const all: ReadonlySet<Scene> = new Set(['qr', 'jsapi', 'h5']);
  const qrOnly: ReadonlySet<Scene> = new Set(['qr']);
  const env = (ua: string): Environment => detectEnvironment(ua);
  const h5Channels: ReadonlySet<Channel> = new Set(['alipay', 'ecny', 'unionpay']);
  const jsapiChannels: ReadonlySet<Channel> = new Set(['wechat', 'alipay', 'unionpay']);
  const scene = (ua: string, channel: Channel, more: Partial<Parameters<typeof resolveScene>[0]> = {}) =>
    resolveScene({ environment: env(ua), channel, implemented: all, h5Channels, jsapiChannels, ...more });

  it('shows a QR on the desktop, whatever the channel', () => {
    for (const c of ['wechat', 'alipay', 'unionpay', 'ecny'] as const) expect(scene(UA.desktopChrome, c)).toBe('qr');
  });

  it('uses the bridge inside the channel’s own app when the order offers it', () => {
    expect(scene(UA.wechat, 'wechat')).toBe('jsapi');
    expect(scene(UA.alipay, 'alipay', { hasBuyerId: true })).toBe('jsapi');
    expect(scene(UA.cloudpay, 'unionpay')).toBe('jsapi');
    expect(scene(UA.wechat, 'wechat', { jsapiChannels: new Set(['alipay']) })).toBe('qr');
    expect(scene(UA.wechat, 'wechat', { jsapiChannels: undefined })).toBe('jsapi');
  });

  it('in Alipay without the payer’s buyer id: the hand-over link, which Alipay opens itself', () => {
    expect(scene(UA.alipay, 'alipay')).toBe('h5');
    expect(scene(UA.alipay, 'alipay', { h5Channels: new Set() })).toBe('qr');
  });

  it('inside another wallet’s app: a QR (they do not open each other’s links)', () => {
    expect(scene(UA.wechat, 'alipay')).toBe('qr');
    expect(scene(UA.wechat, 'ecny')).toBe('qr');
    expect(scene(UA.alipay, 'wechat')).toBe('qr');
    expect(scene(UA.cloudpay, 'alipay')).toBe('qr');
  });

  it('hands over to the app from a mobile browser only where the channel can', () => {
    expect(scene(UA.iPhoneSafari, 'alipay')).toBe('h5');
    expect(scene(UA.iPhoneSafari, 'ecny')).toBe('h5');
    expect(scene(UA.androidChrome, 'unionpay')).toBe('h5');
    expect(scene(UA.iPhoneSafari, 'wechat')).toBe('qr');
    expect(scene(UA.iPhoneSafari, 'alipay', { h5Channels: undefined })).toBe('qr');
  });

  it('falls back to a QR for scenes this build cannot carry out', () => {
    expect(scene(UA.wechat, 'wechat', { implemented: qrOnly })).toBe('qr');
    expect(scene(UA.desktopChrome, 'wechat', { override: 'h5', implemented: qrOnly })).toBe('qr');
  });

  it('lets the integrator’s scene attribute win', () => {
    expect(scene(UA.wechat, 'wechat', { override: 'qr' })).toBe('qr');
    expect(scene(UA.desktopChrome, 'alipay', { override: 'jsapi' })).toBe('jsapi');
    expect(scene(UA.desktopChrome, 'alipay', { override: 'h5' })).toBe('h5');
  });
});
