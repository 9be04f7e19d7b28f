import { getRuntime } from "@/server/runtime";
import { handle, HttpError, json, parseBody } from "@/server/http/respond";
import { replayBody } from "@/server/contract/api";
import { auditRefusal, requireOperator } from "@/server/auth/authenticate";
import { writeAudit } from "@/server/replay/ledger";
import { replayRecords, ReplayInputError } from "@/server/replay/replay-records";
import { replayTargets } from "@/server/replay/targets";

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const rt = getRuntime();
    let actor: string;
    try {
      actor = (await requireOperator(req)).name;
    } catch (err) {
      // Refused attempts are audited too (who tried, and why), within a per-client limit.
      if (err instanceof HttpError) await auditRefusal(req, "replay", err, async (entry) => writeAudit(await rt.store, entry));
      throw err;
    }
    const body = await parseBody(replayBody, req);
    try {
      const results = await replayRecords(await rt.store, rt.config.kafka, body.records, {
        actor,
        force: body.force,
        dryRun: body.dryRun,
        maxCycles: rt.config.replayMaxCycles,
        targets: replayTargets(rt.config),
        allowTargets: body.allowTargets,
      });
      return json({ results });
    } catch (err) {
      if (err instanceof ReplayInputError) throw new HttpError(err.status, err.message);
      throw err;
    }
  });
}
