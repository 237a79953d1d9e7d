// The real clock and a CSPRNG (node:crypto) for the Random port: both runtimes use these.
import { randomBytes } from 'node:crypto';
import type { Clock, Random } from '../../core/ports.ts';

export const systemClock: Clock = { now: () => new Date() };

export const cryptoRandom: Random = { bytes: (length) => new Uint8Array(randomBytes(length)) };
