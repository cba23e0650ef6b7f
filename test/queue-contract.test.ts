/**
 * The WorkQueue contract, run on every implementation (in-process lanes; BullMQ on Redis): kicks
 * reach a drain, a kick during a drain is never lost, one contact's drains never overlap in a
 * process, delayed kicks wait, errors do not stop the queue; plus the shared rate limiter and bus.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { LiveEvent } from "../src/runtime/live-bus.ts";
import type { WorkHandlers } from "../src/runtime/work-queue.ts";
import { type QueueDeps, testQueues } from "./support/queues.ts";
import { eventually } from "./support/runtime-harness.ts";

const queues = await testQueues();

interface Recorder {
  handlers: WorkHandlers;
  drains: Array<{ lane: string; contactId: string; at: number }>;
  errors: unknown[];
  maxOverlap: Map<string, number>;
  maxParallel: number;
}

function record(work: (contactId: string) => Promise<void> = async () => sleep(5)): Recorder {
  const running = new Map<string, number>();
  let parallel = 0;
  const recorder: Recorder = {
    drains: [],
    errors: [],
    maxOverlap: new Map(),
    maxParallel: 0,
    handlers: {
      drainInbox: (contactId) => run("inbox", contactId),
      drainOutbox: (contactId) => run("outbox", contactId),
      onError: (_lane, _contactId, error) => recorder.errors.push(error),
    },
  };
  async function run(lane: string, contactId: string): Promise<void> {
    const key = `${lane}:${contactId}`;
    recorder.drains.push({ lane, contactId, at: Date.now() });
    running.set(key, (running.get(key) ?? 0) + 1);
    parallel += 1;
    recorder.maxOverlap.set(key, Math.max(recorder.maxOverlap.get(key) ?? 0, running.get(key) ?? 0));
    recorder.maxParallel = Math.max(recorder.maxParallel, parallel);
    try {
      await work(contactId);
    } finally {
      running.set(key, (running.get(key) ?? 1) - 1);
      parallel -= 1;
    }
  }
  return recorder;
}

describe.each(queues)("work queue on $name", (target) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function connect(options: { prefix?: string } = {}): Promise<QueueDeps & { prefix: string }> {
    const deps = await target.connect({ concurrency: 8, ...options });
    cleanups.push(async () => {
      await deps.queue.stop();
      await deps.cleanup();
    });
    return deps;
  }

  it("drains every kicked contact on its lane, coalescing kicks that wait", async () => {
    const { queue } = await connect();
    const recorder = record();
    await queue.start(recorder.handlers);
    for (let i = 0; i < 5; i += 1) queue.kickInbox("a");
    for (const contact of ["b", "c", "d"]) queue.kickOutbox(contact);
    await queue.idle();
    const inboxA = recorder.drains.filter((drain) => drain.lane === "inbox" && drain.contactId === "a");
    expect(inboxA.length).toBeGreaterThanOrEqual(1);
    expect(inboxA.length).toBeLessThanOrEqual(5);
    const outbox = recorder.drains.filter((drain) => drain.lane === "outbox").map((drain) => drain.contactId);
    expect(new Set(outbox)).toEqual(new Set(["b", "c", "d"]));
    expect(queue.depth).toBe(0);
  });

  it("never loses a kick that arrives while the contact is being drained", async () => {
    const { queue } = await connect();
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const recorder = record(async () => {
      calls += 1;
      if (calls === 1) await blocked;
    });
    await queue.start(recorder.handlers);
    queue.kickInbox("a");
    await eventually(() => recorder.drains.length === 1, 5000, "the first drain");
    const kickedAt = Date.now();
    queue.kickInbox("a");
    await sleep(50);
    release();
    await eventually(() => recorder.drains.length >= 2, 5000, "the drain after the kick");
    await queue.idle();
    expect(recorder.drains[1]?.at).toBeGreaterThanOrEqual(kickedAt);
  });

  it("never overlaps two drains of one contact in a process, while contacts run in parallel", async () => {
    const { queue } = await connect();
    const recorder = record(() => sleep(20));
    await queue.start(recorder.handlers);
    for (let round = 0; round < 4; round += 1) {
      for (const contact of ["a", "b", "c", "d"]) queue.kickInbox(contact);
      await sleep(7);
    }
    await queue.idle();
    expect(Math.max(...recorder.maxOverlap.values())).toBe(1);
    expect(recorder.maxParallel).toBeGreaterThan(1);
  });

  it("holds a delayed outbox kick back for its delay", async () => {
    const { queue } = await connect();
    const recorder = record();
    await queue.start(recorder.handlers);
    const kickedAt = Date.now();
    queue.kickOutbox("late", 300);
    await eventually(() => recorder.drains.length === 1, 5000, "the delayed drain");
    expect((recorder.drains[0]?.at ?? 0) - kickedAt).toBeGreaterThanOrEqual(250);
  });

  it("reports a failing drain and keeps draining other work", async () => {
    const { queue } = await connect();
    const recorder = record(async (contactId) => {
      if (contactId === "bad") throw new Error("boom");
    });
    await queue.start(recorder.handlers);
    queue.kickInbox("bad");
    queue.kickInbox("good");
    await queue.idle();
    expect(recorder.errors.map(String)).toEqual(["Error: boom"]);
    expect(recorder.drains.map((drain) => drain.contactId).sort()).toEqual(["bad", "good"]);
  });

  it("holds one channel's send rate across every limiter of the installation", async () => {
    const first = await connect();
    const second = target.distributed ? await connect({ prefix: first.prefix }) : first;
    const started = Date.now();
    // 40 sends at 20/s with a one-second burst allowance: the last waits about a second.
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? first : second).rateLimiter.take("channel-1", 20)),
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(850);
    expect(elapsed).toBeLessThan(3000);
    const pausedAt = Date.now();
    second.rateLimiter.pauseUntil("channel-2", pausedAt + 300);
    await sleep(20);
    await first.rateLimiter.take("channel-2", 1000);
    expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(250);
  });

  it("delivers a live event to the subscribers of every process", async () => {
    const first = await connect();
    const second = target.distributed ? await connect({ prefix: first.prefix }) : first;
    const heard: LiveEvent[] = [];
    const unsubscribe = second.bus.subscribe((event) => heard.push(event));
    const event: LiveEvent = {
      type: "inbound_message",
      organizationId: "org",
      contactId: "c",
      channelId: "ch",
      text: "hello",
      timestamp: new Date().toISOString(),
    };
    first.bus.publish(event);
    await eventually(() => heard.length === 1, 5000, "the live event");
    expect(heard).toEqual([event]);
    unsubscribe();
  });
});

describe.each(queues.filter((target) => target.distributed))("$name across processes", (target) => {
  it("lets a web (producer-only) process hand kicks to a worker process", async () => {
    const worker = await target.connect({ concurrency: 4 });
    const web = await target.connect({ prefix: worker.prefix });
    try {
      const recorder = record();
      await web.queue.start();
      await worker.queue.start(recorder.handlers);
      for (const contact of ["a", "b", "c"]) web.queue.kickInbox(contact);
      await web.queue.idle();
      await worker.queue.idle();
      expect(recorder.drains.map((drain) => drain.contactId).sort()).toEqual(["a", "b", "c"]);
    } finally {
      await web.queue.stop();
      await worker.queue.stop();
      await web.cleanup();
      await worker.cleanup();
    }
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
