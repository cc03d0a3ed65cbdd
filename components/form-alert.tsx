import type { Ref } from "react";
import type { FormMessage } from "./reserve-outcome";

/** A dialog's message after a failed submission; focused so that screen readers announce it. */
export function FormAlert({ message, ref }: { message: FormMessage; ref?: Ref<HTMLDivElement> }) {
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="alert"
      className={`alert ${message.tone === "error" ? "alert-error" : "alert-warning"}`}
    >
      <p className="alert-title">{message.title}</p>
      {message.details?.length ? (
        <ul>
          {message.details.map((detail) => (
            <li key={detail}>{detail}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
