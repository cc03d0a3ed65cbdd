"use client";

import { type CSSProperties, useMemo } from "react";
import { BarTooltip, useBarTooltip } from "./bar-tooltip";
import { PlanBar } from "./plan-bar";
import { isDown, machineStatusWords } from "./plan-format";
import type { PlanView } from "./plan-queries";
import styles from "./planning.module.css";
import { hourTicks, type TimelineBar, type TimeWindow, timelineGroups, xPercent } from "./timeline-layout";
import { useElementWidth } from "./use-element-width";

type Props = {
  plan: PlanView;
  window: TimeWindow;
  now: number;
  /** Orders the planner moved lately: outlined. */
  movedIds: ReadonlySet<number>;
  /** Orders a push just moved: they flash once as they land. */
  justMovedIds: ReadonlySet<number>;
  selectedId: number | null;
  onSelect: (workOrderId: number) => void;
};

/** Room for a tick label: one tick per this many pixels of track at most. */
const pixelsPerTick = 72;

/**
 * The plan as a Gantt chart: a row per machine, grouped by work center, its
 * orders as bars from planned start to planned end, hour ticks above and a
 * line at "now". Bars are placed in percent of the track, so the chart fills
 * whatever width it gets; the track's width in pixels only decides how many
 * ticks fit and how much text a bar can hold.
 */
export function PlanTimeline({ plan, window, now, movedIds, justMovedIds, selectedId, onSelect }: Props) {
  const [axisRef, trackWidth] = useElementWidth<HTMLDivElement>();
  const groups = useMemo(() => timelineGroups(plan), [plan]);
  const ticks = useMemo(
    () => hourTicks(window, Math.max(2, Math.floor((trackWidth || 600) / pixelsPerTick))),
    [window, trackWidth],
  );
  const tooltip = useBarTooltip();
  const nowX = xPercent(now, window);
  const nowShown = nowX >= 0 && nowX <= 100;

  return (
    <div className={styles.chart}>
      <div className={styles.axisRow} aria-hidden="true">
        <div className={styles.corner}>Machine</div>
        <div className={styles.axis} ref={axisRef}>
          {ticks.map((tick) => (
            <span
              key={tick.at}
              className={tick.newDay ? `${styles.tick} ${styles.tickDay}` : styles.tick}
              style={{ left: `${tick.x}%` }}
            >
              {tick.label}
            </span>
          ))}
          {nowShown ? (
            <span className={styles.nowLabel} style={{ left: `${nowX}%` }}>
              now
            </span>
          ) : null}
        </div>
      </div>

      <div className={styles.chartBody}>
        <div className={styles.gridLines} aria-hidden="true">
          {ticks.map((tick) => (
            <span
              key={tick.at}
              className={tick.newDay ? `${styles.gridLine} ${styles.gridLineDay}` : styles.gridLine}
              style={{ left: `${tick.x}%` }}
            />
          ))}
          {nowShown ? <span className={styles.nowLine} style={{ left: `${nowX}%` }} data-testid="now-line" /> : null}
        </div>

        {groups.map((group) => (
          // biome-ignore lint/a11y/useSemanticElements: a labelled group of rows, not a form's fieldset
          <div key={group.workCenter.id} role="group" aria-label={`Work center ${group.workCenter.name}`}>
            <div className={styles.groupHeader}>
              <span>{group.workCenter.name}</span> <code className={styles.groupCode}>{group.workCenter.code}</code>
            </div>
            {group.rows.map(({ machine, bars, lanes }) => (
              // biome-ignore lint/a11y/useSemanticElements: one machine's row of bars
              <div
                key={machine.id}
                role="group"
                aria-label={`${machine.name} (${machine.code}), ${machineStatusWords[machine.status].toLowerCase()}`}
                className={isDown(machine.status) ? `${styles.row} ${styles.rowDown}` : styles.row}
                data-machine-code={machine.code}
                data-status={machine.status}
                style={{ "--lanes": lanes } as CSSProperties}
              >
                <div className={styles.machineLabel}>
                  <span className={styles.machineName} title={machine.name}>
                    {machine.name}
                  </span>
                  <span className={styles.machineMeta}>
                    <code>{machine.code}</code>
                    <span className={`${styles.machineStatus} ${styles[`status_${machine.status}`] ?? ""}`}>
                      {machineStatusWords[machine.status]}
                    </span>
                  </span>
                </div>
                <div className={styles.track}>
                  {bars.map((bar) => (
                    <PlanBar
                      key={bar.order.id}
                      bar={bar}
                      window={window}
                      trackWidth={trackWidth}
                      machineDown={isDown(machine.status)}
                      moved={movedIds.has(bar.order.id)}
                      justMoved={justMovedIds.has(bar.order.id)}
                      selected={selectedId === bar.order.id}
                      onSelect={onSelect}
                      onHover={tooltip.show}
                      onLeave={tooltip.hide}
                    />
                  ))}
                  {bars.map((bar) =>
                    bar.lateMs > 0 ? <DueMark key={`due-${bar.order.id}`} bar={bar} window={window} /> : null,
                  )}
                  {bars.length === 0 ? <span className={styles.emptyTrack}>No orders planned</span> : null}
                </div>
              </div>
            ))}
          </div>
        ))}
      </div>
      <BarTooltip state={tooltip.state} now={now} />
    </div>
  );
}

/** Where a late order was due: a red tick in its lane, so the planner sees how far it overruns. */
function DueMark({ bar, window }: { bar: TimelineBar; window: TimeWindow }) {
  const x = xPercent(Date.parse(bar.order.dueAt), window);
  if (x < 0 || x > 100) return null;
  return (
    <span
      className={styles.dueMark}
      style={{ left: `${x}%`, top: `calc(var(--lane-height) * ${bar.lane} + 1px)` }}
      title={`${bar.order.code} due`}
      aria-hidden="true"
    />
  );
}
