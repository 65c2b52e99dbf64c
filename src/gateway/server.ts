import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { Gateway } from './app.js';
import { drainFinished } from './context.js';

export interface RunningGateway {
  url: string;
  port: number;
  server: Server;
  /** Stops accepting, waits for open requests (up to `graceMs`), then runs `onClosed` (flush the recorder). */
  close(graceMs?: number): Promise<void>;
}

/** Starts the gateway on host:port (port 0 = any free port). Binds 127.0.0.1 unless told otherwise. */
export function startGateway(
  gateway: Gateway,
  options: { host?: string; port?: number; onClosed?: () => Promise<void> } = {},
): Promise<RunningGateway> {
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: gateway.app.fetch, hostname: host, port: options.port ?? 0 }) as Server;
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    server.once('error', reject);
    server.once('listening', () => {
      const { port } = server.address() as AddressInfo;
      const shown = host.includes(':') ? `[${host}]` : host;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${shown}:${port}`,
        port,
        server,
        close(graceMs = 10_000) {
          closing ??= new Promise<void>((done) => {
            const force = setTimeout(() => server.closeAllConnections(), graceMs);
            force.unref();
            server.close(() => {
              clearTimeout(force);
              done();
            });
            server.closeIdleConnections();
          }).then(() => {
            gateway.context.agents['http:'].destroy();
            gateway.context.agents['https:'].destroy();
            drainFinished();
            return options.onClosed?.();
          });
          return closing;
        },
      });
    });
  });
}
