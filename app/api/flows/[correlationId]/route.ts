import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { handle, HttpError, json, parseQuery } from "@/server/http/respond";
import { correlationIdParam, flowQuery } from "@/server/contract/api";
import { findFlow } from "@/server/flows/find-flow";
import { BadCursorError } from "@/server/flows/list-recent-flows";

export function GET(req: Request, ctx: { params: Promise<{ correlationId: string }> }): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    // Next.js hands over the segment already URL-decoded.
    const parsed = correlationIdParam.safeParse((await ctx.params).correlationId);
    if (!parsed.success) throw new HttpError(400, `correlationId: ${parsed.error.issues[0]!.message}`);
    const page = parseQuery(flowQuery, req);
    try {
      const rt = getRuntime();
      const flow = await findFlow(await rt.store, parsed.data, page);
      if (!flow) throw new HttpError(404, `no events indexed for correlation ID ${JSON.stringify(parsed.data.slice(0, 200))}`);
      return json({ ...flow, events: await rt.decodeOnRead(flow.events) });
    } catch (err) {
      if (err instanceof BadCursorError) throw new HttpError(400, err.message);
      throw err;
    }
  });
}
