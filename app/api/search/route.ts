import { getRuntime } from "@/server/runtime";
import { requireViewer } from "@/server/auth/authenticate";
import { handle, json, parseQuery } from "@/server/http/respond";
import { searchQuery } from "@/server/contract/api";
import { searchIndex } from "@/server/flows/search-index";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    const { q } = parseQuery(searchQuery, req);
    const rt = getRuntime();
    const results = await searchIndex(await rt.store, q, new Date(), rt.config.stuckAfterMs);
    return json({ results });
  });
}
