import { getRuntime } from "@/server/runtime";
import { handle, json, parseQuery } from "@/server/http/respond";
import { auditQuery } from "@/server/contract/api";
import { requireViewer } from "@/server/auth/authenticate";
import { listAudit } from "@/server/replay/list-audit";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    await requireViewer(req);
    return json(await listAudit(await getRuntime().store, parseQuery(auditQuery, req)));
  });
}
