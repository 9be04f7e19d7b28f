"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { ApiError } from "@/components/api";

// A 4xx will not change on retry; a 5xx or a dropped connection might.
function retry(failures: number, err: unknown): boolean {
  if (err instanceof ApiError && err.status >= 400 && err.status < 500) return false;
  return failures < 2;
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false, retry, staleTime: 2_000 } } }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
