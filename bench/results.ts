import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** Writes a suite's results to bench/results/<name>.json and <name>.md, and prints the markdown. */
export async function writeSuiteResults(name: string, results: unknown, markdown: string): Promise<void> {
  const resultsDir = path.join(import.meta.dirname, "results");
  await mkdir(resultsDir, { recursive: true });
  await writeFile(path.join(resultsDir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(path.join(resultsDir, `${name}.md`), markdown);
  process.stdout.write(`\n${markdown}\n`);
}

/** A goal an issue set, with what the run measured against it (null: the run could not tell). */
export type Goal = { name: string; value: number | null; goal: string; met: boolean | null };

/** The goals as a markdown table; `value` formats a measured figure. */
export function goalsTable(goals: Goal[], value: (v: number) => string = String): string[] {
  return [
    "| goal | value | target | met |",
    "|---|---:|---|---|",
    ...goals.map(
      (g) =>
        `| ${g.name} | ${g.value === null ? "–" : value(g.value)} | ${g.goal} | ${g.met === null ? "–" : g.met ? "yes" : "no"} |`,
    ),
  ];
}
