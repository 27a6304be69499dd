// Loads exercises/<slug>/ from disk and validates every file; an error names the file and field.
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { PublicExercise } from '../../../common/exercise.ts';
import { EXPLAIN_CHARS, HINT_CHARS, MAX_HINTS } from '../../../common/practice.ts';
import type { Exercise, ExerciseCatalog, TestCase } from './types.ts';

export class ExerciseError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ExerciseError';
  }
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_TEXT_BYTES = 256 * 1024;
const MAX_CASES = 200;

const metadataSchema = z.strictObject({
  title: z.string().trim().min(1).max(100),
  /** One line for the catalogue. */
  summary: z.string().trim().min(1).max(160),
  minutes: z.number().int().min(5).max(180),
  difficulty: z.enum(['easy', 'medium', 'hard']),
  tags: z.array(z.string().trim().min(1).max(40)).max(10),
  default: z.boolean().optional(),
  /** Practice: revealed one at a time on request during an attempt. */
  hints: z.array(z.string().trim().min(1).max(HINT_CHARS)).max(MAX_HINTS).optional(),
});

const caseSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  visible: z.boolean(),
  /** What the case tests, in one line, shown to a student after submitting: never its input. */
  explain: z.string().trim().min(1).max(EXPLAIN_CHARS).optional(),
  // An array is a list of lines: joined with newlines, plus a final newline.
  input: z.union([z.string().max(64 * 1024), z.array(z.string().max(4096)).max(4096)]),
});

const casesSchema = z.strictObject({
  cases: z.array(caseSchema).min(1).max(MAX_CASES),
});

/** The interviewer's guide (GUIDE.md) has these sections, each as a level-2 heading. */
export const GUIDE_SECTIONS = ['What to watch for', 'Follow-up questions', 'Common mistakes'] as const;

/** Checks GUIDE.md: every section present and not empty. Mentor-only: never part of the public exercise. */
function checkGuide(file: string, text: string): string {
  if (!text.trim()) throw new ExerciseError(file, 'the guide is empty');
  const headings = [...text.matchAll(/^## +(.+?)\s*$/gm)].map((m) => ({ title: m[1]!, at: m.index! }));
  for (const section of GUIDE_SECTIONS) {
    const i = headings.findIndex((x) => x.title.toLowerCase() === section.toLowerCase());
    if (i < 0) throw new ExerciseError(file, `missing the section "## ${section}"`);
    const body = text.slice(headings[i]!.at, headings[i + 1]?.at ?? text.length).split('\n').slice(1).join('\n');
    if (!body.trim()) throw new ExerciseError(file, `the section "## ${section}" is empty`);
  }
  return text;
}

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`).join('; ');
}

async function readText(dir: string, relative: string): Promise<string> {
  const file = path.join(dir, relative);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ExerciseError(file, 'missing or unreadable');
  }
  if (Buffer.byteLength(text) > MAX_TEXT_BYTES) throw new ExerciseError(file, `larger than ${MAX_TEXT_BYTES} bytes`);
  return text;
}

/** A file the folder may leave out: null when it is absent. */
async function readOptionalText(dir: string, relative: string): Promise<string | null> {
  try {
    await stat(path.join(dir, relative));
  } catch {
    return null;
  }
  return readText(dir, relative);
}

async function readJson<T>(dir: string, relative: string, schema: z.ZodType<T>): Promise<T> {
  const file = path.join(dir, relative);
  let data: unknown;
  try {
    data = JSON.parse(await readText(dir, relative));
  } catch (error) {
    if (error instanceof ExerciseError) throw error;
    throw new ExerciseError(file, `invalid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ExerciseError(file, describe(parsed.error));
  return parsed.data;
}

/** Files with `extension` in `dir/sub`, by name; empty when the folder is absent. */
async function readFolder(dir: string, sub: string, extension: string): Promise<Record<string, string>> {
  const folder = path.join(dir, sub);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return {};
  }
  const files: Record<string, string> = {};
  for (const name of names.sort()) {
    if (!name.endsWith(extension)) continue;
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new ExerciseError(path.join(folder, name), 'file names may use letters, digits, _ . - only');
    files[name] = await readText(folder, name);
  }
  return files;
}

