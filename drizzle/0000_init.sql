CREATE TABLE "events" (
	"topic" text NOT NULL,
	"partition" integer NOT NULL,
	"offset" bigint NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"indexed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"key" text,
	"key_binary" boolean DEFAULT false NOT NULL,
	"correlation_id" text,
	"correlation_from_trace" boolean DEFAULT false NOT NULL,
	"trace_id" text,
	"causation_id" text,
	"event_id" text,
	"event_type" text,
	"event_version" text,
	"service" text,
	"headers" jsonb NOT NULL,
	"value_kind" text NOT NULL,
	"value" jsonb,
	"value_truncated" boolean DEFAULT false NOT NULL,
	"size" integer NOT NULL,
	"tombstone" boolean DEFAULT false NOT NULL,
	"is_dlq" boolean DEFAULT false NOT NULL,
	"dlq_family" text,
	"dlq_source_topic" text,
	"dlq_source_partition" integer,
	"dlq_source_offset" bigint,
	"dlq_error_class" text,
	"dlq_error_message" text,
	"dlq_stacktrace" text,
	"dlq_failed_group" text,
	"dlq_attempts" integer,
	CONSTRAINT "events_topic_partition_offset_pk" PRIMARY KEY("topic","partition","offset")
);
--> statement-breakpoint
CREATE TABLE "flows" (
	"correlation_id" text PRIMARY KEY NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"events" integer NOT NULL,
	"services" text[] DEFAULT '{}'::text[] NOT NULL,
	"has_dlq" boolean DEFAULT false NOT NULL,
	"completed" boolean DEFAULT false NOT NULL,
	"from_trace" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tap_instances" (
	"instance_id" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"heartbeat_at" timestamp with time zone NOT NULL,
	"partitions" integer DEFAULT 0 NOT NULL,
	"topics" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"indexed" bigint DEFAULT 0 NOT NULL,
	"last_indexed_at" timestamp with time zone,
	"last_error" text,
	"state" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lag_samples" (
	"group_id" text NOT NULL,
	"topic" text NOT NULL,
	"partition" integer NOT NULL,
	"t" timestamp with time zone NOT NULL,
	"committed" bigint,
	"end_offset" bigint NOT NULL,
	"lag" bigint,
	"time_lag_s" integer,
	"status" text NOT NULL,
	CONSTRAINT "lag_samples_group_id_topic_partition_t_pk" PRIMARY KEY("group_id","topic","partition","t")
);
--> statement-breakpoint
CREATE TABLE "offset_samples" (
	"topic" text NOT NULL,
	"partition" integer NOT NULL,
	"t" timestamp with time zone NOT NULL,
	"end_offset" bigint NOT NULL,
	"start_offset" bigint,
	CONSTRAINT "offset_samples_topic_partition_t_pk" PRIMARY KEY("topic","partition","t")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"outcome" text NOT NULL,
	"detail" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "replays" (
	"replay_id" text PRIMARY KEY NOT NULL,
	"dlq_topic" text NOT NULL,
	"dlq_partition" integer NOT NULL,
	"dlq_offset" bigint NOT NULL,
	"attempt" integer NOT NULL,
	"status" text NOT NULL,
	"forced" boolean DEFAULT false NOT NULL,
	"target_topic" text,
	"target_partition" integer,
	"target_offset" bigint,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	"error" text
);
--> statement-breakpoint
CREATE INDEX "events_correlation_idx" ON "events" USING btree ("correlation_id","ts") WHERE "events"."correlation_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "events_event_id_idx" ON "events" USING btree ("event_id") WHERE "events"."event_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "events_trace_id_idx" ON "events" USING btree ("trace_id") WHERE "events"."trace_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "events_key_idx" ON "events" USING btree ("key") WHERE "events"."key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "events_indexed_at_idx" ON "events" USING btree ("indexed_at");--> statement-breakpoint
CREATE INDEX "events_dlq_idx" ON "events" USING btree ("topic","ts") WHERE "events"."is_dlq";--> statement-breakpoint
CREATE INDEX "flows_last_seen_idx" ON "flows" USING btree ("last_seen","correlation_id");--> statement-breakpoint
CREATE INDEX "lag_samples_t_idx" ON "lag_samples" USING btree ("t");--> statement-breakpoint
CREATE INDEX "offset_samples_t_idx" ON "offset_samples" USING btree ("t");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "replays_record_attempt_idx" ON "replays" USING btree ("dlq_topic","dlq_partition","dlq_offset","attempt");--> statement-breakpoint
CREATE INDEX "replays_pending_idx" ON "replays" USING btree ("requested_at") WHERE "replays"."status" = 'pending';