import { serve, servePreflight } from '../../../../../src/next/route';

export const dynamic = 'force-dynamic';
export const GET = serve('orderEvents');
export const OPTIONS = servePreflight('GET');
