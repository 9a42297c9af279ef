/** Shared by the fixture generator and the golden tests. */
export const P12_PASSPHRASE = 'payqr-test';
/** A UMF-style canonical string (ASCII order, UTF-8 with Chinese text). */
export const GOLDEN_MESSAGE =
  'amount=1&goodsId=G001&merId=60000100&notifyUrl=https://shop.example/notify&orderDate=20260101&orderId=PQ2026010100001&subject=测试商品';
