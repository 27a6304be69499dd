// Readable output of mutation testing: one block per exercise (survivors with their diff) and a
// summary table in Markdown, the same one the README shows.
import type { MutationReport } from './mutants.ts';

export function percent(score: number): string {
  return `${(Math.floor(score * 1000) / 10).toFixed(1)}%`;
}

/** One exercise: counts, then every survivor with its diff, then warnings about mutants.json. */
export function formatReport(report: MutationReport): string {
  const lines = [
    `${report.ok ? 'ok  ' : 'FAIL'} ${report.exercise}: score ${percent(report.score)} (minimum ${percent(report.minScore)})`,
    `     ${report.generated} mutants: ${report.killed} killed, ${report.survived} survived, ${report.equivalent} equivalent, ${report.invalid} invalid (did not compile)`,
  ];
  for (const mutant of report.mutants.filter((m) => m.status === 'survived')) {
    lines.push('', `survived ${mutant.id}`, mutant.diff ?? '');
  }
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}

/** Markdown table with one row per exercise. */
export function formatTable(reports: MutationReport[]): string {
  const rows = [
    '| exercise | mutants | invalid | killed | survived | equivalent | score |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...reports.map((r) => `| \`${r.exercise}\` | ${r.generated} | ${r.invalid} | ${r.killed} | ${r.survived} | ${r.equivalent} | ${percent(r.score)} |`),
  ];
  return rows.join('\n');
}
