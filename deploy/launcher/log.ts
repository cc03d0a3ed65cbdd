// The launcher's own lines, and the prefix format its children's lines share.

const useColor = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const palette = [36, 35, 33, 32, 34, 31];
const colors = new Map<string, number>();

/** `[name] ` padded to a common width, coloured per name on a terminal. */
export function prefix(name: string): string {
  const label = `[${name}]`.padEnd(11);
  if (!useColor) return `${label} `;
  let color = colors.get(name);
  if (color === undefined) {
    color = palette[colors.size % palette.length] ?? 36;
    colors.set(name, color);
  }
  return `\x1b[${color}m${label}\x1b[0m `;
}

export function log(line: string): void {
  process.stdout.write(`${prefix("launcher")}${line}\n`);
}

export function logError(line: string): void {
  process.stderr.write(`${prefix("launcher")}${useColor ? `\x1b[31m${line}\x1b[0m` : line}\n`);
}

export function bold(text: string): string {
  return useColor ? `\x1b[1m${text}\x1b[0m` : text;
}