async function readGuide(dir: string): Promise<string | null> {
  const text = await readOptionalText(dir, 'GUIDE.md');
  return text === null ? null : checkGuide(path.join(dir, 'GUIDE.md'), text);
}

export async function loadExercise(dir: string): Promise<Exercise> {
  const slug = path.basename(dir);
  if (!SLUG.test(slug)) throw new ExerciseError(dir, 'the folder name must be a lowercase slug like "ring-buffer"');
  const metadata = await readJson(dir, 'exercise.json', metadataSchema);
  const casesFile = path.join(dir, 'tests', 'cases.json');
  const { cases: rawCases } = await readJson(dir, path.join('tests', 'cases.json'), casesSchema);
  const seen = new Set<string>();
  const cases: TestCase[] = rawCases.map((raw, index) => {
    if (seen.has(raw.name)) throw new ExerciseError(casesFile, `cases.${index}.name: "${raw.name}" is used twice`);
    seen.add(raw.name);
    const input = typeof raw.input === 'string' ? raw.input : raw.input.map((line) => `${line}\n`).join('');
    const c: TestCase = { name: raw.name, visible: raw.visible, input };
    if (raw.explain !== undefined) c.explain = raw.explain;
    return c;
  });
  if (!cases.some((c) => c.visible)) throw new ExerciseError(casesFile, 'cases: at least one case must be visible');
  if (!cases.some((c) => !c.visible)) throw new ExerciseError(casesFile, 'cases: at least one case must be hidden');
  const exercise: Exercise = {
    slug,
    dir,
    title: metadata.title,
    summary: metadata.summary,
    minutes: metadata.minutes,
    difficulty: metadata.difficulty,
    tags: metadata.tags,
    isDefault: metadata.default ?? false,
    hints: metadata.hints ?? [],
    statement: await readText(dir, 'README.md'),
    starter: await readText(dir, 'starter.c'),
    scratch: await readOptionalText(dir, 'scratch.c'),
    solution: await readText(dir, 'solution.c'),
    guide: await readGuide(dir),
    headers: await readFolder(dir, 'include', '.h'),
    driver: await readText(dir, path.join('tests', 'driver.c')),
    cases,
    wrong: await readFolder(dir, 'wrong', '.c'),
  };
  if (!exercise.statement.trim()) throw new ExerciseError(path.join(dir, 'README.md'), 'the statement is empty');
  return exercise;
}

export async function loadExercises(root: string): Promise<ExerciseCatalog> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch {
    throw new ExerciseError(root, 'exercises folder not found');
  }
  const exercises: Exercise[] = [];
  for (const entry of entries.sort()) {
    const dir = path.join(root, entry);
    if ((await stat(dir)).isDirectory()) exercises.push(await loadExercise(dir));
  }
  if (exercises.length === 0) throw new ExerciseError(root, 'no exercises found');
  const defaults = exercises.filter((e) => e.isDefault);
  if (defaults.length !== 1) {
    throw new ExerciseError(root, `exactly one exercise must have "default": true in exercise.json (found ${defaults.length})`);
  }
  const bySlug = new Map(exercises.map((e) => [e.slug, e]));
  return { list: () => exercises, get: (slug) => bySlug.get(slug), defaultExercise: defaults[0]! };
}

/** What a session may send to any browser: never the reference solution, the guide or hidden inputs. */
export function toPublicExercise(exercise: Exercise): PublicExercise {
  return {
    slug: exercise.slug,
    title: exercise.title,
    summary: exercise.summary,
    minutes: exercise.minutes,
    difficulty: exercise.difficulty,
    tags: exercise.tags,
    isDefault: exercise.isDefault,
    statement: exercise.statement,
    starter: exercise.starter,
    headers: exercise.headers,
    hints: exercise.hints.length,
    visibleCases: exercise.cases.filter((c) => c.visible).length,
    hiddenCases: exercise.cases.filter((c) => !c.visible).length,
  };
}

export const EXERCISES_DIR = path.resolve(import.meta.dirname, '../../../exercises');
