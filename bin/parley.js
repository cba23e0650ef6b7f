#!/usr/bin/env node
// The `parley` command: loads tsx so the TypeScript CLI runs without a build step, then hands over.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
await main();
