ALTER TABLE "flowmap_pending" DROP CONSTRAINT "flowmap_pending_pk";--> statement-breakpoint
-- A queue: every row is deleted within a pass or two. Vacuumed like one (after 10,000 dead rows,
-- not 20 % of a table that is empty between bursts), so a catch-up's dead rows do not stay for the
-- queue's count and the pass's scans to walk (server/flowmap/queued.ts).
ALTER TABLE "flowmap_pending" SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000);
