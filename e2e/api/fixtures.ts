import { randomUUID } from "node:crypto";
import { type APIRequestContext, test as base, request } from "@playwright/test";
import { apiAs, type DemoUser } from "../support";

// Fixtures for the API specs: clients with their own cookie jars, disposed
// after each test.

type Clients = {
  /** An API client logged in as a demo user. */
  as: (username: DemoUser) => Promise<APIRequestContext>;
  /** An API client without any session. */
  anonymous: () => Promise<APIRequestContext>;
};

export const test = base.extend<Clients & { opened: APIRequestContext[] }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
  opened: async ({}, use) => {
    const opened: APIRequestContext[] = [];
    await use(opened);
    await Promise.all(opened.map((context) => context.dispose()));
  },
  as: async ({ baseURL, opened }, use) => {
    await use(async (username) => {
      const context = await apiAs(String(baseURL), username);
      opened.push(context);
      return context;
    });
  },
  anonymous: async ({ baseURL, opened }, use) => {
    await use(async () => {
      const context = await request.newContext({ baseURL });
      opened.push(context);
      return context;
    });
  },
});

export { expect } from "@playwright/test";

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** POST /api/reservations with a fresh Idempotency-Key unless one (or null: none) is given. */
export function reserve(api: APIRequestContext, body: unknown, key: string | null = randomUUID()) {
  return api.post("/api/reservations", { data: body, headers: key ? { "Idempotency-Key": key } : {} });
}
