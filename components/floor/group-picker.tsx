"use client";

import styles from "./floor.module.css";

export type WorkCenterOption = { id: number; code: string; name: string };
export type GroupChoice = number | "all";

/** Planners, managers and admins choose which work-center group the floor shows; big, touchable. */
export function GroupPicker({
  workCenters,
  value,
  onChange,
}: {
  workCenters: readonly WorkCenterOption[];
  value: GroupChoice;
  onChange: (value: GroupChoice) => void;
}) {
  const options: { value: GroupChoice; label: string }[] = [
    { value: "all", label: "All groups" },
    ...workCenters.map((wc) => ({ value: wc.id, label: wc.name })),
  ];
  return (
    <fieldset className={styles.groupPicker}>
      <legend className="visually-hidden">Work-center group</legend>
      {options.map((option) => (
        <button
          key={String(option.value)}
          type="button"
          className={styles.groupOption}
          aria-pressed={value === option.value}
          onClick={() => onChange(option.value)}
        >
          {option.label}
        </button>
      ))}
    </fieldset>
  );
}
