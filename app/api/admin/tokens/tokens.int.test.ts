import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashSecretToken } from "@/server/auth/secret-token";
import { pool, prisma } from "@/server/db";
import { createItem, createMachine, createUser, createWorkCenter } from "@/server/testing/factories";
import { actor, call } from "@/server/testing/http";
import { listenForRevocations } from "@/server/testing/revocations";
import { GET as me } from "../../auth/me/route";
import { GET as listItems } from "../../inventory/items/route";
import { POST as reportEvent } from "../../machines/[id]/events/route";
import { GET as listMachines } from "../../machines/route";
import { POST as reserve } from "../../reservations/route";
import { POST as changeRole } from "../users/[id]/role/route";
import { POST as revoke } from "./[id]/revoke/route";
import { POST as create, GET as list } from "./route";

// Tokens for tablets and integrations, as an admin makes them on the tokens
// page: the secret shown once, scoped (role, work-center group, read-only),
// listed without secrets, and revoked with effect on the very next request.

type Admin = Awaited<ReturnType<typeof actor>>;
let admin: Admin;
let revocations: Awaited<ReturnType<typeof listenForRevocations>>;

beforeAll(async () => {
  admin = await actor("admin");
  revocations = await listenForRevocations();
});
afterAll(() => revocations.close());

const issue = (body: Record<string, unknown>, idempotencyKey?: string) =>
  call(create, { token: admin.token, body, idempotencyKey });

describe("creating a token", () => {
  it("shows the secret once, stores only its hash, lists it without the secret and audits it", async () => {
    const owner = await createUser({ role: "planner" });
    const res = await issue({ name: "Planning board, hall 2", userId: owner.id });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      secret: expect.stringMatching(/^erp_[A-Za-z0-9_-]{43}$/),
      replayed: false,
      token: {
        id: expect.any(Number),
        name: "Planning board, hall 2",
        user: { id: owner.id, username: owner.username, role: "planner" },
        role: "planner",
        workCenter: null,
        readOnly: false,
        createdAt: expect.any(String),
        createdBy: { id: admin.user.id, username: admin.user.username },
        expiresAt: null,
        lastUsedAt: null,
        revokedAt: null,
        status: "active",
      },
    });
    const { secret, token } = res.body;

    const stored = await pool().query("SELECT * FROM api_tokens WHERE id = $1", [token.id]);
    expect(stored.rows[0].token_hash).toBe(hashSecretToken(secret));
    expect(JSON.stringify(stored.rows[0])).not.toContain(secret.slice(4));

    const listed = await call(list, { token: admin.token });
    expect(listed.body.tokens).toContainEqual(token);
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(4));

    const who = await call(me, { token: secret });
    expect(who).toMatchObject({ status: 200, body: { user: { id: owner.id, role: "planner" } } });
    const used = await call(list, { token: admin.token });
    expect(used.body.tokens.find((t: { id: number }) => t.id === token.id).lastUsedAt).not.toBeNull();

    const audit = await prisma().auditLog.findMany({ where: { action: "token.create", targetId: String(token.id) } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: admin.user.id,
      detail: { name: "Planning board, hall 2", userId: owner.id, role: null, workCenterId: null, readOnly: false },
    });
    expect(JSON.stringify(audit[0]?.detail)).not.toContain(secret.slice(4));
  });

  it("repeating the same Idempotency-Key finds the first token and never shows its secret again", async () => {
    const key = randomUUID();
    const body = { name: "Line 3 tablet", userId: admin.user.id };
    const first = await issue(body, key);
    expect(first.status).toBe(201);
    const again = await issue(body, key);
    expect(again).toMatchObject({
      status: 200,
      body: { secret: null, replayed: true, token: { id: first.body.token.id } },
    });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await prisma().apiToken.count({ where: { idempotencyKey: key } })).toBe(1);

    const other = await issue({ ...body, name: "Another tablet" }, key);
    expect(other).toMatchObject({ status: 422, body: { error: "idempotency_key_reused" } });
  });

  const refusals: [string, () => Promise<Record<string, unknown>>, string][] = [
    [
      "another role for a user who is not an admin",
      async () => ({ userId: (await createUser({ role: "purchasing" })).id, role: "admin" }),
      "A token acts in its user's role (purchasing); only an admin user's token may act in another role.",
    ],
    [
      "an operator token without a work center",
      async () => ({ userId: admin.user.id, role: "operator" }),
      "An operator token needs a work center: workCenterId is required.",
    ],
    [
      "a work center on a token that is not an operator's",
      async () => ({ userId: admin.user.id, role: "planner", workCenterId: (await createWorkCenter()).id }),
      "Only an operator token is bound to a work center.",
    ],
    [
      "another work center than its operator's own",
      async () => {
        const operator = await createUser({ role: "operator" });
        return { userId: operator.id, workCenterId: (await createWorkCenter()).id };
      },
      "can only be bound to their own work center.",
    ],
    ["a user who does not exist", async () => ({ userId: 2_000_000_000 }), "There is no active user 2000000000"],
    [
      "a work center that does not exist",
      async () => ({ userId: admin.user.id, role: "operator", workCenterId: 2_000_000_000 }),
      "There is no work center 2000000000.",
    ],
    [
      "an expiry in the past",
      async () => ({ userId: admin.user.id, expiresAt: new Date(Date.now() - 60_000).toISOString() }),
      "expiresAt must be in the future.",
    ],
  ];

  it.each(refusals)("refuses %s with 400 and creates nothing", async (_, make, message) => {
    const before = await prisma().apiToken.count();
    const res = await issue({ name: "refused", ...(await make()) });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_request");
    expect(res.body.message).toContain(message);
    expect(await prisma().apiToken.count()).toBe(before);
  });

  it("refuses a nameless token with zod's issue", async () => {
    const res = await issue({ name: "  ", userId: admin.user.id });
    expect(res).toMatchObject({
      status: 400,
      body: {
        error: "invalid_request",
        issues: [{ path: ["name"], message: "name is required: what the token is for" }],
      },
    });
  });
});

