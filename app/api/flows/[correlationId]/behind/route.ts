import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { handle, HttpError, json } from "@/server/http/respond";
import { correlationIdParam } from "@/server/contract/api";
import { consumersBehindFlow } from "@/server/lag/consumers-behind-flow";

/**
 * Consumer groups that have not yet read some of this flow's events: how far behind they are on
 * each event's partition, and when they reach it at their recent pace (`events[].eta`, `eta`).
 */
export function GET(req: Request, ctx: { params: Promise<{ correlationId: string }> }): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const parsed = correlationIdParam.safeParse((await ctx.params).correlationId);
    if (!parsed.success) throw new HttpError(400, `correlationId: ${parsed.error.issues[0]!.message}`);
    const rt = getRuntime();
    return json({ behind: await consumersBehindFlow(await rt.store, parsed.data, { intervalMs: rt.config.lagIntervalMs }) });
  });
}
