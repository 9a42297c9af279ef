import { serve, servePreflight } from '../../../../../src/next/route';

export const dynamic = 'force-dynamic';
export const POST = serve('createAttempt');
export const OPTIONS = servePreflight('POST');
