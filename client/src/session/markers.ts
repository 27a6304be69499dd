// Pure mapping from a run to editor markers; the editor module turns these into Monaco markers.
import type { RunView } from '../../../common/protocol.ts';

export type MarkerLevel = 'error' | 'warning' | 'info';

export interface MarkerSpec {
  line: number;
  /** 1-based; null marks the whole line (runtime faults only know the line). */
  column: number | null;
  severity: MarkerLevel;
  message: string;
  source: 'compiler' | 'runtime';
}

export function runMarkers(run: RunView): MarkerSpec[] {
  const out: MarkerSpec[] = [];
  const seen = new Set<string>();
  const push = (m: MarkerSpec): void => {
    const key = `${m.line}:${m.column ?? ''}:${m.message}`;
    if (seen.has(key)) return; // the same fault in many cases is one marker
    seen.add(key);
    out.push(m);
  };
  for (const d of run.diagnostics) {
    if (!Number.isInteger(d.line) || d.line < 1) continue;
    push({
      line: d.line,
      column: Number.isInteger(d.column) && d.column >= 1 ? d.column : null,
      severity: d.severity === 'note' ? 'info' : d.severity,
      message: d.message,
      source: 'compiler',
    });
  }
  for (const f of run.faults) {
    if (f.line === undefined || !Number.isInteger(f.line) || f.line < 1) continue;
    const where = f.function ? ` (in ${f.function})` : '';
    push({ line: f.line, column: null, severity: 'error', message: `${f.message}${where}`, source: 'runtime' });
  }
  return out;
}
