import { describe, expect, it } from 'vitest';
import { RecentWindow } from './recent-window.js';

describe('RecentWindow', () => {
  it('counts attempts and approvals of the window, and forgets older ones', () => {
    let now = 1_000_000;
    const window = new RecentWindow(60_000, () => now);
    expect(window.snapshot()).toEqual({ window_seconds: 60, attempts: 0, approved: 0, approval_rate: null });
    window.add(true);
    window.add(false);
    now += 30_000;
    window.add(true);
    expect(window.snapshot()).toMatchObject({ attempts: 3, approved: 2 });
    expect(window.snapshot().approval_rate).toBeCloseTo(2 / 3);
    now += 45_000; // the first two are now older than a minute
    expect(window.snapshot()).toMatchObject({ attempts: 1, approved: 1, approval_rate: 1 });
    now += 60_000;
    expect(window.snapshot()).toMatchObject({ attempts: 0, approval_rate: null });
  });
});
