CREATE TABLE "tap_quarantine" (
	"topic" text NOT NULL,
	"partition" integer NOT NULL,
	"offset" bigint NOT NULL,
	"reason" text NOT NULL,
	"size" integer NOT NULL,
	"quarantined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tap_quarantine_topic_partition_offset_pk" PRIMARY KEY("topic","partition","offset")
);
--> statement-breakpoint
ALTER TABLE "flows" ALTER COLUMN "events" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "lag_rollups" ALTER COLUMN "time_lag_s" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "lag_samples" ALTER COLUMN "time_lag_s" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "anomalies" json;--> statement-breakpoint
ALTER TABLE "tap_instances" ADD COLUMN "group_lag" bigint;--> statement-breakpoint
ALTER TABLE "tap_instances" ADD COLUMN "lag_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tap_instances" ADD COLUMN "last_progress_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "tap_quarantine_at_idx" ON "tap_quarantine" USING btree ("quarantined_at");--> statement-breakpoint
CREATE INDEX "events_degraded_idx" ON "events" USING btree ("indexed_at") WHERE "events"."anomalies" IS NOT NULL;