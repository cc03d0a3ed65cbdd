import { Spinner } from "./risk-level-badge";

type Props = { supplierName: string; pending: boolean; onClick: () => void; small?: boolean };

/** Asks for a fresh assessment; while one is on its way it spins and cannot be pressed again. */
export function ReassessButton({ supplierName, pending, onClick, small }: Props) {
  return (
    <button
      type="button"
      className={`button button-secondary${small ? " button-small" : ""}`}
      disabled={pending}
      aria-busy={pending}
      aria-label={pending ? `Assessing… ${supplierName}` : `Reassess now: ${supplierName}`}
      data-pending={pending ? "true" : undefined}
      onClick={onClick}
    >
      {pending ? (
        <>
          <Spinner /> Assessing…
        </>
      ) : (
        "Reassess now"
      )}
    </button>
  );
}
