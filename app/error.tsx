"use client";
// A render error on a page: say so and offer a retry instead of a blank screen.
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="page">
      <div className="state" role="alert">
        <h1>This page failed to render</h1>
        <p className="error-box">{error.message || "Unknown error"}</p>
        {error.digest && <p className="muted small">Server log reference: {error.digest}</p>}
        <p>
          <button type="button" onClick={reset}>
            Try again
          </button>{" "}
          <a href="/">Go to recent flows</a>
        </p>
      </div>
    </main>
  );
}
