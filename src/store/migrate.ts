/**
 * Brings a database up to the latest schema with Kysely's Migrator and the in-code migrations, and
 * reports what happened to each migration.
 */
import { type Kysely, type MigrationProvider, Migrator } from "kysely";
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
  const migrator = new Migrator({ db, provider });
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

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return error === undefined ? "unknown error" : String(error);
}
