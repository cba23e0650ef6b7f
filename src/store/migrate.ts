/**
 * Brings a database up to the latest schema with Kysely's Migrator and the in-code migrations, and
 * reports what happened to each migration.
 */
import { type Kysely, type MigrationProvider, Migrator, sql } from "kysely";
import { dialectOf } from "./dialect.ts";
import { MIGRATIONS } from "./migrations/index.ts";

export interface MigrationReport {
  name: string;
  status: "applied" | "already-applied" | "failed";
  error?: string;
}

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Applies every pending migration and returns one report per known migration; a failed migration is
 * reported (and rolled back), not thrown. Errors outside any migration (connection, lock) are thrown.
 */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<MigrationReport[]> {
  // Kysely looks for its bookkeeping tables across every schema it can see; pin it to ours, or a
  // leftover schema with the same tables makes it skip creating them here.
  const migrationTableSchema = dialectOf(db) === "postgres" ? await currentSchema(db) : undefined;
  const migrator = new Migrator({ db, provider, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined && !results.some((result) => result.status === "Error")) throw error;
  const touched = new Map(results.map((result) => [result.migrationName, result]));
  return Object.keys(MIGRATIONS).map((name): MigrationReport => {
    const result = touched.get(name);
    if (!result) return { name, status: "already-applied" };
    if (result.status === "Success") return { name, status: "applied" };
    const message = result.status === "Error" ? describe(error) : "not run: an earlier migration failed";
    return { name, status: "failed", error: message };
  });
}

async function currentSchema<T>(db: Kysely<T>): Promise<string | undefined> {
  const result = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return result.rows[0]?.schema ?? undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return error === undefined ? "unknown error" : String(error);
}
