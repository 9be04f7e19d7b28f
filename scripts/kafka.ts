// `npm run kafka`: a local single-node broker on 127.0.0.1:9092 (KAFKA_PORT to change),
// data kept under FLOWTAP_DATA_DIR/kafka. Ctrl-C stops it.
import { join } from "node:path";
import { startKafka } from "./lib/kafka-broker";

async function main(): Promise<void> {
  const port = Number(process.env.KAFKA_PORT ?? 9092);
  const dataDir = join(process.env.FLOWTAP_DATA_DIR ?? ".flowtap", "kafka");
  const logFile = join(dataDir, "broker.log");
  const broker = await startKafka({ port, dataDir, logFile });
  console.log(`Kafka broker ready on ${broker.brokers} (data in ${dataDir}, log in ${logFile}). Ctrl-C stops it.`);
  const stop = () => void broker.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  broker.process.once("exit", (code) => {
    console.error(`Kafka broker exited (${code ?? "signal"}); see ${logFile}`);
    process.exit(1);
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
