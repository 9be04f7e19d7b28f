import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { readAgainstType } from "@/server/flowmap/read-against-type";
import { handle, HttpError, json } from "@/server/http/respond";
import { correlationIdParam } from "@/server/contract/api";

/** How this flow differs from its type's most common path, in words. */
export function GET(req: Request, ctx: { params: Promise<{ correlationId: string }> }): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const parsed = correlationIdParam.safeParse((await ctx.params).correlationId);
    if (!parsed.success) throw new HttpError(400, `correlationId: ${parsed.error.issues[0]!.message}`);
    const rt = getRuntime();
    return json(await readAgainstType(await rt.store, { correlationId: parsed.data, now: new Date(), stuckAfterMs: rt.config.stuckAfterMs }));
  });
}
