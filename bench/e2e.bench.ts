/**
 * `npm run bench:e2e -- --contacts 200 --seconds 20 [--rate 1000] [--warmup 5] [--concurrency 16]`:
 * Parley as a user runs it (`npm start`, embedded SQLite, temp data dir) with the 3-turn flow, driven
 * over loopback by bench/load-generator.ts with signed webhooks; the fake Graph API in the generator
 * times each turn (webhook POST sent → the reply that ends the turn received). Prints one JSON line.
 * Set PARLEY_BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") to profile the server,
 * PARLEY_BENCH_GENERATOR_NODE_ARGS likewise for the load generator.
 */
import { DEFAULT_WARMUP_SECONDS, runE2eLoad } from "../test/support/e2e-load.ts";

function option(name: string): number | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : undefined;
}

const contacts = option("contacts") ?? 200;
const seconds = option("seconds") ?? 20;
const rate = option("rate");
const concurrency = option("concurrency");
const nodeArgs = process.env.PARLEY_BENCH_NODE_ARGS?.split(" ").filter(Boolean);
const generatorNodeArgs = process.env.PARLEY_BENCH_GENERATOR_NODE_ARGS?.split(" ").filter(Boolean);

const result = await runE2eLoad({
  contacts,
  seconds,
  warmupSeconds: option("warmup") ?? DEFAULT_WARMUP_SECONDS,
  ...(rate === undefined ? {} : { rate }),
  env: concurrency === undefined ? {} : { WORKER_CONCURRENCY: String(concurrency) },
  ...(nodeArgs?.length ? { nodeArgs } : {}),
  ...(generatorNodeArgs?.length ? { generatorNodeArgs } : {}),
});
console.log(
  JSON.stringify({
    bench: "e2e",
    store: "sqlite",
    ...result,
    targets: { closed_turns_per_s: 2000, open_ack_p99_ms: 20, rss_mb: 300 },
  }),
);
