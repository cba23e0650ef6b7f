/**
 * `node --import tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--skip 5] [--top 40]`: sums a V8
 * CPU profile (node --cpu-prof) into self time per function and package and inclusive time per
 * package and file, so two runs can be compared without DevTools. `--skip` leaves out the first seconds.
 * Frames in the compiled server (dist/server) count for the src/ files they came from.
 */
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file] = process.argv
  .slice(2)
  .filter((arg, index, all) => !arg.startsWith("--") && !all[index - 1]?.startsWith("--"));
if (!file) throw new Error("usage: cpu-profile-summary.ts <file.cpuprofile> [--skip seconds] [--top n]");
const skipSeconds = numberOption("skip") ?? 0;
const top = numberOption("top") ?? 40;

const profile: CpuProfile = JSON.parse(readFileSync(file, "utf8"));
const sourceMaps = new Map<string, SourceMap | undefined>();
for (const node of profile.nodes) mapToSource(node.callFrame);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

const selfByNode = new Map<number, number>();
let clock = profile.startTime;
let total = 0;
const from = profile.startTime + skipSeconds * 1e6;
profile.samples.forEach((id, index) => {
  const delta = profile.timeDeltas[index] ?? 0;
  clock += delta;
  if (clock < from) return;
  selfByNode.set(id, (selfByNode.get(id) ?? 0) + delta);
  total += delta;
});

const selfByFunction = new Map<string, number>();
const selfByPackage = new Map<string, number>();
const inclusiveByPackage = new Map<string, number>();
const inclusiveByFile = new Map<string, number>();
for (const [id, micros] of selfByNode) {
  const node = byId.get(id);
  if (!node) continue;
  add(selfByFunction, describeFunction(node), micros);
  add(selfByPackage, packageOf(node), micros);
  const files = new Set<string>();
  const packages = new Set<string>();
  for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
    const frame = byId.get(current);
    if (!frame) break;
    files.add(fileOf(frame));
    packages.add(packageOf(frame));
  }
  for (const name of files) add(inclusiveByFile, name, micros);
  for (const name of packages) add(inclusiveByPackage, name, micros);
}

console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled after the first ${skipSeconds} s`);
print("self time by function", selfByFunction, top);
print("self time by package", selfByPackage, 25);
print("inclusive time by package", inclusiveByPackage, 30);
print("inclusive time by file", inclusiveByFile, top);

/** Points a frame of a compiled file with a source map beside it (dist/server/*.js) at its source. */
function mapToSource(frame: CallFrame): void {
  if (!frame.url.startsWith("file:") || frame.url.includes("/node_modules/") || frame.lineNumber < 0) return;
  if (!sourceMaps.has(frame.url)) sourceMaps.set(frame.url, readSourceMap(frame.url));
  const entry = sourceMaps.get(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
  if (!entry || !("originalSource" in entry)) return;
  frame.url = new URL(entry.originalSource, frame.url).href;
  frame.lineNumber = entry.originalLine;
}

function readSourceMap(url: string): SourceMap | undefined {
  const path = `${fileURLToPath(url)}.map`;
  return existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, "utf8"))) : undefined;
}

function numberOption(name: string): number | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : undefined;
}

function add(totals: Map<string, number>, key: string, micros: number): void {
  totals.set(key, (totals.get(key) ?? 0) + micros);
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\/.*?\/node_modules\//, "npm:")
    .replace(/^file:\/\/.*?\/(src|test|bench)\//, "$1/");
}

function describeFunction(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || "(anonymous)"} ${shortUrl(url)}:${lineNumber + 1}`;
}

/** The file, or for V8's own entries ("(garbage collector)", "(idle)") the entry's name. */
function fileOf(node: ProfileNode): string {
  return shortUrl(node.callFrame.url) || `(${node.callFrame.functionName})`;
}

/** npm:<package>, node:<module>, or the first two path segments of the project's own files. */
function packageOf(node: ProfileNode): string {
  const name = fileOf(node);
  if (name.startsWith("npm:")) {
    const parts = name.slice(4).split("/");
    return `npm:${parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  if (name.startsWith("node:") || name.startsWith("(")) return name;
  return name.split("/").slice(0, 2).join("/");
}

function print(title: string, totals: Map<string, number>, count: number): void {
  console.log(`\n== ${title}`);
  const rows = [...totals].sort((a, b) => b[1] - a[1]).slice(0, count);
  for (const [name, micros] of rows) {
    const percent = ((100 * micros) / total).toFixed(1).padStart(5);
    console.log(`${percent}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  }
}
