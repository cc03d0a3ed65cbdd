import { access } from "@/server/auth/roles";
import { listSuppliers } from "@/server/suppliers/list-suppliers";
import { route } from "../_lib/route";

export const GET = route({ roles: access.inventoryRead }, async () => ({
  body: { suppliers: await listSuppliers() },
}));
