import { serve } from '../../../src/next/route';

export const dynamic = 'force-dynamic';
export const GET = serve('sandbox');
export const POST = serve('sandbox');
export const DELETE = serve('sandbox');
