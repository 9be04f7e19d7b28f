import Link from "next/link";

export default function NotFound() {
  return (
    <main className="page">
      <div className="state">
        <h1>No such page</h1>
        <p>
          Flowtap has a home page with search and recent flows, and a page per flow at <code>/flows/&lt;correlation ID&gt;</code>.
        </p>
        <p>
          <Link href="/">Go to recent flows</Link>
        </p>
      </div>
    </main>
  );
}
