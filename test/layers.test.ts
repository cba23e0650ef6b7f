/**
 * Enforces the dependency arrows of STYLE.md: `core ← engine ← {channels, store} ← runtime ← server ← cli`.
 * Each layer may import only the layers below it, so the engine stays pure and replayable, channels
 * stay testable against fake servers, and nothing below the server learns about HTTP.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../src");
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

interface LayerRule {
  /** Internal layers this layer may import. */
  layers: string[];
  /** npm packages it may import; "*" allows any. */
  packages: string[] | "*";
  /** Whether node built-ins (fs, net, crypto, ...) are allowed. */
  builtins: boolean;
  why: string;
}

const RULES: Record<string, LayerRule> = {
  core: {
    layers: ["core"],
    packages: ["zod"],
    builtins: false,
    why: "core holds the shared types and schemas every layer (and the browser) imports; it must stay dependency-free.",
  },
  engine: {
    layers: ["core", "engine"],
    packages: ["zod"],
    builtins: false,
    why: "the engine is a pure function: no I/O, no clock, no HTTP, no database, so every execution can be replayed from its log and tested with plain data.",
  },
  channels: {
    layers: ["core", "channels"],
    packages: "*",
    builtins: true,
    why: "channel adapters only verify, parse, render and send; they never touch the store or the engine.",
  },
  store: {
    layers: ["core", "store"],
    packages: "*",
    builtins: true,
    why: "the store persists data; it must not depend on the runtime, channels or HTTP layers above it.",
  },
  runtime: {
    layers: ["core", "engine", "channels", "store", "runtime"],
    packages: "*",
    builtins: true,
    why: "the runtime glues engine, store and channels; it must not import the HTTP server or the CLI.",
  },
  server: {
    layers: ["core", "engine", "channels", "store", "runtime", "server"],
    packages: "*",
    builtins: true,
    why: "the server sits on the runtime; only the CLI sits above it.",
  },
  cli: { layers: ["*"], packages: "*", builtins: true, why: "the CLI is the top layer." },
};

function listSourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listSourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".test.ts") ? [path] : [];
  });
}

function importsOf(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  for (const match of source.matchAll(pattern)) found.push((match[1] ?? match[2]) as string);
  return found;
}

function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
}

/** Violations of one source file, given its path relative to src/ and its text. */
function violationsOf(relPath: string, source: string): string[] {
  const violations: string[] = [];
  const layer = relPath.split("/")[0] as string;
  const rule = RULES[layer];
  if (!rule) return [`src/${relPath}: unknown layer "${layer}" — add it to STYLE.md and this test`];
  for (const specifier of importsOf(source)) {
    if (specifier.startsWith(".")) {
      const target = relative(SRC, resolve(SRC, dirname(relPath), specifier)).split("/")[0] as string;
      if (!rule.layers.includes("*") && !rule.layers.includes(target)) {
        violations.push(`src/${relPath} imports ${specifier} (layer "${target}"): ${rule.why}`);
      }
    } else if (builtins.has(specifier)) {
      if (!rule.builtins) violations.push(`src/${relPath} imports ${specifier}: ${rule.why}`);
    } else if (rule.packages !== "*" && !rule.packages.includes(packageName(specifier))) {
      violations.push(`src/${relPath} imports the package ${specifier}: ${rule.why}`);
    }
  }
  return violations;
}

function findLayerViolations(): string[] {
  return listSourceFiles(SRC).flatMap((file) =>
    violationsOf(relative(SRC, file), readFileSync(file, "utf8")),
  );
}

describe("layer boundaries", () => {
  it("every import follows the arrows of STYLE.md", () => {
    expect(findLayerViolations()).toEqual([]);
  });

  it("flags an engine file that reaches for the store, node built-ins or other packages", () => {
    const source = [
      'import { z } from "zod";',
      'import type { FlowGraph } from "../core/flow.ts";',
      'import { db } from "../store/db.ts";',
      'import { readFileSync } from "node:fs";',
      'import Fastify from "fastify";',
    ].join("\n");
    const found = violationsOf("engine/bad-node.ts", source);
    expect(found).toHaveLength(3);
    expect(found[0]).toContain("the engine is a pure function");
    expect(found.join("\n")).toMatch(/store\/db\.ts[\s\S]*node:fs[\s\S]*fastify/);
  });

  it("the import scanner sees the imports it must judge", () => {
    expect(importsOf('import { z } from "zod";\nimport type { X } from "../store/db.ts";')).toEqual([
      "zod",
      "../store/db.ts",
    ]);
    expect(importsOf('const m = await import("node:fs");')).toEqual(["node:fs"]);
  });
});
