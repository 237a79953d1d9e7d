// Problem code -> localized sentence. Pure, so it is unit tested for every code in both languages.
import type { Messages, ProblemKey } from './i18n.ts';
import type { Problem } from './types.ts';

export function isKnownProblem(m: Messages, code: string): code is ProblemKey {
  return Object.hasOwn(m.problems, code);
}

export function problemMessage(
  m: Messages,
  problem: Pick<Problem, 'code' | 'attemptsLeft'>,
  nowSecondsLeft?: number,
): string {
  const base = isKnownProblem(m, problem.code) ? m.problems[problem.code] : m.problems.UNKNOWN;
  const extras: string[] = [];
  if (problem.code === 'OTP_INVALID' && typeof problem.attemptsLeft === 'number') {
    extras.push(m.attemptsLeft(Math.max(0, problem.attemptsLeft)));
  }
  if (problem.code === 'OTP_THROTTLED' && nowSecondsLeft !== undefined && nowSecondsLeft > 0) {
    extras.push(m.retryIn(nowSecondsLeft));
  }
  return [base, ...extras].join(' ');
}

/**
 * Seconds until `resendAfter`. The API gives an ISO instant; a small number is read as a delay in
 * seconds so a server that sends `30` still gets a sensible countdown.
 */
export function secondsUntil(resendAfter: string | number | undefined, nowMs: number): number | undefined {
  if (resendAfter === undefined || resendAfter === null || resendAfter === '') return undefined;
  let targetMs: number;
  if (typeof resendAfter === 'number' || /^\d+(\.\d+)?$/.test(resendAfter)) {
    const n = Number(resendAfter);
    targetMs = n < 1e11 ? nowMs + n * 1000 : n;
  } else {
    targetMs = Date.parse(resendAfter);
  }
  if (!Number.isFinite(targetMs)) return undefined;
  return Math.max(0, Math.ceil((targetMs - nowMs) / 1000));
}
