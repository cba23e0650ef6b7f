/**
 * Transactions: `withTransaction` for callers holding a Database, and `runInTransaction` for repository
 * functions that need several statements to be atomic whether or not the caller already opened one.
 */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "./database.ts";
import type { DB } from "./schema.ts";

/** What every repository function takes: the database or a transaction on it. */
export type StoreDb = Kysely<DB> | Transaction<DB>;

/** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
export function withTransaction<T>(database: Database, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return database.db.transaction().execute(fn);
}

/** Runs `fn` inside the caller's transaction, or in a new one when `db` is not a transaction. */
export function runInTransaction<T>(db: StoreDb, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}
