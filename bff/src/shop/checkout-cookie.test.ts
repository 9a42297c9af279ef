import { describe, expect, it } from 'vitest';
import { checkoutCookieKey, checkoutCookieValue, readCheckoutCookie } from './checkout-cookie';

const key = checkoutCookieKey('sk_test_shop_0123456789abcdef');
const ORDER = 'ord_aaaaaaaaaaaaaaaaaaaaaaaa';
const SECRET = 'cs_0123456789ABCDEFabcdef0123456789';

describe('checkout cookie', () => {
  it('gives back the client secret for the order it was made for', () => {
    const value = checkoutCookieValue(key, ORDER, SECRET);
    expect(value).toMatch(/^cs_[A-Za-z0-9]+\.[A-Za-z0-9_-]{43}$/);
    expect(readCheckoutCookie(key, ORDER, value)).toBe(SECRET);
  });

  it('refuses another order, another shop key, a changed secret or MAC, and garbage', () => {
    const value = checkoutCookieValue(key, ORDER, SECRET);
    expect(readCheckoutCookie(key, 'ord_bbbbbbbbbbbbbbbbbbbbbbbb', value)).toBeUndefined();
    expect(readCheckoutCookie(checkoutCookieKey('sk_test_other_shop_000000000'), ORDER, value)).toBeUndefined();
    expect(readCheckoutCookie(key, ORDER, value.replace('cs_0', 'cs_1'))).toBeUndefined();
    expect(readCheckoutCookie(key, ORDER, `${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    // the bare secret (what the cookie held before) is not enough
    for (const bad of [undefined, '', SECRET, '.', `${SECRET}.`, `.${value.split('.')[1]}`]) expect(readCheckoutCookie(key, ORDER, bad)).toBeUndefined();
  });
});
