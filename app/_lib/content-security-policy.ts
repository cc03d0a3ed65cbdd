// The pages' Content-Security-Policy (set by proxy.ts on every page).
//
// Scripts run only with this response's nonce ('strict-dynamic' lets them
// load the chunks they import), so markup that slipped into a page could not
// run a script even if React ever failed to escape it. Styles come from our
// own stylesheets or carry the nonce. The pages talk to their own origin
// only: the API, and the realtime socket at /ws/socket.io over ws: or wss:
// ('self' already covers those in CSP Level 3 browsers; named here for the
// rest). Nothing may frame the pages (clickjacking), and forms post home.

type Options = {
  nonce: string;
  /** The Host the browser used (with its port), for the WebSocket sources. */
  host: string | null;
  /** Served over HTTPS (directly or behind nginx): upgrade any http: reference. */
  https: boolean;
  /** `next dev` needs eval for React's debugging aids, and inline styles for its overlay. */
  development: boolean;
};

// A Host header is the client's to choose; only a plain host[:port] goes into the policy.
const plainHost = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function contentSecurityPolicy({ nonce, host, https, development }: Options): string {
  const self = host && plainHost.test(host) ? host.toLowerCase() : null;
  const sockets = self ? [...(https ? [] : [`ws://${self}`]), `wss://${self}`] : [];
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", development ? "'unsafe-inline'" : `'nonce-${nonce}'`],
    ["img-src", "'self'", "blob:", "data:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'", ...sockets],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  if (https) directives.push(["upgrade-insecure-requests"]);
  return directives.map((d) => d.join(" ")).join("; ");
}
