import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { handle, HttpError, json } from "@/server/http/respond";
import { correlationIdParam } from "@/server/http/schemas";
import { findFlow } from "@/server/flows/find-flow";

export function GET(req: Request, ctx: { params: Promise<{ correlationId: string }> }): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    // Next.js hands over the segment already URL-decoded.
    const parsed = correlationIdParam.safeParse((await ctx.params).correlationId);
    if (!parsed.success) throw new HttpError(400, `correlationId: ${parsed.error.issues[0]!.message}`);
    const flow = await findFlow(await getRuntime().store, parsed.data);
    if (!flow) throw new HttpError(404, `no events indexed for correlation ID ${JSON.stringify(parsed.data.slice(0, 200))}`);
    return json(flow);
  });
}
