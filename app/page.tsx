export default function Home() {
  return (
    <main>
      <h1>Flowtap</h1>
      <p>
        The index answers on <code>/api/search?q=…</code>, <code>/api/flows</code> and <code>/api/health</code>.
      </p>
    </main>
  );
}
