/**
 * Test helpers: a real HTTP server on 127.0.0.1 (random port) around a fetch-style handler,
 * so connectors talk to simulators over actual sockets (timeouts, aborts, encodings and all).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';

export interface LoopbackServer {
  /** e.g. http://127.0.0.1:53211 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts `handler` on 127.0.0.1:0. The handler is looked up per request, so it may refer to
 * things created after the server (e.g. a hub that needs the server's URL).
 */
export async function startLoopbackServer(handler: (req: Request) => Response | Promise<Response>): Promise<LoopbackServer> {
  const server = createAdaptorServer({
    fetch: (req: Request) => handler(req),
    hostname: '127.0.0.1',
    // keep the real global Request/Response: tests compare instances and headers
    overrideGlobalObjects: false,
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
