import { getRuntime } from "@/server/runtime";
import { handle, HttpError, json, parseBody } from "@/server/http/respond";
import { replayBody } from "@/server/http/schemas";
import { identify, requireOperator } from "@/server/auth/authenticate";
import { writeAudit } from "@/server/replay/ledger";
import { replayRecords, ReplayInputError } from "@/server/replay/replay-records";

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const rt = getRuntime();
    let actor: string;
    try {
      actor = (await requireOperator(req)).name;
    } catch (err) {
      // Refused attempts are audited too: who tried, and why it was refused.
      if (err instanceof HttpError) {
        const who = await identify(req).then((c) => c.user?.name ?? "anonymous", () => "unknown");
        await writeAudit(await rt.store, { actor: who, action: "replay", outcome: "refused", detail: { status: err.status, reason: err.message } });
      }
      throw err;
    }
    const body = await parseBody(replayBody, req);
    try {
      const results = await replayRecords(await rt.store, rt.config.kafka, body.records, {
        actor,
        force: body.force,
        dryRun: body.dryRun,
        maxCycles: rt.config.replayMaxCycles,
      });
      return json({ results });
    } catch (err) {
      if (err instanceof ReplayInputError) throw new HttpError(err.status, err.message);
      throw err;
    }
  });
}
