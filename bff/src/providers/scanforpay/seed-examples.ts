/**
 * The examples of scanforpay's document ("订单创建" 请求示例 / 成功响应示例 / 失败响应示例;
 * docs/providers/scanforpay.md), kept in one place
 * for tests. The seed's JSON has small slips — a trailing comma after `qrcodeImageL` and a
 * missing comma after `"code": 30` — so each example exists twice: `*_VERBATIM` exactly as the
 * seed prints it (not JSON; we must refuse it), and the corrected text (only those commas
 * changed). The signatures are the seed's; its key is not published, so they cannot be checked.
 */

export const SEED_REQUEST = `{
    "request": {
        "header": {
            "requestTime": "2018-07-25T17:53:52+08:00",
            "partnerNo": "10001",
            "signType": "SHA256",
            "version": "1.0",
            "reqMsgId": "615c1195-0cd0-421c-b612-538bf03eabc7"
        },
        "body": {
            "storeNo": "100010000000002",
            "partnerOrderNo": "p20180725175352983070",
            "wallet": "Alipay",
            "orderAmount": 2000,
            "orderTitle": "Consume",
            "operatorId": "211918"
        }
    },
    "signature": "d02a1a795d3878d4cea551f55091bcf9fb05efcfda289e7bc781e2ceefa8a931"
}`;

export const SEED_SUCCESS_RESPONSE_VERBATIM = `{
    "response": {
        "header": {
            "partnerNo": "10001",
            "respTime": "2018-07-25T17:54:11+08:00",
            "signType": "SHA256",
            "version": "1.0",
            "reqMsgId": "a47ceb57-9c1c-4190-88ec-30ae1e413d89"
        },
        "body": {
            "code": 1,
            "msg": "success",
            "orderNo": "2018072517535241",
            "partnerOrderNo": "p20180725175352983070",
            "qrcode": "https://qr.alipay.com/bax01968y4zlr8n4usrb40b7",
            "qrcodeImageS": "https://mobilecodec.alipay.com/show.htm?code=bax01968y4zlr8n4usrb40b7&picSize=S",
            "qrcodeImageM": "https://mobilecodec.alipay.com/show.htm?code=bax01968y4zlr8n4usrb40b7&picSize=M",
            "qrcodeImageL": "https://mobilecodec.alipay.com/show.htm?code=bax01968y4zlr8n4usrb40b7&picSize=L",
        }
    },
    "signature": "a90a7457b39304645bf6eb18383e60d96c23361d238f319c6b6d5511c7044432"
}`;

/** The trailing comma after `qrcodeImageL` removed. */
export const SEED_SUCCESS_RESPONSE = SEED_SUCCESS_RESPONSE_VERBATIM.replace('picSize=L",\n', 'picSize=L"\n');

export const SEED_FAILURE_RESPONSE_VERBATIM = `{
    "response": {
        "header": {
            "partnerNo": "10001",
            "respTime": "2018-07-25T17:37:14+08:00",
            "signType": "SHA256",
            "version": "1.0",
            "reqMsgId": "c11fe1c7-069b-4399-be00-31830a5de63d"
        },
        "body": {
            "code": 30
            "msg": "订单不存在",
        }
    },
    "signature": "5719065ecea463366cbf39b728b9b8cba940365c0c053dd96effde57f7edc1f8"
}`;

/** The missing comma after `"code": 30` added, the trailing one after `msg` removed. */
export const SEED_FAILURE_RESPONSE = SEED_FAILURE_RESPONSE_VERBATIM.replace('"code": 30\n', '"code": 30,\n').replace('"订单不存在",\n', '"订单不存在"\n');
