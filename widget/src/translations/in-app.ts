/**
 * Texts of the in-app side (bridges/), in its lazily loaded chunk: all three languages
 * together are smaller than one more chunk per language. translations.test.ts checks that
 * every language has every text.
 */
import type { Lang } from './index.js';

const zhCN = {
  /** on the way to WeChat for the payer's openid */
  redirecting: '正在前往微信授权…',
  /** the wallet's payment sheet is open */
  paying: (app: string) => `请在${app}中完成支付`,
  /** a link hands the payment over to the wallet app */
  handoff: (app: string) => `点击按钮前往${app}付款，完成后返回此页面`,
  open: (app: string) => `打开${app}付款`,
  /** on a phone, a code the payer cannot scan with the phone it is on */
  saveAndScan: (app: string) => `长按保存二维码，在${app}中扫一扫`,
  /** inside another wallet's app, which will not open this channel */
  openInBrowser: (app: string) => `请点击右上角「···」在浏览器中打开，再用${app}付款`,
};

export type InAppTranslation = { [K in keyof typeof zhCN]: (typeof zhCN)[K] extends string ? string : (typeof zhCN)[K] };

export const inAppTranslations: Record<Lang, InAppTranslation> = {
  'zh-CN': zhCN,
  'zh-TW': {
    redirecting: '正在前往微信授權…',
    paying: (app) => `請在${app}中完成付款`,
    handoff: (app) => `點擊按鈕前往${app}付款，完成後返回此頁面`,
    open: (app) => `開啟${app}付款`,
    saveAndScan: (app) => `長按儲存付款碼，在${app}中掃一掃`,
    openInBrowser: (app) => `請點右上角「···」以瀏覽器開啟，再用${app}付款`,
  },
  en: {
    redirecting: 'Signing in with WeChat…',
    paying: (app) => `Complete the payment in ${app}`,
    handoff: (app) => `Tap the button to pay in ${app}, then come back to this page`,
    open: (app) => `Pay in ${app}`,
    saveAndScan: (app) => `Save the code and scan it in ${app}`,
    openInBrowser: (app) => `Open this page in your browser (··· at the top right) to pay with ${app}`,
  },
};
