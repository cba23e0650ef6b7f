/** The frame of the settings forms: a titled card with its error banner, so each form lists only its fields. */
import { type FormEvent, type ReactNode, useId } from "react";

interface FormCardProps {
  title: string;
  /** `{testId}` on the form, `{testId}-error` on the error banner. */
  testId: string;
  error: string | null;
  onSubmit: (event: FormEvent) => Promise<void>;
  autoComplete?: "on" | "off";
  children: ReactNode;
}

export function FormCard({ title, testId, error, onSubmit, autoComplete, children }: FormCardProps) {
  const titleId = useId();
  return (
    <form
      className="card form-card"
      onSubmit={(event) => void onSubmit(event)}
      aria-labelledby={titleId}
      data-testid={testId}
      {...(autoComplete ? { autoComplete } : {})}
    >
      <h2 id={titleId}>{title}</h2>
      {error ? (
        <div className="banner error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </div>
      ) : null}
      {children}
    </form>
  );
}
