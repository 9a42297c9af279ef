import { describe, expect, it } from 'vitest';
import { PayQrError } from '../../core/errors';
import { SANDBOX_AUTH_CODES } from '../../sandbox/micropay-outcomes';
import { paymentInputs, T0 } from '../testing/fixtures';
import { NotSupportedError, type CreatePaymentInput } from '../types';
import { JsonNumberText, parseExactJson } from '../../core/strict-json';
import { SEED_PAY_RESPONSE } from './seed-examples';
import { fromNotification, fromPayAnswer, statusFromAnswer, statusFromData, toOrderParams, toPayParams } from './transform';
import { readHuishouyinAnswer, type HuishouyinAnswer } from './wire';

const merchant = { appId: 'bT2CAkZUgoOr36BnZhuC1aTvXgxhvmhF' };
const input = paymentInputs({ scene: 'micropay', expiresAt: T0 + 60_000, notifyUrl: 'https://shop.example/api/notify/huishouyin', authCode: SANDBOX_AUTH_CODES.wechat.paid });
const answer = (text: string): HuishouyinAnswer => {
  const a = readHuishouyinAnswer(parseExactJson(text));
  if ('malformed' in a) throw new Error(a.malformed);
  return a;
};
const n = (t: string) => new JsonNumberText(t);

describe('toPayParams', () => {
  it('maps an attempt to pay/qrcode fields: yuan as an exact string, no notify field', () => {
    expect(toPayParams(input(), merchant)).toEqual({
      app_id: 'bT2CAkZUgoOr36BnZhuC1aTvXgxhvmhF',
      sign_type: 'MD5',
      order_id: 'PQ20261122A1',
      pay_code: '134567890123456700',
      total_amount: '19.99',
    });
    expect(toPayParams(input({ money: { amount: 1, currency: 'CNY' } }), merchant).total_amount).toBe('0.01');
    expect(toPayParams(input({ money: { amount: 1100, currency: 'CNY' } }), merchant).total_amount).toBe('11.00');
    expect(toPayParams(input({ money: { amount: 9_999_999_999_999, currency: 'CNY' } }), merchant).total_amount).toBe('99999999999.99');
    expect(toPayParams(input({ channel: 'alipay', authCode: ` ${SANDBOX_AUTH_CODES.alipay.paid} ` }), merchant).pay_code).toBe('280123456789012300');
  });

  it('sends store_info only with configured, non-empty members', () => {
    expect(toPayParams(input(), { ...merchant, storeInfo: { store_id: 'S1', terminal_id: '' } }).store_info).toEqual({ store_id: 'S1' });
    expect(toPayParams(input(), { ...merchant, storeInfo: { terminal_id: '' } })).not.toHaveProperty('store_info');
  });

  it.each<[string, Partial<CreatePaymentInput>, new (...a: never[]) => Error, RegExp]>([
    ['UnionPay', { channel: 'unionpay', authCode: SANDBOX_AUTH_CODES.unionpay.paid }, NotSupportedError, /unionpay/],
    ['the qr scene', { scene: 'qr' }, NotSupportedError, /qr scene/],
    ['e-CNY', { channel: 'ecny' }, NotSupportedError, /ecny/],
    ['USD', { money: { amount: 100, currency: 'USD' } }, NotSupportedError, /USD/],
    ['no authCode', { authCode: undefined }, PayQrError, /required/],
    ['a blank authCode', { authCode: '  ' }, PayQrError, /required/],
    ['an authCode with letters', { authCode: '13456789012345670A' }, PayQrError, /digits only/],
    ['an authCode of no wallet', { authCode: '991234567890123456' }, PayQrError, /matches no wallet/],
    ['an Alipay code on a WeChat attempt', { authCode: SANDBOX_AUTH_CODES.alipay.paid }, PayQrError, /alipay code, but the attempt is for wechat/],
    ['a 4-character order number', { outTradeNo: 'PQ12' }, PayQrError, /order_id/],
    ['an order number with a dash', { outTradeNo: 'PQ-2026-1' }, PayQrError, /order_id/],
    ['zero fen', { money: { amount: 0, currency: 'CNY' } }, PayQrError, /positive integer/],
    ['a fractional amount', { money: { amount: 19.5, currency: 'CNY' } }, PayQrError, /positive integer/],
  ])('refuses %s', (_name, over, error, message) => {
    expect(() => toPayParams(input(over), merchant)).toThrow(error);
    expect(() => toPayParams(input(over), merchant)).toThrow(message);
  });

  it('the invalid code error is invalid_auth_code (400)', () => {
    try {
      toPayParams(input({ authCode: '12' }), merchant);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ status: 400, code: 'invalid_auth_code' });
    }
  });

  it('builds the order reference of check / cancel / close', () => {
    expect(toOrderParams({ outTradeNo: 'PQ1234' }, merchant)).toEqual({ app_id: merchant.appId, sign_type: 'MD5', order_id: 'PQ1234' });
  });
});

