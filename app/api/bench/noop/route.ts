import { jsonResponse } from "../../_lib/responses";

// The baseline for bench/: what a POST costs in this Next.js server when the
// handler does nothing but parse the JSON body and answer 201 (no auth, no
// database, no Redis). The reservation route is measured against it in the
// same run, so the ratio shows our own cost, not the framework's or the
// machine's. It is an open endpoint, so it answers 404 unless the benchmark
// started this server with ERP_BENCH_ROUTES=true.
export async function POST(req: Request): Promise<Response> {
  if (process.env.ERP_BENCH_ROUTES !== "true") {
    return jsonResponse({ error: "not_found", message: "No such route." }, 404);
  }
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    return jsonResponse({ error: "invalid_request", message: "The request body is not valid JSON." }, 400);
  }
  return jsonResponse({ received: typeof body === "object" && body !== null }, 201);
}
