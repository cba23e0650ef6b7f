#!/usr/bin/env node
// The `parley` command: compiles the server into dist/server when a source changed (a quick check
// otherwise), then runs the compiled CLI. NODE_OPTIONS=--enable-source-maps maps stack traces to src/.
import { ensureServerBuild } from "../scripts/build-server.mjs";

await ensureServerBuild();
const { main } = await import("../dist/server/main.js");
await main();