describe('statusFromData', () => {
  it("reads the seed's answer: total 11.0 → 1100 fen matched; payable, real and the voucher recorded exactly", () => {
    const seed = answer(SEED_PAY_RESPONSE);
    expect(statusFromData(seed.data, '2017102100151091', seed)).toEqual({
      state: 'paid',
      outTradeNo: '2017102100151091',
      amount: 1100,
      currency: 'CNY',
      providerTradeNo: '2017102100151091',
      providerCode: 'order_status=1',
      providerMessage: '支付成功',
      extra: {
        totalAmount: 1100,
        payableAmount: 1000,
        realAmount: 900,
        payType: 'alipay',
        vouchers: [
          {
            id: '2015102600073002039000002D5O',
            name: 'XX超市5折优惠',
            type: '1',
            amount: 1000,
            merchantContribute: 900,
            otherContribute: 100,
            purchaseAntContribute: 82,
            raw: '{"id":"2015102600073002039000002D5O","name":"XX超市5折优惠","type":"1","amount":10,"merchant_contribute":9,"other_contribute":1,"purchase_ant_contribute":0.82}',
          },
        ],
      },
    });
  });

  it.each([
    ['1', 'paid'],
    ['2', 'refunded'],
    ['3', 'refunded'],
    ['4', 'closed'],
    ['5', 'closed'],
    ['0', 'pending'],
    ['-1', 'failed'],
    ['-2', 'paid'],
    ['-3', 'refunded'],
    ['-10', 'unknown'],
    ['7', 'unknown'],
  ])('order_status %s → %s (as a number and as a string)', (os, state) => {
    const base = { order_id: 'PQ1', total_amount: n('1.00') };
    expect(statusFromData({ ...base, order_status: n(os) }, 'PQ1').state).toBe(state);
    expect(statusFromData({ ...base, order_status: os }, 'PQ1').state).toBe(state);
  });

  it('pending carries the progress: 1002 → password entry, otherwise paying; real_amount 0 is recorded as 0', () => {
    const data = { order_status: n('0'), total_amount: n('19.99'), payable_amount: n('19.99'), real_amount: n('0') };
    expect(statusFromData(data, 'PQ1', { code: '1002' })).toMatchObject({ state: 'pending', progress: 'password_entry', extra: { realAmount: 0 } });
    expect(statusFromData(data, 'PQ1', { code: '1000' })).toMatchObject({ state: 'pending', progress: 'paying' });
    expect(statusFromData({ ...data, order_status: n('1') }, 'PQ1', { code: '1000' })).not.toHaveProperty('progress');
  });

  it('paid needs a readable total_amount', () => {
    for (const bad of [undefined, n('19.999'), 'abc', n('-1'), n('1e3'), null]) {
      const s = statusFromData({ order_status: n('1'), ...(bad !== undefined ? { total_amount: bad } : {}) }, 'PQ1');
      expect(s.state).toBe('unknown');
      expect(s.providerMessage).toMatch(/readable total_amount/);
      expect(s.amount).toBeUndefined();
    }
    expect(statusFromData({ order_status: n('1'), total_amount: '19.99' }, 'PQ1').amount).toBe(1999);
  });

  it('drops unreadable amounts from extra but keeps the voucher as received', () => {
    const s = statusFromData({ order_status: n('1'), total_amount: n('5.00'), payable_amount: 'x', real_amount: n('4.999'), voucher_list: [{ amount: n('0.001') }, 'odd'] }, 'PQ1');
    expect(s.extra).toEqual({ totalAmount: 500, vouchers: [{ raw: '{"amount":0.001}' }, { raw: '"odd"' }] });
  });
});

