// The purchase orders this browser tab raised, so that their good news
// (sent, acknowledged) is shown here and not on every buyer's screen. Kept in
// sessionStorage: it survives the move to the order's page and a reload, and
// goes with the tab.

const storageKey = "erp:purchase-orders-raised-here";
const kept = 50;

function read(): string[] {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(storageKey) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === "string") : [];
  } catch {
    return []; // no storage (private mode, server render) or a damaged entry: nothing remembered
  }
}

export function rememberRaisedOrder(id: string): void {
  try {
    sessionStorage.setItem(storageKey, JSON.stringify([...read().filter((other) => other !== id), id].slice(-kept)));
  } catch {
    // Storage full or refused: the order's toasts are then left to its page.
  }
}

export function wasRaisedHere(id: string): boolean {
  return read().includes(id);
}
