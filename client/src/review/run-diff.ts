// "Changes since run N": what the code gained and lost between two runs, as a unified diff (the
// `diff` package), in a dialog opened from the replay's run list. The diff itself is pure and
// unit-tested; the dialog only renders it.
import { structuredPatch } from 'diff';
import { h } from '../ui/dom.ts';

export interface DiffLine {
  kind: 'hunk' | 'add' | 'del' | 'ctx';
  text: string;
}

export interface CodeDiff {
  added: number;
  removed: number;
  lines: DiffLine[];
}

/** A unified diff of two versions of the code, three lines of context around each change. */
export function codeDiff(before: string, after: string): CodeDiff {
  const patch = structuredPatch('solution.c', 'solution.c', before, after, undefined, undefined, { context: 3 });
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    lines.push({
      kind: 'hunk',
      text: `@@ lines ${hunk.oldStart}-${hunk.oldStart + Math.max(hunk.oldLines, 1) - 1} → ${hunk.newStart}-${hunk.newStart + Math.max(hunk.newLines, 1) - 1} @@`,
    });
    for (const line of hunk.lines) {
      if (line.startsWith('\\')) continue; // "\ No newline at end of file"
      const kind = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx';
      if (kind === 'add') added++;
      if (kind === 'del') removed++;
      lines.push({ kind, text: line });
    }
  }
  return { added, removed, lines };
}

/** One version the dialog can compare: a run (or the start), its label and its code. */
export interface Version {
  label: string;
  code: () => string;
}

/**
 * Opens the dialog comparing `versions[from]` with `versions[to]`; both can be changed in it.
 * Closes with Esc or its button and gives the focus back to what opened it.
 */
export function openRunDiff(versions: Version[], from: number, to: number): HTMLDialogElement {
  const pick = (label: string, selected: number) =>
    h('select', { class: 'input diff-pick', 'aria-label': label }, ...versions.map((v, i) => h('option', { value: String(i), selected: i === selected }, v.label)));
  const fromPick = pick('Compare from', from);
  const toPick = pick('Compare to', to);
  const summary = h('p', { class: 'diff-summary', 'aria-live': 'polite' });
  const body = h('pre', { class: 'run-diff', tabindex: 0, role: 'region', 'aria-label': 'Changes' });
  const close = h('button', { class: 'btn btn-secondary', type: 'button' }, 'Close');
  const dialog = h(
    'dialog',
    { class: 'run-diff-dialog', 'aria-labelledby': 'run-diff-title' },
    h('h2', { id: 'run-diff-title' }, 'Changes in solution.c'),
    h('div', { class: 'diff-picks' }, h('label', {}, 'From ', fromPick), h('label', {}, 'to ', toPick)),
    summary,
    body,
    h('div', { class: 'confirm-actions' }, close),
  );
  const render = () => {
    const a = versions[Number(fromPick.value)]!;
    const b = versions[Number(toPick.value)]!;
    const d = codeDiff(a.code(), b.code());
    summary.textContent =
      d.lines.length === 0 ? `No change from ${a.label} to ${b.label}.` : `From ${a.label} to ${b.label}: ${d.added} line${d.added === 1 ? '' : 's'} added, ${d.removed} removed.`;
    body.replaceChildren(...d.lines.flatMap((l) => [h('span', { class: `diff-${l.kind}` }, l.text), '\n']));
  };
  fromPick.addEventListener('change', render);
  toPick.addEventListener('change', render);
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener?.focus();
  });
  render();
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
