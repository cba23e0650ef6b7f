/**
 * Opens the one database Parley runs on: a SQLite file in the data directory (embedded mode) or a
 * PostgreSQL pool when the URL says so (scale-out mode). Both behind the same Kysely<DB>.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { registerSqliteConnection } from "./prepared-query.ts";
import type { DB } from "./schema.ts";
import { startCheckpointer } from "./sqlite-checkpointer.ts";

export type DialectName = "sqlite" | "postgres";

export interface Database {
  db: Kysely<DB>;
  dialect: DialectName;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `postgres://…` / `postgresql://…` for PostgreSQL, `:memory:` for a throwaway SQLite; else the file. */
  url?: string;
  /** Where `parley.db` lives in embedded mode (created when missing). */
  dataDir: string;
  /** PostgreSQL schema to work in (created when missing); set as the pool's search_path. */
  schema?: string;
  poolSize?: number;
  /**
   * SQLite file: checkpoint the WAL on a worker thread (sqlite-checkpointer.ts). For long-running
   * writers (the server); a one-shot command does not need the thread.
   */
  backgroundCheckpoints?: boolean;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Opens SQLite or PostgreSQL according to `options.url`. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const url = options.url ?? "";
  if (isPostgresUrl(url)) return openPostgres(url, options);
  const file = url === ":memory:" ? ":memory:" : join(options.dataDir, "parley.db");
  return openSqlite(file, options.dataDir, options.backgroundCheckpoints === true && file !== ":memory:");
}

/** True for URLs that select PostgreSQL. */
export function isPostgresUrl(url: string): boolean {
  return url.startsWith("postgres://") || url.startsWith("postgresql://");
}

function openSqlite(file: string, dataDir: string, backgroundCheckpoints: boolean): Database {
  if (file !== ":memory:") mkdirSync(dataDir, { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  // 16 MB of page cache holds the hot indexes (the partial ones stay small however much history
  // accumulates); a larger cache or memory-mapped reads only added resident memory (-65 MB in
  // bench:runtime at the same throughput).
  sqlite.pragma("cache_size = -16384");
  sqlite.pragma("mmap_size = 0");
  sqlite.pragma("temp_store = MEMORY");
  // Checkpoint every ~40 MB of WAL instead of ~4 MB: hot pages rewritten many times between
  // checkpoints are copied once, which made commits markedly cheaper in bench:runtime.
  sqlite.pragma("wal_autocheckpoint = 10000");
  const connection = withStatementCache(sqlite);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: connection }) });
  registerSqliteConnection(db, connection);
  // A failed background checkpoint needs no report: the autocheckpoint above still bounds the log.
  const checkpointer = backgroundCheckpoints ? startCheckpointer(file) : null;
  return {
    db,
    dialect: "sqlite",
    async close() {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/**
 * Kysely prepares every query anew; the hot path runs the same few dozen statements thousands of
 * times a second, so reuse them (bounded, oldest evicted first).
 */
function withStatementCache(sqlite: SqliteDatabase.Database, capacity = 500) {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(query: string) {
      let statement = statements.get(query);
      if (!statement) {
        statement = sqlite.prepare(query);
        statements.set(query, statement);
        if (statements.size > capacity) {
          const oldest = statements.keys().next().value;
          if (oldest !== undefined) statements.delete(oldest);
        }
      }
      return statement;
    },
  };
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const schema = options.schema;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  if (schema !== undefined) await createSchema(url, schema);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // int8 (bigint timestamps, bigserial ids, count(*)) as JS numbers: ms timestamps fit in 2^53.
    types: { getTypeParser: (oid, format) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) },
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", close: () => db.destroy() };
}

async function createSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema if not exists "${schema}"`);
  } finally {
    await client.end();
  }
}
