import { AppError } from '../errors.ts';
import type { FailureWindow } from './ports.ts';

/** Failed logins are counted per 15-minute window (the adapter keeps the window). */
export const FAILURE_WINDOW_SECONDS = 15 * 60;
/** From this many failures on one login name, answers are slowed down. */
export const SLOW_AFTER = 3;
/** At this many failures on one login name the name is refused until the window ends. */
export const REFUSE_LOGIN_AT = 10;
/** Per source address the bar is higher: many users can share one NAT. */
export const REFUSE_IP_AT = 100;
const MAX_DELAY_MS = 4000;

/** Throws 429 while refused; otherwise returns how long to hold the answer back. */
export function loginDelay(failures: { login: FailureWindow; ip: FailureWindow }, now: Date): number {
  const refused = [
    failures.login.count >= REFUSE_LOGIN_AT ? failures.login : undefined,
    failures.ip.count >= REFUSE_IP_AT ? failures.ip : undefined,
  ].filter((w): w is FailureWindow => w !== undefined);
  if (refused.length > 0) {
    const retryAfter = Math.max(1, Math.ceil((Math.max(...refused.map((w) => w.resetAt.getTime())) - now.getTime()) / 1000));
    throw new AppError('rate_limit_exceeded', `Too many failed login attempts; try again in ${retryAfter} seconds`, {
      details: { retry_after: retryAfter, reason: 'login_failures' },
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
  const over = failures.login.count - SLOW_AFTER + 1;
  return over > 0 ? Math.min(MAX_DELAY_MS, 250 * 2 ** (over - 1)) : 0;
}