describe("scopes", () => {
  it("an operator token bound to a work-center group sees and reports on that group's machines only", async () => {
    const [hall1, hall2] = [await createWorkCenter(), await createWorkCenter()];
    const [press, lathe] = [
      await createMachine({ workCenterId: hall1.id }),
      await createMachine({ workCenterId: hall2.id }),
    ];
    const res = await issue({ name: "Hall 1 tablet", userId: admin.user.id, role: "operator", workCenterId: hall1.id });
    expect(res.body.token).toMatchObject({ role: "operator", workCenter: { id: hall1.id, code: hall1.code } });
    const tablet = res.body.secret;

    expect(await call(me, { token: tablet })).toMatchObject({
      body: { user: { id: admin.user.id, role: "operator", workCenterId: hall1.id } },
    });
    const machines = await call(listMachines, { token: tablet });
    expect(machines.body.machines.map((m: { id: number }) => m.id)).toEqual([press.id]);
    const own = await call(reportEvent, {
      token: tablet,
      params: { id: String(press.id) },
      body: { type: "breakdown" },
    });
    expect(own.status).toBe(202);
    const other = await call(reportEvent, {
      token: tablet,
      params: { id: String(lathe.id) },
      body: { type: "breakdown" },
    });
    expect(other.status).toBe(403);
    // Acting as an operator, it has none of its admin user's other rights.
    expect((await call(list, { token: tablet })).status).toBe(403);
  });

  it("a read-only integration token reads and may not write", async () => {
    const integration = await createUser({ role: "purchasing" });
    const res = await issue({ name: "BI export", userId: integration.id, readOnly: true });
    expect(res.body.token).toMatchObject({ readOnly: true, role: "purchasing" });
    const token = res.body.secret;
    expect((await call(listItems, { token })).status).toBe(200);
    const item = await createItem({ stockQty: 10 });
    const write = await call(reserve, { token, body: { orderRef: "SO-RO", lines: [{ itemId: item.id, qty: 1 }] } });
    expect(write).toMatchObject({
      status: 403,
      body: { error: "forbidden", message: "This token is read-only: it may not change anything." },
    });
    expect(await prisma().reservation.count({ where: { orderRef: "SO-RO" } })).toBe(0);
  });

  it("demoting the admin who owns a narrower token narrows it at once", async () => {
    const boss = await createUser({ role: "admin" });
    const res = await issue({ name: "Planner screen", userId: boss.id, role: "planner" });
    const token = res.body.secret;
    expect((await call(me, { token })).body.user.role).toBe("planner");
    const demoted = await call(changeRole, {
      token: admin.token,
      params: { id: String(boss.id) },
      body: { role: "purchasing" },
    });
    expect(demoted.status).toBe(200);
    expect((await call(me, { token })).status).toBe(401);
  });
});

describe("revoking a token", () => {
  it("stops it on the very next request, announces it to open sockets and audits it once", async () => {
    const owner = await createUser({ role: "planner" });
    const { secret, token } = (await issue({ name: "Lost tablet", userId: owner.id })).body;
    expect((await call(me, { token: secret })).status).toBe(200);

    const res = await call(revoke, { token: admin.token, method: "POST", params: { id: String(token.id) } });
    expect(res).toMatchObject({ status: 200, body: { token: { id: token.id, status: "revoked" } } });
    expect(await call(me, { token: secret })).toMatchObject({ status: 401, body: { error: "unauthenticated" } });
    await revocations.expect({ kind: "token", tokenId: token.id });

    const again = await call(revoke, { token: admin.token, method: "POST", params: { id: String(token.id) } });
    expect(again).toMatchObject({ status: 200, body: { token: { revokedAt: res.body.token.revokedAt } } });
    const audit = await prisma().auditLog.findMany({ where: { action: "token.revoke", targetId: String(token.id) } });
    expect(audit).toMatchObject([{ actorId: admin.user.id }]);
  });

  it("answers 404 for a token that does not exist", async () => {
    const res = await call(revoke, { token: admin.token, method: "POST", params: { id: "2000000000" } });
    expect(res).toMatchObject({ status: 404, body: { error: "not_found", message: "There is no token 2000000000." } });
  });
});
