/**
 * The `parley` command line: dispatches to one thin command per verb over the server's factories.
 * `npm start` runs `parley start`; see docs/cli.md.
 */
import { pathToFileURL } from "node:url";
import { CliError, type CliIo, USAGE_EXIT_CODE } from "./cli-support.ts";
import { runMigrate } from "./migrate.ts";
import { runStart } from "./start.ts";
import { runTelegramSetWebhook } from "./telegram.ts";
import { runUserCreate } from "./user-create.ts";

export const USAGE = `Usage: parley <command> [options]

Commands:
  start [--role all|web|worker]   migrate, then run the API, webhooks, runtime and web UI in one process
  migrate                         bring the database to the latest schema, printing each migration
  user create --email <e-mail> --password <password> --role <viewer|editor|admin|owner> [--org <id>]
                                  add a user to an organization (the first one by default)
  telegram set-webhook --channel <id>
                                  register this server's webhook URL (PARLEY_PUBLIC_URL) with Telegram
  help                            show this text

Configuration comes from the environment and ./.env; see docs/configuration.md.`;

/**
 * Runs one command line; resolves to the exit code, or to null when the command keeps running (start).
 * @example process.exitCode = (await runCli(["migrate"], io)) ?? undefined;
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number | null> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case "start":
        await runStart(args, io);
        return null;
      case "migrate":
        return await runMigrate(io);
      case "user":
        if (args[0] === "create") return await runUserCreate(args.slice(1), io);
        return usageError(`unknown user command: ${args[0] ?? "(none)"}`, io);
      case "telegram":
        if (args[0] === "set-webhook") return await runTelegramSetWebhook(args.slice(1), io);
        return usageError(`unknown telegram command: ${args[0] ?? "(none)"}`, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return 0;
      default:
        return usageError(`unknown command: ${command}`, io);
    }
  } catch (error) {
    if (error instanceof CliError) {
      io.err(error.message);
      if (error.exitCode === USAGE_EXIT_CODE) io.err("Run `parley help` for usage.");
      return error.exitCode;
    }
    io.err(`parley ${command}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}

function usageError(message: string, io: CliIo): number {
  io.err(`parley: ${message}\n`);
  io.err(USAGE);
  return USAGE_EXIT_CODE;
}

/** Runs the process's command line with the real environment, stdout and stderr (bin/parley.js calls this). */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const io: CliIo = {
    env: process.env,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  };
  const code = await runCli(argv, io);
  if (code !== null) process.exitCode = code;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
