/**
 * The audit aggregate: every operator action — who, when, what, on what, before → after, and
 * the note they gave. Append-only: nothing here updates or deletes, and the database refuses
 * to (triggers, migration 0002). An action that changes something writes its entry in the
 * same transaction as the change (`appendAudit(trx, …)`), so neither exists without the other.
 */
import type { LedgerContext, Tx } from './context';
import { pageOf, type Keyset, type Page } from './keyset';
import type { ActorType, AuditRow } from './schema';

export interface Actor {
  type: ActorType;
  /** console: the name given at sign-in */
  name?: string | null;
  /** console: the first characters of the session id's hash */
  session?: string | null;
}

export interface NewAuditEntry {
  actor: Actor;
  action: string;
  targetType: 'order' | 'event' | 'notification' | 'console';
  targetId: string;
  orderId?: string | null | undefined;
  before?: unknown;
  after?: unknown;
  note?: string | null | undefined;
  requestId?: string | undefined;
}

export interface AuditFilter {
  orderId?: string | undefined;
  action?: string | undefined;
  targetId?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
  cursor?: Keyset | undefined;
}

export async function appendAudit(c: Pick<LedgerContext, 'clock'>, trx: Tx, entry: NewAuditEntry): Promise<AuditRow> {
  return trx
    .insertInto('audit_log')
    .values({
      at: c.clock.now(),
      actor_type: entry.actor.type,
      actor_name: entry.actor.name?.slice(0, 64) ?? null,
      actor_session: entry.actor.session?.slice(0, 16) ?? null,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      order_id: entry.orderId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
      note: entry.note?.slice(0, 1000) ?? null,
      request_id: entry.requestId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export class AuditRepository {
  constructor(private readonly c: LedgerContext) {}

  append(entry: NewAuditEntry): Promise<AuditRow> {
    return appendAudit(this.c, this.c.db, entry);
  }

  /** Newest first. */
  async page(f: AuditFilter): Promise<Page<AuditRow>> {
    let q = this.c.db.selectFrom('audit_log').selectAll();
    if (f.orderId) q = q.where('order_id', '=', f.orderId);
    if (f.action) q = q.where('action', '=', f.action);
    if (f.targetId) q = q.where('target_id', '=', f.targetId);
    if (f.from !== undefined) q = q.where('at', '>=', f.from);
    if (f.to !== undefined) q = q.where('at', '<', f.to);
    // the audit id is a number; compare it as one (the keyset carries it as text)
    if (f.cursor) {
      const k = f.cursor;
      q = q.where((eb) => eb.and([eb('at', '<=', k.at), eb.or([eb('at', '<', k.at), eb('id', '<', Number(k.id))])]));
    }
    const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit + 1).execute();
    return pageOf(rows.map(normalise), f.limit, (r) => ({ at: r.at, id: String(r.id) }));
  }

  /** An order's entries, oldest first (the timeline). */
  async forOrder(orderId: string, limit = 1000): Promise<AuditRow[]> {
    const rows = await this.c.db
      .selectFrom('audit_log')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('at', 'asc')
      .orderBy('id', 'asc')
      .limit(limit)
      .execute();
    return rows.map(normalise);
  }
}

/** PostgreSQL's bigint identity comes back as a number already (db.ts); SQLite's too. */
function normalise(r: AuditRow): AuditRow {
  return { ...r, id: Number(r.id) };
}

