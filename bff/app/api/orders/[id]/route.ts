import { serve, servePreflight } from '../../../../src/next/route';

export const dynamic = 'force-dynamic';
export const GET = serve('getOrder');
export const OPTIONS = servePreflight('GET');
