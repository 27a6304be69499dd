// The rules for a name, as zod fields shared by session creation (POST /api/sessions) and import
// (POST /api/import): counted and worded by common/text-limits.ts, cleaned as views.cleanName
// stores names (no control or bidi characters), never cut.
import { z } from 'zod';
import { textProblem } from '../../../common/text-limits.ts';
import { cleanName } from './views.ts';

/** A name as typed: required, not only spaces, at most `max` characters; the message names the field. */
export const nameField = (label: string, max: number) =>
  z.string({ message: `${label} must be a string.` }).superRefine((s, ctx) => {
    const problem = textProblem(label, s, max);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** nameField, then cleaned as the server stores names; refused when nothing is left. */
export const cleanNameField = (label: string, max: number) =>
  nameField(label, max).transform((s, ctx) => {
    const cleaned = cleanName(s, max);
    if (cleaned === '') {
      ctx.addIssue({ code: 'custom', message: `${label} is empty.` });
      return z.NEVER;
    }
    return cleaned;
  });
