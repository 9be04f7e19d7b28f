// Not a test: the bulk replay a test kills. Replays REPLAY_TOPIC offsets 0..REPLAY_COUNT-1 in
// chunks, as the UI would, until it is killed or done.
import { parseConfig } from "../../server/config";
import { openStore } from "../../server/db/client";
import { replayRecords } from "../../server/replay/replay-records";
import { replayTargets } from "../../server/replay/targets";

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const topic = process.env.REPLAY_TOPIC!;
  const count = Number(process.env.REPLAY_COUNT);
  for (let i = 0; i < count; i += 50) {
    const refs = Array.from({ length: Math.min(50, count - i) }, (_, k) => ({ topic, partition: 0, offset: String(i + k) }));
    await replayRecords(store, config.kafka, refs, { actor: "worker", force: false, dryRun: false, maxCycles: 3, targets: replayTargets(config) });
  }
  await store.close();
}

void main();
