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
