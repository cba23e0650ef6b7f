/**
 * The few places where SQLite and PostgreSQL need different SQL ask this module which one they run on,
 * so repositories can take any Kysely<DB> or Transaction<DB> without carrying the dialect around.
 */
import { type Kysely, PostgresAdapter } from "kysely";
import type { DialectName } from "./database.ts";

/** The dialect behind a Kysely instance or transaction. */
export function dialectOf(db: Pick<Kysely<unknown>, "getExecutor">): DialectName {
  // getExecutor() is marked internal but is stable across 0.2x; it is the only handle on the adapter.
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}
