import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/server/db";
import { createUser, createWorkCenter } from "@/server/testing/factories";
import { actor, call } from "@/server/testing/http";
import { listenForRevocations } from "@/server/testing/revocations";
import { GET as me } from "../../auth/me/route";
import { POST as changeRole } from "./[id]/role/route";
import { GET as listUsers } from "./route";

// Role changes on the admin's users page: effective on the next request,
// announced to open sockets, audited with the before and after.

let admin: Awaited<ReturnType<typeof actor>>;
let revocations: Awaited<ReturnType<typeof listenForRevocations>>;
beforeAll(async () => {
  admin = await actor("admin");
  revocations = await listenForRevocations();
});
afterAll(() => revocations.close());

const change = (userId: number, body: unknown) =>
  call(changeRole, { token: admin.token, params: { id: String(userId) }, body });

describe("changing a role", () => {
  it("takes effect on the next request, is announced and audited with before and after", async () => {
    const person = await actor("purchasing");
    const hall = await createWorkCenter();
    const res = await change(person.user.id, { role: "operator", workCenterId: hall.id });
    expect(res).toMatchObject({
      status: 200,
      body: { userId: person.user.id, role: "operator", workCenterId: hall.id, changed: true },
    });
    expect((await call(me, { token: person.token })).body.user).toMatchObject({
      role: "operator",
      workCenterId: hall.id,
    });
    await revocations.expect({ kind: "user", userId: person.user.id });
    const audit = await prisma().auditLog.findMany({
      where: { action: "user.role_change", targetId: String(person.user.id) },
    });
    expect(audit).toMatchObject([
      {
        actorId: admin.user.id,
        detail: { from: { role: "purchasing", workCenterId: null }, to: { role: "operator", workCenterId: hall.id } },
      },
    ]);
  });

  it("changes nothing and writes nothing when the role is already the one asked for", async () => {
    const person = await createUser({ role: "planner" });
    const res = await change(person.id, { role: "planner" });
    expect(res).toMatchObject({ status: 200, body: { changed: false } });
    expect(await prisma().auditLog.count({ where: { action: "user.role_change", targetId: String(person.id) } })).toBe(
      0,
    );
  });

  const refusals: [string, () => Promise<[number, unknown]>, number, string][] = [
    [
      "an operator without a work center",
      async () => [(await createUser({ role: "planner" })).id, { role: "operator" }],
      400,
      "An operator belongs to a work-center group: workCenterId is required.",
    ],
    [
      "a work center for another role",
      async () => [
        (await createUser({ role: "planner" })).id,
        { role: "manager", workCenterId: (await createWorkCenter()).id },
      ],
      400,
      "Only operators belong to a work-center group: leave workCenterId out.",
    ],
    [
      "a work center that does not exist",
      async () => [(await createUser({ role: "planner" })).id, { role: "operator", workCenterId: 2_000_000_000 }],
      400,
      "There is no work center 2000000000.",
    ],
    [
      "a user who does not exist",
      async () => [2_000_000_000, { role: "planner" }],
      404,
      "There is no user 2000000000.",
    ],
  ];
  it.each(refusals)("refuses %s and changes nothing", async (_, make, status, message) => {
    const [userId, body] = await make();
    const before = await prisma().user.findUnique({ where: { id: userId } });
    const res = await change(userId, body);
    expect(res).toMatchObject({ status, body: { message } });
    expect(await prisma().user.findUnique({ where: { id: userId } })).toEqual(before);
  });

  it("lists people with their open sessions and tokens, and the work centers to choose from", async () => {
    const hall = await createWorkCenter();
    const operator = await createUser({ role: "operator", workCenterId: hall.id });
    const res = await call(listUsers, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.users).toContainEqual({
      id: operator.id,
      username: operator.username,
      displayName: operator.displayName,
      role: "operator",
      workCenter: { id: hall.id, code: hall.code, name: hall.name },
      active: true,
      openSessions: 0,
      lastSeenAt: null,
      activeTokens: 0,
    });
    expect(res.body.workCenters).toContainEqual({ id: hall.id, code: hall.code, name: hall.name });
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
  });

  it("never demotes the last active admin", async () => {
    // This file's database: the admins other test files make are not here.
    await prisma().user.updateMany({ where: { role: "admin", id: { not: admin.user.id } }, data: { active: false } });
    const res = await change(admin.user.id, { role: "manager" });
    expect(res).toMatchObject({
      status: 409,
      body: { error: "conflict", message: "This is the last active admin: make someone else an admin first." },
    });
    expect((await call(me, { token: admin.token })).body.user.role).toBe("admin");
  });
});
