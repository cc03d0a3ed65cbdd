import { readFileSync } from "node:fs";

// A reader for systemd unit files, enough for the tests that check the
// units in this folder: sections, repeated keys (kept in order), comments,
// and line continuations. An empty assignment (`CapabilityBoundingSet=`) is
// kept as "" because in systemd it means something (here: no capabilities).

export type UnitFile = Map<string, Map<string, string[]>>;

export function parseUnit(text: string, file = "<unit>"): UnitFile {
  const unit: UnitFile = new Map();
  let section: Map<string, string[]> | undefined;
  const lines = text.replace(/\\\n/g, " ").split("\n");
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header) {
      const name = header[1] as string;
      section = unit.get(name) ?? new Map();
      unit.set(name, section);
      return;
    }
    const assignment = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(line);
    if (!assignment || !section) throw new Error(`${file}:${index + 1}: not a unit file line: ${raw}`);
    const [, key, value] = assignment as unknown as [string, string, string];
    section.set(key, [...(section.get(key) ?? []), value.trim()]);
  });
  return unit;
}

export function readUnit(file: string): UnitFile {
  return parseUnit(readFileSync(file, "utf8"), file);
}

/** The unit as systemd sees it with its drop-ins: their values follow the unit's own. */
export function withDropIns(unit: UnitFile, dropIns: UnitFile[]): UnitFile {
  const merged: UnitFile = new Map([...unit].map(([name, keys]) => [name, new Map(keys)]));
  for (const dropIn of dropIns) {
    for (const [name, keys] of dropIn) {
      const section = merged.get(name) ?? new Map<string, string[]>();
      for (const [key, values] of keys) section.set(key, [...(section.get(key) ?? []), ...values]);
      merged.set(name, section);
    }
  }
  return merged;
}

/** Every value of a key, in order. */
export function values(unit: UnitFile, section: string, key: string): string[] {
  return unit.get(section)?.get(key) ?? [];
}

/** The value in force: the last assignment wins for single-valued settings. */
export function value(unit: UnitFile, section: string, key: string): string | undefined {
  return values(unit, section, key).at(-1);
}

/** Environment= assignments (several per line, in order) as one map. */
export function environment(unit: UnitFile): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of values(unit, "Service", "Environment")) {
    for (const pair of line.split(/\s+/).filter(Boolean)) {
      const at = pair.indexOf("=");
      env.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }
  return env;
}
