import { expect } from 'vitest';
import type { ErrorCode } from '../../errors/codes.js';

/** What toThrow expects of a refusal: the platform's error, with this code (not some library's Error). */
export function refusedWith(code: ErrorCode): unknown {
  return expect.objectContaining({ name: 'RempartError', code });
}
