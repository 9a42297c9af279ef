import { serve } from '../../../../src/next/route';

export const dynamic = 'force-dynamic';
export const GET = serve('consoleSession');
export const POST = serve('consoleSignIn');
export const DELETE = serve('consoleSignOut');
