CREATE TABLE "lag_events" (
	"group_id" text NOT NULL,
	"t" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"detail" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lag_groups" (
	"group_id" text PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"members" integer NOT NULL,
	"assignments" jsonb NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"partitions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sampled_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "lag_events_group_t_idx" ON "lag_events" USING btree ("group_id","t");