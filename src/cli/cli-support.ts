/**
 * What every CLI command shares: where it writes, how it fails (a message and an exit code, never a
 * stack trace for a user mistake), and loading the config and the migrated store.
 */
import { type Config, ConfigError, loadConfig } from "../server/config.ts";
import { type Database, type MigrationReport, migrateToLatest, openDatabase } from "../store/index.ts";

/** The process around a command; tests pass their own. */
export interface CliIo {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
}

/** A failure the user can act on: printed as is, then the process exits with `exitCode`. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** Exit code for a command line Parley does not understand (unknown command, bad flag). */
export const USAGE_EXIT_CODE = 2;

/** Parses the configuration, turning every problem into one CliError the user can fix in one go. */
export function loadCliConfig(io: CliIo): Config {
  try {
    return loadConfig(io.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const lines = error.problems.map((problem) => `  - ${problem.variable}: ${problem.message}`);
    throw new CliError(
      [
        `Parley cannot start: ${error.problems.length} configuration problem(s).`,
        ...lines,
        "Every variable is described in docs/configuration.md.",
      ].join("\n"),
    );
  }
}

/** Opens the configured database (SQLite file or PostgreSQL). */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  const { dataDir, database } = config.store;
  return openDatabase({ dataDir, ...(database.kind === "postgres" ? { url: database.url } : {}) });
}

/** Brings the database to the latest schema; throws a CliError naming a failed migration. */
export async function migrateOrFail(database: Database): Promise<MigrationReport[]> {
  const reports = await migrateToLatest(database.db);
  const failed = reports.find((report) => report.status === "failed");
  if (failed) throw new CliError(`Migration ${failed.name} failed: ${failed.error ?? "unknown error"}`);
  return reports;
}

/** Runs `use` on the migrated database and closes it afterwards, whatever happens. */
export async function withMigratedDatabase<T>(
  config: Config,
  use: (database: Database) => Promise<T>,
): Promise<T> {
  const database = await openConfiguredDatabase(config);
  try {
    await migrateOrFail(database);
    return await use(database);
  } finally {
    await database.close();
  }
}
