CREATE TABLE "lag_rollups" (
	"group_id" text NOT NULL,
	"topic" text NOT NULL,
	"partition" integer NOT NULL,
	"bucket" timestamp with time zone NOT NULL,
	"lag" bigint,
	"time_lag_s" integer,
	CONSTRAINT "lag_rollups_group_id_topic_partition_bucket_pk" PRIMARY KEY("group_id","topic","partition","bucket")
);
--> statement-breakpoint
CREATE INDEX "lag_rollups_bucket_idx" ON "lag_rollups" USING btree ("bucket");