/**
 * Examples printed in 汇收银's document (docs/providers/huishouyin.md), verbatim as JSON text, for
 * tests. (Its 异常响应事例
 * `{ code:2000, … }` has unquoted keys, i.e. is not JSON; it is not reproduced here.)
 */

/** 请求事例 (its `sign` is a placeholder, not a signature of these fields) */
export const SEED_PAY_REQUEST = `{
    "app_id": "bT2CAkZUgoOr36BnZhuC1aTvXgxhvmhF",
    "sign": "L4XYdVQWe0DROIQBxxtrYKWawTIrXofe",
    "sign_type": "MD5",
    "order_id": "2017102100151091",
    "pay_code": "5CDJVuPZ89l8hANqsJiU8zWDQ9rUATmg",
    "total_amount": 11.00,
    "store_info": {
        "store_id": "L4XYdVQWe0DROIQBxxtrYKWawTIrXofe",
        "cashier_id": "5CDJVuPZ89l8hANqsJiU8zWDQ9rUATmg",
        "waiter1_id": "HUpLsX7XQWFH3iktwFFMmi1GNdKH7Ef3",
        "waiter2_id": "L4XYdVQWe0DROIQBxxtrYKWawTIrXofe",
        "terminal_id": "bT2CAkZUgoOr36BnZhuC1aTvXgxhvmhF"
    },
    "goods_list": [
        {
            "barcode": "6983748939221",
            "title": "可口可乐300ml",
            "num": 2,
            "price": 3.00
        }
    ]
}`;

/** 响应事例 */
export const SEED_PAY_RESPONSE = `{
    "code":1000,
    "msg":"支付成功",
    "data":{
        "trade_no":"2017102100151091",
        "order_id":"2017102100151091",
        "pay_type":1,
        "order_status":1,
        "total_amount":11.0,
        "payable_amount":10.0,
        "real_amount":9.0,
        "voucher_list":[{
                "id": "2015102600073002039000002D5O",
                "name": "XX超市5折优惠",
                "type": "1",
                "amount": 10,
                "merchant_contribute": 9,
                "other_contribute": 1,
                "purchase_ant_contribute": 0.82
        }]
    }
}`;
