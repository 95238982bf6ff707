// A small project, its events and entity rows, with every expected feature value worked out by
// hand from LANGUAGE.md's point-in-time rules (see the comments), for the CLI end-to-end tests.

export const PROJECT_FEAT = `
entity machine {
  key machine_id: string
}

source readings {
  timestamp event_timestamp
  order seq

  machine_id: string
  seq: int
  value: float
  ok: bool
  note: string?
}

features machine_stats for machine from readings {
  ttl 1d

  value_now = value
  ok_now = ok
  note_now = note
  n_1h: int = count() over 1h
  mean_2 = mean(value) over last 2
  seen_at: timestamp = event_timestamp
}
`;

// seq 1 and 2 are the same instant (one written with an offset): seq 2 wins by the order column.
export const READINGS_CSV = `machine_id,seq,value,ok,note,event_timestamp,site
M1,1,10,true,a,2025-11-01T00:00:00Z,x
M1,2,20,false,,2025-11-01T01:00:00+01:00,x
M1,3,40,1,c,2025-11-01T00:30:00Z,x
M2,1,5.5,0,d,2025-11-01T00:10:00Z,y
M1,4,80,true,,2025-11-03T00:00:00Z,x
`;

export const ENTITIES_CSV = `label,machine_id,event_timestamp,weight
yes,M1,2025-11-01T00:00:00Z,1
no,M1,2025-11-01T02:29:59.999+02:00,2
yes,M1,2025-11-01T01:00:00Z,
yes,M1,2025-11-01T01:00:00Z,
x,M1,2025-11-02T00:30:00Z,3
x,M1,2025-11-02T00:30:00.001Z,3
z,M2,2025-11-01T00:10:00Z,
z,M9,2025-11-01T00:10:00Z,
z,M1,2025-10-31T23:59:59.999Z,
`;

export const FEATURES = ["value_now", "ok_now", "note_now", "n_1h", "mean_2", "seen_at"] as const;

const at = (iso: string) => new Date(iso);
const NULLS = { value_now: null, ok_now: null, note_now: null, n_1h: null, mean_2: null, seen_at: null };

/** The expected training set, typed (timestamps as Date). */
export const EXPECTED = [
  // T = 00:00: seq 1 and 2 are at T; the latest is seq 2. (T-1h, T] holds both. Last 2: 10, 20.
  { label: "yes", machine_id: "M1", event_timestamp: at("2025-11-01T00:00:00.000Z"), weight: "1",
    value_now: 20, ok_now: false, note_now: null, n_1h: 2, mean_2: 15, seen_at: at("2025-11-01T00:00:00.000Z") },
  // T = 00:29:59.999Z, written with +02:00: still before seq 3.
  { label: "no", machine_id: "M1", event_timestamp: at("2025-11-01T00:29:59.999Z"), weight: "2",
    value_now: 20, ok_now: false, note_now: null, n_1h: 2, mean_2: 15, seen_at: at("2025-11-01T00:00:00.000Z") },
  // T = 01:00: latest seq 3 (00:30). (00:00, 01:00] excludes the events at exactly T - 1h. Last 2: 20, 40.
  { label: "yes", machine_id: "M1", event_timestamp: at("2025-11-01T01:00:00.000Z"), weight: "",
    value_now: 40, ok_now: true, note_now: "c", n_1h: 1, mean_2: 30, seen_at: at("2025-11-01T00:30:00.000Z") },
  // a duplicate entity row gets its own output row
  { label: "yes", machine_id: "M1", event_timestamp: at("2025-11-01T01:00:00.000Z"), weight: "",
    value_now: 40, ok_now: true, note_now: "c", n_1h: 1, mean_2: 30, seen_at: at("2025-11-01T00:30:00.000Z") },
  // the latest event is exactly T - ttl: still used (inclusive); nothing in the last hour
  { label: "x", machine_id: "M1", event_timestamp: at("2025-11-02T00:30:00.000Z"), weight: "3",
    value_now: 40, ok_now: true, note_now: "c", n_1h: 0, mean_2: 30, seen_at: at("2025-11-01T00:30:00.000Z") },
  // one millisecond later it is older than the ttl: every feature null, the count too
  { label: "x", machine_id: "M1", event_timestamp: at("2025-11-02T00:30:00.001Z"), weight: "3", ...NULLS },
  { label: "z", machine_id: "M2", event_timestamp: at("2025-11-01T00:10:00.000Z"), weight: "",
    value_now: 5.5, ok_now: false, note_now: "d", n_1h: 1, mean_2: 5.5, seen_at: at("2025-11-01T00:10:00.000Z") },
  // a key without events, and a time before the first event: nulls
  { label: "z", machine_id: "M9", event_timestamp: at("2025-11-01T00:10:00.000Z"), weight: "", ...NULLS },
  { label: "z", machine_id: "M1", event_timestamp: at("2025-10-31T23:59:59.999Z"), weight: "", ...NULLS },
];

export const COLUMNS = ["label", "machine_id", "event_timestamp", "weight", ...FEATURES];

export { featc } from "../helpers/run-featc.js";