describe('statusFromAnswer (pay/check)', () => {
  const ref = { outTradeNo: 'PQ1' };
  const paid = '{"code":1000,"msg":"ok","data":{"order_id":"PQ1","order_status":1,"total_amount":19.99}}';
  it.each<[string, string, 'valid' | 'unsigned' | 'invalid', string]>([
    ['unsigned paid (channel-authenticated)', paid, 'unsigned', 'paid'],
    ['signed paid', paid, 'valid', 'paid'],
    ['paid with a wrong sign', paid, 'invalid', 'unknown'],
    ['another order', paid.replace('"PQ1"', '"PQ2"'), 'unsigned', 'unknown'],
    ['not found (assumed 4000)', '{"code":4000,"msg":"订单不存在","data":{}}', 'unsigned', 'not_found'],
    ['sign error', '{"code":2000,"msg":"签名错误","data":{}}', 'unsigned', 'unknown'],
    ['app_id error', '{"code":3000,"msg":"APPID错误","data":[]}', 'unsigned', 'unknown'],
    ['an unlisted code', '{"code":5000,"msg":"系统繁忙"}', 'unsigned', 'unknown'],
    ['1002 without data', '{"code":1002,"msg":"等待用户输入密码"}', 'unsigned', 'pending'],
    ['code as a string, status alias', '{"status":"1000","data":{"order_id":"PQ1","order_status":"-1"}}', 'unsigned', 'failed'],
    ['1000 without order_status', '{"code":1000,"data":{"order_id":"PQ1"}}', 'unsigned', 'unknown'],
  ])('%s → %s', (_n, text, sig, state) => {
    expect(statusFromAnswer(answer(text), sig, ref).state).toBe(state);
  });
});

describe('fromPayAnswer (pay/qrcode)', () => {
  const ctx = { outTradeNo: 'PQ1' };
  const data = (os: string, extra = '') => `{"order_id":"PQ1","order_status":${os},"total_amount":19.99,"payable_amount":19.99,"real_amount":0${extra}}`;
  it.each<[string, string, 'valid' | 'unsigned' | 'invalid', object]>([
    ['1000 + order_status 1 → paid', `{"code":1000,"msg":"支付成功","data":${data('1')}}`, 'unsigned', { outcome: 'paid', status: expect.objectContaining({ state: 'paid', amount: 1999 }) }],
    ['1000 + order_status 0 → unknown, paying', `{"code":1000,"msg":"支付中","data":${data('0')}}`, 'unsigned', { outcome: 'unknown', progress: 'paying' }],
    ['1002 → unknown, password entry', `{"code":1002,"msg":"等待用户输入密码","data":${data('0')}}`, 'unsigned', { outcome: 'unknown', progress: 'password_entry' }],
    ['1002 without data → unknown, password entry', '{"code":1002,"msg":"等待支付","data":{}}', 'unsigned', { outcome: 'unknown', progress: 'password_entry' }],
    ['order_status -1 → failed', `{"code":1000,"msg":"支付失败：余额不足","data":${data('-1')}}`, 'unsigned', { outcome: 'failed', code: 'order_status=-1', message: '支付失败：余额不足' }],
    ['order_status 4 → failed', `{"code":1000,"data":${data('4')}}`, 'unsigned', { outcome: 'failed', code: 'order_status=4' }],
    ['order_status 5 → failed', `{"code":1000,"data":${data('5')}}`, 'unsigned', { outcome: 'failed' }],
    ['order_status -10 → unknown', `{"code":1000,"msg":"交易结果未知","data":${data('-10')}}`, 'unsigned', { outcome: 'unknown' }],
    ['order_status 2 → unknown', `{"code":1000,"data":${data('2')}}`, 'unsigned', { outcome: 'unknown' }],
    ['an unlisted order_status → unknown', `{"code":1000,"data":${data('8')}}`, 'unsigned', { outcome: 'unknown', reason: expect.stringMatching(/unlisted order_status 8/) }],
    ['1003 → confirm', '{"code":1003,"msg":"订单已支付","data":{}}', 'unsigned', { outcome: 'already_paid', message: '订单已支付' }],
    ['2000 → failed', '{"code":2000,"msg":"签名错误","data":{}}', 'unsigned', { outcome: 'failed', code: '2000', message: '签名错误' }],
    ['3000 → failed', '{"code":3000,"msg":"APPID错误","data":{}}', 'unsigned', { outcome: 'failed', code: '3000' }],
    ['4001 (assumed) → unknown', '{"code":4001,"msg":"参数错误","data":{}}', 'unsigned', { outcome: 'unknown' }],
    ['an unlisted code → unknown', '{"code":9999,"msg":"系统繁忙"}', 'unsigned', { outcome: 'unknown', reason: 'code=9999 msg=系统繁忙' }],
    ['paid with a wrong sign → unknown', `{"code":1000,"data":${data('1')}}`, 'invalid', { outcome: 'unknown', reason: expect.stringMatching(/bad_signature/) }],
    ['a refusal with a wrong sign → unknown', '{"code":2000,"data":{}}', 'invalid', { outcome: 'unknown' }],
    ['paid for another order → unknown', `{"code":1000,"data":${data('1').replace('"PQ1"', '"PQ9"')}}`, 'unsigned', { outcome: 'unknown', reason: expect.stringMatching(/another order/) }],
    ['paid without total_amount → unknown', '{"code":1000,"data":{"order_id":"PQ1","order_status":1}}', 'unsigned', { outcome: 'unknown', reason: expect.stringMatching(/total_amount/) }],
  ])('%s', (_name, text, sig, expected) => {
    expect(fromPayAnswer(answer(text), sig, ctx)).toEqual(expect.objectContaining(expected));
  });
});

