// Where tests find things. TEST_EXERCISES_DIR points the tests at another exercises folder (e.g. a
// copy of the committed ones while new exercises are being written in the work tree).
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const TEST_EXERCISES_DIR = process.env['TEST_EXERCISES_DIR'] ?? path.join(ROOT, 'exercises');
