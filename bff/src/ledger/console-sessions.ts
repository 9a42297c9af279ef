/**
 * Console sign-ins. The cookie carries the session id, signed (operator/console-auth); the
 * ledger keeps only the id's SHA-256, so reading this table never yields a usable cookie, and
 * signing out revokes the session on every instance.
 */
import type { LedgerContext } from './context';
import type { ConsoleSessionRow } from './schema';

export class ConsoleSessionRepository {
  constructor(private readonly c: LedgerContext) {}

  async create(s: { idHash: string; name: string | null; expiresAt: number; ip: string | null; userAgent: string | null }): Promise<ConsoleSessionRow> {
    return this.c.db
      .insertInto('console_sessions')
      .values({
        id: s.idHash,
        name: s.name,
        created_at: this.c.clock.now(),
        expires_at: s.expiresAt,
        revoked_at: null,
        ip: s.ip?.slice(0, 64) ?? null,
        user_agent: s.userAgent?.slice(0, 256) ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** The session, if it exists, is not revoked and has not expired. */
  active(idHash: string): Promise<ConsoleSessionRow | undefined> {
    return this.c.db
      .selectFrom('console_sessions')
      .selectAll()
      .where('id', '=', idHash)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', this.c.clock.now())
      .executeTakeFirst();
  }

  /** Sign-out: true when this call revoked it. */
  async revoke(idHash: string): Promise<boolean> {
    const r = await this.c.db
      .updateTable('console_sessions')
      .set({ revoked_at: this.c.clock.now() })
      .where('id', '=', idHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