describe('readHuishouyinAnswer', () => {
  it.each([
    ['[]', /not a JSON object/],
    ['{"msg":"x"}', /no code/],
    ['{"code":"","msg":"x"}', /no code/],
    ['{"code":1000,"data":"x"}', /data is not an object/],
    ['{"code":1000,"data":[1]}', /data is not an object/],
  ])('refuses %s', (text, message) => {
    expect(readHuishouyinAnswer(parseExactJson(text))).toEqual({ malformed: expect.stringMatching(message) });
  });
  it('reads data null / [] as empty', () => {
    expect(answer('{"code":1000,"data":null}').data).toEqual({});
    expect(answer('{"code":1000,"data":[]}').data).toEqual({});
  });
});

describe('fromNotification (the unsigned webhook, read as a claim)', () => {
  const body = '{"app_id":"A1","trade_no":"T1","order_id":"PQ1","pay_type":0,"order_status":1,"total_amount":100.00,"payable_amount":99.00,"real_amount":98.50,"voucher_list":[]}';
  it('reads the flat JSON shape, the {code,msg,data} shape and a form', () => {
    const expected = { state: 'paid', outTradeNo: 'PQ1', amount: 10000, merchantId: 'A1', providerTradeNo: 'T1' };
    expect(fromNotification(body)).toEqual({ status: expect.objectContaining(expected) });
    expect(fromNotification(`{"code":1000,"msg":"ok","data":${body}}`)).toEqual({ status: expect.objectContaining(expected) });
    expect(fromNotification('app_id=A1&trade_no=T1&order_id=PQ1&order_status=1&total_amount=100.00')).toEqual({ status: expect.objectContaining(expected) });
    expect((fromNotification(body) as { status: { extra: unknown } }).status.extra).toEqual({ totalAmount: 10000, payableAmount: 9900, realAmount: 9850, payType: 'wechat' });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['{"order_id":', /not JSON/],
    ['[1]', /no order_id/],
    ['"x"', /no order_id/],
    ['{"order_status":1}', /no order_id/],
    ['{"order_id":""}', /no order_id/],
    [`{"order_id":"${'A'.repeat(129)}"}`, /longer than 128/],
    ['order_id=PQ1&order_id=PQ2', /more than once/],
  ])('refuses %j', (text, message) => {
    expect(fromNotification(text)).toEqual({ malformed: expect.stringMatching(message) });
  });

  it('an unlisted or missing order_status says unknown', () => {
    expect(fromNotification('{"order_id":"PQ1"}')).toEqual({ status: expect.objectContaining({ state: 'unknown', outTradeNo: 'PQ1' }) });
    expect(fromNotification('{"order_id":"PQ1","order_status":42}')).toEqual({ status: expect.objectContaining({ state: 'unknown' }) });
  });
});
