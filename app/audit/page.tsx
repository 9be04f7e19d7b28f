import { AuditView } from "@/components/auth/audit-view";

export default function AuditPage() {
  return (
    <main className="page">
      <h1>Audit log</h1>
      <AuditView />
    </main>
  );
}
