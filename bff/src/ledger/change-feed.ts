/**
 * "Something about order X changed": wakes long-polls and SSE streams. In one process an
 * EventEmitter is enough; with PostgreSQL and several instances, changes are also announced
 * with NOTIFY (sent by the committing transaction) and every instance LISTENs.
 */
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { Logger } from '../core/log';

export const PG_CHANNEL = 'payqr_orders';

export interface ChangeFeed {
  /** announce locally (remote instances learn through NOTIFY in the transaction) */
  publish(orderId: string): void;
  subscribe(orderId: string, listener: () => void): () => void;
  /** resolves on the next change of the order, after `timeoutMs`, or on abort */
  next(orderId: string, timeoutMs: number, signal?: AbortSignal): Promise<'changed' | 'timeout' | 'aborted'>;
  close(): Promise<void>;
}

export function createChangeFeed(opts: { pgPool?: pg.Pool | undefined; log: Logger }): ChangeFeed {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let listenClient: pg.PoolClient | undefined;
  let closed = false;

  if (opts.pgPool) {
    const pool = opts.pgPool;
    const connect = async () => {
      try {
        const client = await pool.connect();
        if (closed) return client.release();
        listenClient = client;
        client.on('notification', (msg) => {
          if (msg.channel === PG_CHANNEL && msg.payload) emitter.emit(msg.payload);
        });
        client.on('error', (err) => {
          opts.log.warn('LISTEN connection lost; reconnecting', { error: String(err) });
          listenClient = undefined;
          client.release(true);
          if (!closed) setTimeout(connect, 1000).unref();
        });
        await client.query(`LISTEN ${PG_CHANNEL}`);
      } catch (err) {
        opts.log.warn('LISTEN failed; long-polls fall back to re-reading', { error: String(err) });
        if (!closed) setTimeout(connect, 2000).unref();
      }
    };
    void connect();
  }

  return {
    publish(orderId) {
      emitter.emit(orderId);
    },
    subscribe(orderId, listener) {
      emitter.on(orderId, listener);
      return () => emitter.off(orderId, listener);
    },
    next(orderId, timeoutMs, signal) {
      return new Promise((resolve) => {
        if (signal?.aborted) return resolve('aborted');
        const done = (r: 'changed' | 'timeout' | 'aborted') => {
          clearTimeout(timer);
          emitter.off(orderId, onChange);
          signal?.removeEventListener('abort', onAbort);
          resolve(r);
        };
        const onChange = () => done('changed');
        const onAbort = () => done('aborted');
        const timer = setTimeout(() => done('timeout'), Math.max(0, timeoutMs));
        emitter.on(orderId, onChange);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    async close() {
      closed = true;
      emitter.removeAllListeners();
      if (listenClient) {
        const c = listenClient;
        listenClient = undefined;
        try {
          await c.query(`UNLISTEN ${PG_CHANNEL}`);
        } catch {
          /* closing anyway */
        }
        c.release();
      }
    },
  };
}
