// Progress on stderr for long commands: a live bar when stderr is a terminal; for large jobs whose
// stderr is piped or redirected, one plain line every few seconds; otherwise nothing. stdout is
// never touched, so piped output stays clean.
import { SingleBar } from "cli-progress";

export interface Progress {
  /** Reports `done` of `total` in `unit` for the current phase (a new phase restarts the bar). */
  update(phase: string, done: number, total: number, unit: string): void;
  stop(): void;
}

const SILENT: Progress = { update() {}, stop() {} };

export function progressOnStderr(options: { large: boolean }): Progress {
  const stream = process.stderr;
  if (!stream.isTTY && !options.large) return SILENT;
  const bar = new SingleBar({
    stream,
    format: "{phase} [{bar}] {percentage}% | {value}/{total} {unit} | {duration_formatted}",
    barsize: 30,
    hideCursor: stream.isTTY ? true : null,
    clearOnComplete: true,
    noTTYOutput: !stream.isTTY,
    notTTYSchedule: 5000,
    etaBuffer: 50,
  });
  let phase: string | undefined;
  return {
    update(name, done, total, unit) {
      if (phase !== name) {
        if (phase !== undefined) bar.stop();
        phase = name;
        bar.start(total, done, { phase: name, unit });
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      if (phase !== undefined) bar.stop();
      phase = undefined;
    },
  };
}
