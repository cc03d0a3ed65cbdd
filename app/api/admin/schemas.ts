import { z } from "zod";
import { roleSchema } from "@/server/auth/roles";

const maxInt = 2_147_483_647;
const id = (what: string) =>
  z.coerce.number().int(`${what} id must be a whole number`).positive(`${what} id must be positive`).max(maxInt);

export const tokenIdParams = z.object({ id: id("token") });
export const userIdParams = z.object({ id: id("user") });

export const createTokenBody = z.strictObject({
  name: z.string().trim().min(1, "name is required: what the token is for").max(100, "name is at most 100 characters"),
  /** The user the token acts for (the actor in the audit log). */
  userId: z.number().int().positive().max(maxInt),
  role: roleSchema.optional(),
  workCenterId: z.number().int().positive().max(maxInt).optional(),
  readOnly: z.boolean().optional(),
  expiresAt: z.iso.datetime({ offset: true, message: "expiresAt must be an ISO 8601 date and time" }).optional(),
});

export const changeRoleBody = z.strictObject({
  role: roleSchema,
  workCenterId: z.number().int().positive().max(maxInt).nullable().optional(),
});

const isoDate = (what: string) =>
  z.iso.datetime({ offset: true, message: `${what} must be an ISO 8601 date and time` }).transform((s) => new Date(s));

export const auditQuery = z.object({
  actor: z
    .string()
    .trim()
    .max(64, "actor is a username of at most 64 characters")
    .optional()
    .transform((s) => s || undefined),
  action: z
    .string()
    .trim()
    .max(64)
    .regex(
      /^[a-z_]+(\.[a-z_]+)*(\.\*)?$/,
      'action is an action name such as "auth.login", or a prefix such as "auth.*"',
    )
    .optional()
    .or(z.literal("").transform(() => undefined)),
  from: isoDate("from").optional(),
  to: isoDate("to").optional(),
  before: z
    .string()
    .regex(/^\d{1,18}$/, "before is the id of an entry (the previous page's nextBefore)")
    .transform((s) => BigInt(s))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
