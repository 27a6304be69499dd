// What each role may see of a run, as a RunView: the cases go through common/redact.ts (the one
// rule for hidden cases, from 'see:hidden' in common/policy.ts); tests/unit/sessions/views.test.ts
// and tests/integration/hidden-output.test.ts check it.
import type { Fault } from '../../../common/exercise.ts';
import { seesHidden, type Mode, type PolicyRole } from '../../../common/policy.ts';
import type { RunView, SessionLinks } from '../../../common/protocol.ts';
import { visibleGrade } from '../../../common/redact.ts';
import type { RunRecord, TokenRecord } from '../store/types.ts';
import { unseal } from './tokens.ts';

function faultsOf(cases: RunView['cases']): Fault[] {
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

/** The run as `role` may see it in a session of `mode` (see runViewFor). */
export function runView(run: RunRecord, role: PolicyRole, requestedBy: string, mode: Mode): RunView {
  return runViewFor(run, requestedBy, mode, seesHidden(mode, role));
}

/**
 * The run for a role with or without 'see:hidden'. Without it, hidden cases are left out of the
 * list (a count of those passed stands for them), except in a practice attempt's final grading,
 * which names them with their status: the student's result page.
 */
export function runViewFor(run: RunRecord, requestedBy: string, mode: Mode, sees: boolean): RunView {
  const r = visibleGrade(run.result, sees);
  const hidden = r.cases.filter((c) => !c.visible);
  const reveal = !sees && mode === 'practice' && run.kind === 'final';
  const cases = r.cases.filter((c) => c.visible || sees || reveal);
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
    diagnostics: r.diagnostics,
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
