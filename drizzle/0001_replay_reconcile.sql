ALTER TABLE "replays" ADD COLUMN "target_floor" bigint;--> statement-breakpoint
ALTER TABLE "replays" ADD COLUMN "cycle" integer DEFAULT 1 NOT NULL;