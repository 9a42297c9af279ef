/** Countdown text and its spoken milestones; part of the lazily loaded `qr/` chunk. */

/** Time left, rounded up to whole seconds so "00:00" means it is over: 299_400 ms → "05:00". */
export function formatTimeLeft(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  const hours = Math.floor(total / 3600);
  const rest = `${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return hours ? `${hours}:${rest}` : rest;
}

/**
 * Screen readers hear the countdown only at milestones: each whole minute, then 30 s and
 * 10 s before the end. Every second would drown everything else out.
 */
export function isTimeLeftMilestone(secondsLeft: number): boolean {
  return secondsLeft > 0 && (secondsLeft % 60 === 0 || secondsLeft === 30 || secondsLeft === 10);
}
