// The comparison board (issue 21): every interview of one exercise side by side, and the pairs of
// ended ones whose final code is similar. Similarity is context for a conversation, never proof.
import type { Criterion } from './review.ts';

/**
 * A row's state as the mentor sorts interviews: not started yet, in progress, over, or put away
 * (archived, whatever state it was in). The board's status filter takes one of these or 'all'.
 */
export const BOARD_STATUSES = ['waiting', 'live', 'ended', 'archived'] as const;
export type BoardStatus = (typeof BOARD_STATUSES)[number];

export interface BoardRow {
  sessionId: string;
  candidate: string;
  /** When the interview started (createdAt when it never did). */
  date: number;
  /** Names of the mentors who joined the room. */
  interviewers: string[];
  status: BoardStatus;
  /** Over (archived or not): its final code is compared and can be opened side by side. */
  ended: boolean;
  /** The final grading; null when it is missing (imported without one). */
  visiblePassed: number | null;
  visibleTotal: number | null;
  hiddenPassed: number | null;
  hiddenTotal: number | null;
  /** From the start to the first run that passed every visible case; null if none did. */
  firstVisiblePassMs: number | null;
  /** From the start to the end. */
  timeUsedMs: number | null;
  /** Runs the room requested (the final grading not counted). */
  runs: number;
  compileErrors: number;
  /** Case results with a fault (crash, UB, timeout...) across all runs. */
  faults: number;
  pastes: number;
  /** Pastes over the size that flags them. */
  flaggedPastes: number;
  focusLost: number;
  awayMs: number;
  overall: number | null;
  criteria: Record<Criterion, number | null>;
}

export interface SimilarPair {
  a: string;
  b: string;
  /** 0..1: shared fingerprints / the smaller submission's (server/src/similarity/compare.ts). */
  score: number;
}

export interface BoardData {
  exercise: { slug: string; title: string };
  threshold: number;
  rows: BoardRow[];
  /** Pairs of ended interviews at or above the threshold, highest first. */
  similar: SimilarPair[];
  /** Every interviewer of the exercise's interviews, sorted, whatever the filters (for the filter's choices). */
  interviewers: string[];
}

export interface LineRange {
  start: number;
  end: number;
}

export interface BoardComparison {
  a: { row: BoardRow; source: string };
  b: { row: BoardRow; source: string };
  score: number;
  /** Matching stretches: lines of A and the lines of B they match. */
  regions: { a: LineRange; b: LineRange }[];
}

/** Columns the board sorts by and the CSV holds, in order. */
export const BOARD_COLUMNS = [
  'candidate',
  'date',
  'interviewers',
  'status',
  'visiblePassed',
  'visibleTotal',
  'hiddenPassed',
  'hiddenTotal',
  'firstVisiblePassMs',
  'timeUsedMs',
  'runs',
  'compileErrors',
  'faults',
  'pastes',
  'flaggedPastes',
  'focusLost',
  'awayMs',
  'overall',
  'correctness',
  'fluency',
  'debugging',
  'communication',
] as const;
export type BoardColumn = (typeof BOARD_COLUMNS)[number];

/** The value of a column in a row, for sorting and CSV. */
export function cell(row: BoardRow, column: BoardColumn): string | number | null {
  switch (column) {
    case 'interviewers':
      return row.interviewers.join('; ');
    case 'correctness':
    case 'fluency':
    case 'debugging':
    case 'communication':
      return row.criteria[column];
    default:
      return row[column];
  }
}

/** One CSV field per RFC 4180: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV: one header row, CRLF line ends; dates as ISO 8601. */
export function boardCsv(rows: BoardRow[]): string {
  const lines = [BOARD_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(BOARD_COLUMNS.map((c) => csvField(c === 'date' ? new Date(row.date).toISOString() : cell(row, c))).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** Parses RFC 4180 CSV into rows of fields (for tests and for anyone re-importing the export). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (row.push(field), (field = ''));
    else if (ch === '\r' && text[i + 1] === '\n') {
      (row.push(field), rows.push(row), (row = []), (field = ''), i++);
    } else field += ch;
  }
  if (field !== '' || row.length > 0) (row.push(field), rows.push(row));
  return rows;
}
