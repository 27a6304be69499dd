// The length rule shared by the browser's inline messages and the server's refusals.
import { describe, expect, it } from 'vitest';
import { charCount, counterText, textProblem } from '../../../common/text-limits.ts';

describe('text limits', () => {
  it('counts code points, so an emoji or an accented letter is one character', () => {
    expect(charCount('🙂é')).toBe(2);
    expect('🙂'.length).toBe(2); // what maxlength and zod .max() would have counted
  });

  it('names the field, the limit and the length; ignores surrounding spaces', () => {
    expect(textProblem('The candidate name', '', 80)).toBe('The candidate name is required.');
    expect(textProblem('The candidate name', ' \n\t', 80)).toBe('The candidate name is required (only spaces were given).');
    expect(textProblem('A note', 'x'.repeat(4001), 4000)).toBe('A note must be at most 4,000 characters (it has 4,001).');
    expect(textProblem('A note', `  ${'x'.repeat(4000)}  `, 4000)).toBeNull();
    expect(textProblem('Your name', '🙂'.repeat(80), 80)).toBeNull();
    expect(textProblem('Your name', '🙂'.repeat(81), 80)).toBe('Your name must be at most 80 characters (it has 81).');
  });

  it('formats the counter with thousands separators', () => {
    expect(counterText('  abc ', 80)).toBe('3 / 80');
    expect(counterText('x'.repeat(4001), 4000)).toBe('4,001 / 4,000');
  });
});
