/**
 * `parley migrate`: brings the configured database to the latest schema and prints what happened to
 * each migration. `parley start` does the same on its own; this is for deploy scripts.
 */
import { migrateToLatest } from "../store/index.ts";
import { type CliIo, loadCliConfig, openConfiguredDatabase } from "./cli-support.ts";

/** Prints one line per migration; resolves to the exit code (1 when one failed). */
export async function runMigrate(io: CliIo): Promise<number> {
  const config = loadCliConfig(io);
  const where =
    config.store.database.kind === "sqlite" ? config.store.database.path : "the PostgreSQL database";
  const database = await openConfiguredDatabase(config);
  try {
    io.out(`Migrating ${where}`);
    const reports = await migrateToLatest(database.db);
    const width = Math.max(...reports.map((report) => report.name.length), 0);
    for (const report of reports) {
      const detail = report.error ? `: ${report.error}` : "";
      io.out(`  ${report.name.padEnd(width)}  ${report.status}${detail}`);
    }
    const failed = reports.filter((report) => report.status === "failed").length;
    const applied = reports.filter((report) => report.status === "applied").length;
    if (failed > 0) {
      io.err(`${failed} migration(s) failed or did not run; fix the error above and run it again.`);
      return 1;
    }
    io.out(applied === 0 ? "The database is up to date." : `Applied ${applied} migration(s).`);
    return 0;
  } finally {
    await database.close();
  }
}
