// Input schemas of the HTTP API; route handlers parse with them, client hooks take their types.
import { z } from "zod";

// Messages name no parameter: the route prefixes the parameter's name.
const text = (max: number) =>
  z
    .string({ error: "is required" })
    .transform((s) => s.trim())
    .pipe(z.string().min(1, "must not be empty").max(max, `is longer than ${max} characters`));

export const searchQuery = z.object({ q: text(10_000) });

export const flowsQuery = z.object({
  limit: z.coerce.number({ error: "limit must be a number" }).int().min(1).max(500).default(50),
  before: z.string().max(1000).optional(),
  status: z.enum(["all", "dlq", "stuck", "completed", "open"]).default("all"),
});

export const correlationIdParam = text(10_000);

export type SearchQuery = z.infer<typeof searchQuery>;
export type FlowsQuery = z.infer<typeof flowsQuery>;
