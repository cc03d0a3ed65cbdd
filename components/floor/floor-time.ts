// Times as an operator reads them from a step away: short, 24-hour, local.

const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" });
const weekday = new Intl.DateTimeFormat("en-GB", { weekday: "short" });

export function formatClock(iso: string): string {
  return clock.format(new Date(iso));
}

/** "45 s", "12 min", "2 h 05 min", "3 d 4 h": how long a machine has been in its status. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** "today 14:00", "tomorrow 08:00", "Thu 14:00", or "overdue since 10:00". */
export function formatDue(iso: string, now: Date = new Date()): string {
  const due = new Date(iso);
  if (due.getTime() < now.getTime())
    return `overdue since ${sameDay(due, now) ? "" : `${weekday.format(due)} `}${clock.format(due)}`;
  if (sameDay(due, now)) return `today ${clock.format(due)}`;
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  if (sameDay(due, tomorrow)) return `tomorrow ${clock.format(due)}`;
  return `${weekday.format(due)} ${clock.format(due)}`;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}
