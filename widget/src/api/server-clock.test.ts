import { describe, expect, it } from 'vitest';
import { createServerClock } from './server-clock.js';

describe('createServerClock', () => {
  it('is the local clock until the server has spoken', () => {
    let local = 1_000_000;
    const clock = createServerClock(() => local);
    expect(clock.now()).toBe(1_000_000);
    clock.observe(null, local);
    clock.observe('not a date', local);
    expect(clock.now()).toBe(1_000_000);
  });

  it('corrects a local clock that runs 3 minutes fast', () => {
    const server = Date.UTC(2026, 0, 1, 12, 0, 0);
    let local = server + 180_000;
    const clock = createServerClock(() => local);
    clock.observe(new Date(server).toUTCString(), local);
    // `Date` has whole seconds: the estimate sits half a second after the stamp.
    expect(clock.now()).toBe(server + 500);
    local += 10_000;
    expect(clock.now()).toBe(server + 10_500);
  });

  it('ignores the Date header’s one-second jitter, follows a real jump', () => {
    const server = Date.UTC(2026, 0, 1, 12, 0, 0);
    let local = server;
    const clock = createServerClock(() => local);
    clock.observe(new Date(server).toUTCString(), local);
    local += 900; // same second on the server: the sample moves by 0.9 s, inside the noise
    clock.observe(new Date(server).toUTCString(), local);
    expect(clock.now()).toBe(server + 500 + 900);
    clock.observe(new Date(server - 60_000).toUTCString(), local); // server clock stepped back a minute
    expect(clock.now()).toBe(server - 60_000 + 500);
  });
});
