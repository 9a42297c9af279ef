// `<pay-scan action="/cashier/api/scan">`: the till's own endpoint; its server holds the API key.
import { tillBackend } from '../../../../src/cashier/backend';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  return (await tillBackend()).scanEndpoint.GET(req);
}

export async function POST(req: Request): Promise<Response> {
  return (await tillBackend()).scanEndpoint.POST(req);
}
