import { describeBackendConformance } from "./backend-conformance.js";
import { openMemoryBackend } from "../../runtime/online/memory-backend.js";

// `memory:NAME` is shared by every opener in the process, as a server-backed store is between processes.
describeBackendConformance("memory", (prefix) => openMemoryBackend("memory:conformance", { prefix }));
