import { Suspense } from "react";
import { SignInForm } from "@/components/auth/sign-in-form";

export default function SignInPage() {
  return (
    <main className="page narrow">
      <Suspense>
        <SignInForm />
      </Suspense>
    </main>
  );
}
