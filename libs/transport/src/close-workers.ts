import { Worker } from 'bullmq';

/** How long a forced close may take before the sockets are simply dropped (Redis unreachable). */
const FORCED_CLOSE_MS = 1_000;

function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    promise.then(
      () => (clearTimeout(timer), resolve(true)),
      () => (clearTimeout(timer), resolve(true)),
    );
  });
}

/**
 * SIGTERM for hand-built BullMQ workers, bounded whatever Redis does: stop taking jobs and let the
 * in-flight ones finish for up to `graceMs`; then close without waiting for them (their locks lapse and
 * another worker takes them again); and if even that hangs — with Redis unreachable, BullMQ's close
 * waits on commands that can never be answered — drop the connections. The process exits 0 either way,
 * well before a supervisor's kill.
 */
export async function closeWorkers(workers: Worker[], graceMs: number, onGraceExpired: () => void): Promise<void> {
  if (await within(Promise.all(workers.map((w) => w.close())), graceMs)) return;
  onGraceExpired();
  if (await within(Promise.all(workers.map((w) => w.close(true))), FORCED_CLOSE_MS)) return;
  await within(Promise.all(workers.map((w) => w.disconnect())), FORCED_CLOSE_MS);
}
