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
    let finished = 0;
    let started = 0;
    const task = new PeriodicTask('slow work', new RecordingLogger(), 1, async () => {
      started++;
      await sleep(50);
      finished++;
    });
    task.start(0);
    while (started === 0) await sleep(1);
    await task.stop();
    expect(finished).toBe(1);
    await sleep(30);
    expect(started).toBe(1);
  });
});
