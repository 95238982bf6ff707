// Part 2 of the random differential suite (see random-programs.ts); the parts run in parallel.
import { defineParityPart } from "./random-programs.js";

defineParityPart(2);
