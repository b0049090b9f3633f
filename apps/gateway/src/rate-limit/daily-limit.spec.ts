import { utcDay } from './daily-limit';

describe('utcDay', () => {
  it.each([
    ['2026-11-25T00:00:00.000Z', '2026-11-25', 86_400],
    ['2026-11-25T23:59:59.001Z', '2026-11-25', 1],
    ['2026-11-25T12:00:00.000Z', '2026-11-25', 43_200],
    ['2026-12-31T23:00:00.000Z', '2026-12-31', 3_600],
  ])('%s is day %s with %i s left', (at, day, secondsLeft) => {
    expect(utcDay(Date.parse(at))).toEqual({ day, secondsLeft });
  });
});
