import { accessSync, constants } from "node:fs";
import path from "node:path";

/** The first executable `command` on PATH, then in `alsoIn` (e.g. /usr/sbin, which a normal user's PATH lacks). */
export function findExecutable(command: string, alsoIn: readonly string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), ...alsoIn];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}
