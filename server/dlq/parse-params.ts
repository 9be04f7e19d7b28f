import "server-only";
import type { z } from "zod";
import { HttpError } from "../http/respond";

/**
 * A route's path parameters (Next.js hands them over URL-decoded), parsed the way parseQuery
 * parses the query string: a bad one is a 400 that names it.
 */
export async function parseParams<S extends z.ZodType>(schema: S, params: Promise<unknown>): Promise<z.infer<S>> {
  const parsed = schema.safeParse(await params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HttpError(400, `${issue.path.join(".")}: ${issue.message}`);
  }
  return parsed.data;
}
