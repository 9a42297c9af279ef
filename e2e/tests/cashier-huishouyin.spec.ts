/**
 * Every sandbox outcome at the demo till with 汇收银 (huishouyin) taking the scans: its own cashier
 * server routes `wechat:micropay=huishouyin;alipay:micropay=huishouyin` (fixtures/cashier.ts). The
 * same tests as cashier.spec.ts's umf-sp run; this file exists so the two providers' servers run
 * in two workers side by side (`pnpm --filter @payqr/e2e test -- tests/cashier` runs both).
 */
import { cashierOutcomeTests, test } from '../fixtures/cashier';

test.use({ cashierProvider: 'huishouyin' });
cashierOutcomeTests('huishouyin');
