import { serve } from '../../../../../src/next/route';

export const dynamic = 'force-dynamic';
export const POST = serve('redeliverEvent');
