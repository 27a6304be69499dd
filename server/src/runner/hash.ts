// The core's Hasher on Node: SHA-256 of a string, synchronously (crypto.subtle is async only).
import { createHash } from 'node:crypto';
import type { Hasher } from './core/ports.ts';

export const sha256Hex: Hasher = (text) => createHash('sha256').update(text).digest('hex');
