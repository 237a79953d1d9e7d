// The real clock and a CSPRNG for the Random port; both runtimes use them.
import { randomBytes } from 'node:crypto';
import type { Clock, Random } from '../../core/ports.ts';

export const systemClock: Clock = { now: () => new Date() };

export const cryptoRandom: Random = { bytes: (length) => new Uint8Array(randomBytes(length)) };
