/**
 * Keyset pagination, newest first, on (time, id): a page is "rows strictly before the last
 * row of the previous page". Rows inserted meanwhile are newer than any cursor, so they never
 * shift a later page: nothing is skipped or repeated while orders keep arriving (an OFFSET
 * would do both).
 *
 * The condition is written `t <= T AND (t < T OR id < ID)`: its first half bounds an index
 * range scan on (t, id) on both SQLite and PostgreSQL; the second only filters ties.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

export interface Keyset {
  /** epoch ms of the last row of the previous page */
  at: number;
  id: string;
}

export interface Page<T> {
  rows: T[];
  /** where the next page starts; undefined on the last page */
  next: Keyset | undefined;
}

export function before<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  timeColumn: string,
  idColumn: string,
  k: Keyset,
): Expression<SqlBool> {
  const e = eb as unknown as ExpressionBuilder<Record<string, Record<string, unknown>>, string>;
  return e.and([e(timeColumn, '<=', k.at), e.or([e(timeColumn, '<', k.at), e(idColumn, '<', k.id)])]);
}

/** Fetch limit + 1 rows; the extra one only says whether there is a next page. */
export function pageOf<T>(rows: T[], limit: number, key: (row: T) => Keyset): Page<T> {
  if (rows.length <= limit) return { rows, next: undefined };
  const page = rows.slice(0, limit);
  return { rows: page, next: key(page[page.length - 1] as T) };
}
