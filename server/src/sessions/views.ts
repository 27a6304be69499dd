// What each role may see. Redaction happens here, once, so a hidden case can only reach a
// non-mentor if this file is wrong (and tests/unit/sessions/views.test.ts checks it).
import type { CaseResult, Fault } from '../../../common/exercise.ts';
import type { Mode } from '../../../common/policy.ts';
import type { Role, RunView, SessionLinks } from '../../../common/protocol.ts';
import type { RunRecord, TokenRecord } from '../store/types.ts';
import { unseal } from './tokens.ts';

/** Copies only the fields a visible case may carry, so nothing unexpected rides along. */
function copyCase(c: CaseResult, withDetail: boolean): CaseResult {
  const out: CaseResult = { name: c.name, visible: c.visible, status: c.status, timeMs: c.timeMs };
  if (c.fault) out.fault = { ...c.fault };
  if (withDetail && c.detail) out.detail = { ...c.detail };
  if (withDetail && c.stderr !== undefined) out.stderr = c.stderr;
  return out;
}

function faultsOf(cases: CaseResult[]): Fault[] {
  const seen = new Set<string>();
  const out: Fault[] = [];
  for (const c of cases) {
    if (!c.fault) continue;
    const key = `${c.fault.kind}:${c.fault.line ?? ''}:${c.fault.function ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...c.fault });
  }
  return out;
}

/** A hidden case as a student sees it after submitting: its name and status, nothing else. */
function nameAndStatus(c: CaseResult): CaseResult {
  return { name: c.name, visible: false, status: c.status, timeMs: c.timeMs };
}

/**
 * The run as `role` may see it. Mentors get every case; candidates and observers get the
 * visible cases only, plus how many hidden cases passed. A practice attempt's final grading also
 * names the hidden cases with their status (the student's result page), still without inputs.
 */
export function runView(run: RunRecord, role: Role, requestedBy: string, mode: Mode = 'interview'): RunView {
  const r = run.result;
  const hidden = r.cases.filter((c) => !c.visible);
  const reveal = role !== 'mentor' && mode === 'practice' && run.kind === 'final';
  const cases =
    role === 'mentor'
      ? r.cases.map((c) => copyCase(c, true))
      : r.cases.filter((c) => c.visible || reveal).map((c) => (c.visible ? copyCase(c, true) : nameAndStatus(c)));
  const view: RunView = {
    id: run.id,
    requestedBy,
    at: run.at,
    kind: run.kind,
    status: r.status,
    passed: r.passed,
    total: r.total,
    cases,
    hiddenPassed: hidden.filter((c) => c.status === 'pass').length,
    hiddenTotal: hidden.length,
    diagnostics: r.diagnostics.map((d) => ({ ...d })),
    compilerOutput: r.compilerOutput,
    faults: faultsOf(cases),
  };
  if (r.error !== undefined) view.error = r.error;
  if (reveal) view.hiddenRevealed = true;
  return view;
}

export function linksFor(tokens: TokenRecord[], linkKey: Buffer): SessionLinks {
  const path = (role: TokenRecord['role']) => {
    const t = tokens.find((x) => x.role === role);
    if (!t) throw new Error(`session has no ${role} token`);
    return `${role === 'review' ? '/r/' : '/s/'}${unseal(linkKey, t.sealed)}`;
  };
  return { mentor: path('mentor'), candidate: path('candidate'), observer: path('observer'), review: path('review') };
}

/**
 * Display names: control characters and bidi overrides removed, whitespace collapsed,
 * at most `max` code points. Empty after cleaning -> ''.
 */
export function cleanName(raw: string, max: number): string {
  const cleaned = raw
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return [...cleaned].slice(0, max).join('').trim();
}

/** Note text: keeps newlines and tabs, drops other control characters. */
export function cleanText(raw: string): string {
  return raw.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g, '').replace(/\r\n?/g, '\n');
}
