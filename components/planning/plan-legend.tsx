import styles from "./planning.module.css";

/** What the colours and marks on the bars mean. */
export function PlanLegend() {
  return (
    <ul className={styles.legend} aria-label="Legend">
      <li>
        <span className={`${styles.swatch} ${styles.priority1}`} /> Priority 1
      </li>
      <li>
        <span className={`${styles.swatch} ${styles.priority3}`} /> Priority 3
      </li>
      <li>
        <span className={`${styles.swatch} ${styles.priority5}`} /> Priority 5
      </li>
      <li>
        <span className={`${styles.swatch} ${styles.priority3} ${styles.barRunning}`} /> Running
      </li>
      <li>
        <span className={`${styles.swatch} ${styles.priority3} ${styles.barLate}`} /> Ends after its due date (dashed:
        when due)
      </li>
      <li>
        <span className={`${styles.swatch} ${styles.priority3} ${styles.barMoved}`} /> Moved in the last 15 min
      </li>
      <li>
        <span className={`${styles.swatch} ${styles.priority3} ${styles.barOnDown}`} /> On a stopped machine
      </li>
    </ul>
  );
}
