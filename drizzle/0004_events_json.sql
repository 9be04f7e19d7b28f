ALTER TABLE "events" ALTER COLUMN "headers" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "value" SET DATA TYPE json;