// The actions the audit log records, with the words the admin's audit page
// uses for them. Writers use these names; the page offers them as filters.
// An action missing here is still stored and shown, by its name.
export const auditActions = {
  "auth.login": "Logged in",
  "auth.login_failed": "Failed login",
  "auth.logout": "Logged out",
  "session.end_all": "Ended all sessions",
  "user.role_change": "Changed a role",
  "token.create": "Created a token",
  "token.revoke": "Revoked a token",
  "reservation.create": "Reserved stock",
  "reservation.release": "Released a reservation",
  "purchase_order.create": "Raised a purchase order",
  "purchase_order.sent": "Purchase order sent",
  "purchase_order.acknowledged": "Purchase order acknowledged",
  "purchase_order.failed": "Purchase order failed",
  "purchase_order.receive": "Received goods",
  "machine.report_event": "Reported a machine event",
  "work_order.start": "Started a work order",
  "work_order.finish": "Finished a work order",
  "outbox.requeue": "Re-queued a dead letter",
} as const satisfies Record<string, string>;

export type AuditAction = keyof typeof auditActions;
