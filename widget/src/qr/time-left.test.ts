import { describe, expect, it } from 'vitest';
import { formatTimeLeft, isTimeLeftMilestone } from './time-left.js';

describe('formatTimeLeft', () => {
  it('rounds up to whole seconds so 00:00 means over', () => {
    expect(formatTimeLeft(300_000)).toBe('05:00');
    expect(formatTimeLeft(299_001)).toBe('05:00');
    expect(formatTimeLeft(59_999)).toBe('01:00');
    expect(formatTimeLeft(1)).toBe('00:01');
    expect(formatTimeLeft(0)).toBe('00:00');
    expect(formatTimeLeft(-5)).toBe('00:00');
    expect(formatTimeLeft(3_723_000)).toBe('1:02:03');
  });
});

describe('isTimeLeftMilestone', () => {
  it('announces each whole minute, then 30 s and 10 s, never every second', () => {
    const spoken = Array.from({ length: 300 }, (_, i) => 300 - i).filter(isTimeLeftMilestone);
    expect(spoken).toEqual([300, 240, 180, 120, 60, 30, 10]);
    expect(isTimeLeftMilestone(0)).toBe(false);
  });
});
