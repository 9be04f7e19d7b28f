CREATE TABLE "topic_partitions" (
	"topic" text NOT NULL,
	"partition" integer NOT NULL,
	"records" bigint DEFAULT 0 NOT NULL,
	"oldest_offset" bigint,
	"newest_offset" bigint,
	"oldest_ts" timestamp with time zone,
	"newest_ts" timestamp with time zone,
	"is_dlq" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "topic_partitions_topic_partition_pk" PRIMARY KEY("topic","partition")
);
--> statement-breakpoint
CREATE TABLE "flowmap_flows" (
	"grain" integer NOT NULL,
	"t" timestamp with time zone NOT NULL,
	"flow_type" text NOT NULL,
	"flows" bigint DEFAULT 0 NOT NULL,
	"completed" bigint DEFAULT 0 NOT NULL,
	"dlq" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "flowmap_flows_pk" PRIMARY KEY("grain","t","flow_type")
);
--> statement-breakpoint
CREATE TABLE "flowmap_members" (
	"correlation_id" text PRIMARY KEY NOT NULL,
	"flow_type" text NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"last_service" text NOT NULL,
	"last_event_type" text NOT NULL,
	"status" text NOT NULL,
	"variant" text NOT NULL,
	"path" text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flowmap_pending" (
	"topic" text NOT NULL,
	"partition" integer NOT NULL,
	"offset" bigint NOT NULL,
	"correlation_id" text NOT NULL,
	CONSTRAINT "flowmap_pending_pk" PRIMARY KEY("topic","partition","offset")
);
--> statement-breakpoint
CREATE TABLE "flowmap_steps" (
	"grain" integer NOT NULL,
	"t" timestamp with time zone NOT NULL,
	"flow_type" text NOT NULL,
	"service" text NOT NULL,
	"event_type" text NOT NULL,
	"flows" bigint DEFAULT 0 NOT NULL,
	"events" bigint DEFAULT 0 NOT NULL,
	"dlq" bigint DEFAULT 0 NOT NULL,
	"duplicates" bigint DEFAULT 0 NOT NULL,
	"out_of_order" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "flowmap_steps_pk" PRIMARY KEY("grain","t","flow_type","service","event_type")
);
--> statement-breakpoint
CREATE TABLE "flowmap_stops" (
	"grain" integer NOT NULL,
	"t" timestamp with time zone NOT NULL,
	"flow_type" text NOT NULL,
	"service" text NOT NULL,
	"event_type" text NOT NULL,
	"status" text NOT NULL,
	"flows" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "flowmap_stops_pk" PRIMARY KEY("grain","t","flow_type","service","event_type","status")
);
--> statement-breakpoint
CREATE TABLE "flowmap_transitions" (
	"grain" integer NOT NULL,
	"t" timestamp with time zone NOT NULL,
	"flow_type" text NOT NULL,
	"from_service" text NOT NULL,
	"from_event_type" text NOT NULL,
	"to_service" text NOT NULL,
	"to_event_type" text NOT NULL,
	"bucket" smallint NOT NULL,
	"flows" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "flowmap_transitions_pk" PRIMARY KEY("grain","t","flow_type","from_service","from_event_type","to_service","to_event_type","bucket")
);
--> statement-breakpoint
CREATE TABLE "flowmap_variants" (
	"grain" integer NOT NULL,
	"t" timestamp with time zone NOT NULL,
	"flow_type" text NOT NULL,
	"variant" text NOT NULL,
	"steps" json NOT NULL,
	"flows" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "flowmap_variants_pk" PRIMARY KEY("grain","t","flow_type","variant")
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "encoding" json;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "decode_error" text;--> statement-breakpoint
CREATE INDEX "flowmap_members_type_idx" ON "flowmap_members" USING btree ("flow_type","last_seen");--> statement-breakpoint
CREATE INDEX "flowmap_members_last_seen_idx" ON "flowmap_members" USING btree ("last_seen");--> statement-breakpoint
CREATE INDEX "flowmap_pending_flow_idx" ON "flowmap_pending" USING btree ("correlation_id");--> statement-breakpoint
CREATE INDEX "events_topic_ts_idx" ON "events" USING btree ("topic","ts","partition","offset");--> statement-breakpoint
-- Hand-written (not generated): topic_partitions starts from what an existing install has already
-- indexed; from here on the tap and retention keep it in the statements that insert and delete events.
INSERT INTO "topic_partitions" ("topic", "partition", "records", "oldest_offset", "newest_offset", "oldest_ts", "newest_ts", "is_dlq")
SELECT "topic", "partition", count(*), min("offset"), max("offset"), min("ts"), max("ts"), bool_or("is_dlq") FROM "events" GROUP BY 1, 2;
