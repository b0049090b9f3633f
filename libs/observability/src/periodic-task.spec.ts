import { Logger } from '@nestjs/common';
import { PeriodicTask } from './periodic-task';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class RecordingLogger extends Logger {
  readonly warnings: string[] = [];
  override warn(message: string): void {
    this.warnings.push(message);
  }
}

describe('PeriodicTask', () => {
  it('runs again after a failed run, and says what failed', async () => {
    const logger = new RecordingLogger();
    let runs = 0;
    const task = new PeriodicTask('the sweep', logger, 10, async () => {
      runs++;
      if (runs === 1) throw new Error('database away');
    });
    task.start(0);
    while (runs < 3) await sleep(5);
    await task.stop();
    expect(logger.warnings[0]).toBe('the sweep failed: database away');
  });

  it('waits on stop for the run in progress, and schedules nothing after it', async () => {
    jest.useFakeTimers();
    try {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started = 0;
      let finished = 0;
      const task = new PeriodicTask('slow work', new RecordingLogger(), 1, async () => {
        started++;
        await gate;
        finished++;
      });
      task.start(0);
      await jest.advanceTimersByTimeAsync(0);
      expect(started).toBe(1);
      const stopped = task.stop();
      release();
      await stopped;
      expect(finished).toBe(1);
      // The proof that nothing comes after stop(): no timer is pending, so no later run can start.
      expect(jest.getTimerCount()).toBe(0);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(started).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
