import { describe, expect, it } from "vitest";
import { liveEventSchemas } from "./events";
import { roomsFor } from "./rooms";
import { liveEventRoutes, roomsForEvent } from "./routes";

const buyers = ["role:purchasing", "role:manager", "role:admin"];

describe("live event routes", () => {
  it.each([
    ["inventory.changed", { reason: "reserve", items: [] }, buyers],
    ["purchase_order.updated", { id: "po-1", supplierId: 1, status: "SENT" }, buyers],
    ["machine.status", { machineId: 1, workCenterId: 4, status: "breakdown" }, ["wc:4", "floor:all"]],
    ["work_order.updated", { workOrderId: 1, workCenterId: 2 }, ["wc:2", "floor:all"]],
    ["work_order.updated", { workOrderId: 1, workCenterId: null }, ["floor:all"]],
    ["plan.updated", { affectedWorkCenterIds: [3, 1, 3], moves: [] }, ["wc:1", "wc:3", "floor:all"]],
    ["plan.updated", { affectedWorkCenterIds: [] }, ["floor:all"]],
    ["machine.status", { workCenterId: "4" }, ["floor:all"]],
    ["machine.status", null, ["floor:all"]],
    ["supplier.risk", { supplierId: 1 }, [...buyers, "role:planner"]],
    ["something.new", { workCenterId: 1 }, ["role:admin"]],
    ["toString", {}, ["role:admin"]],
  ])("sends %s %j to %j", (type, payload, rooms) => {
    expect(roomsForEvent(type, payload)).toEqual(rooms);
  });

  it("has a route for every live event type, so none falls back to admins only by mistake", () => {
    for (const type of Object.keys(liveEventSchemas)) expect(Object.keys(liveEventRoutes)).toContain(type);
  });
});

describe("rooms of a socket", () => {
  it.each([
    [{ role: "operator", workCenterId: 7 }, ["role:operator", "wc:7"]],
    [{ role: "operator", workCenterId: null }, ["role:operator"]],
    [{ role: "planner", workCenterId: null }, ["role:planner", "floor:all"]],
    [{ role: "manager", workCenterId: null }, ["role:manager", "floor:all"]],
    [{ role: "admin", workCenterId: null }, ["role:admin", "floor:all"]],
    [{ role: "purchasing", workCenterId: null }, ["role:purchasing"]],
    // Only operators belong to a group's room, whatever the row says.
    [{ role: "planner", workCenterId: 7 }, ["role:planner", "floor:all"]],
  ] as const)("puts %j in %j", (principal, rooms) => {
    expect(roomsFor(principal)).toEqual(rooms);
  });
});
