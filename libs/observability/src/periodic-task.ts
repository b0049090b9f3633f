import type { Logger } from '@nestjs/common';

/**
 * Background work on a timer (sweeps, retention): one run at a time, a failed run is logged and the
 * next one still comes, and stop() waits for a run in progress and schedules nothing after it.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly what: string,
    private readonly logger: Logger,
    private readonly everyMs: number,
    private readonly run: () => Promise<unknown>,
  ) {}

  start(firstAfterMs = this.everyMs): void {
    this.schedule(firstAfterMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(afterMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.run()
        .then(() => undefined)
        .catch((err: Error) => this.logger.warn(`${this.what} failed: ${err.message}`))
        .finally(() => this.schedule(this.everyMs));
    }, afterMs);
  }
}
