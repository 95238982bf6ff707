// The Lua script that merges deltas into states stored in Redis hashes, atomically per script call.
// It computes exactly `mergeEntityState` (./state.ts) on the text form of ./state-text.ts:
//   latest/extremes  the greater (max) or lesser (min) entry by (key, payload), compared BYTE BY BYTE
//                    (Lua's `<` on strings uses strcoll, which depends on the server's locale);
//                    the stored entry wins ties, as in the reference;
//   sums             Shewchuk's grow-expansion step, a line-by-line port of `addToExpansion`; Lua numbers
//                    are IEEE doubles, terms are read with tonumber (strtod, correctly rounded) and
//                    written with "%.17g", so no bit is lost;
//   log              a stable merge of two sorted logs (stored entries first on ties), then pruned by
//                    `prunedPrefix`'s binary search.
// KEYS[i] is a state's hash (fields l, x, s, g: latest, extremes, sums, log). ARGV[1] holds every
// update, in KEYS order, as five fields each followed by a tab: the layout (`layoutText`) and the
// delta's four fields (none of which contains a tab). One argument instead of five per update keeps
// the client's and the server's per-argument work out of the way. Returns the number of states merged.
export const MERGE_SCRIPT = `
local byte, sub, find, gmatch, match, format, concat = string.byte, string.sub, string.find, string.gmatch, string.match, string.format, table.concat
local abs, floor = math.abs, math.floor
local INF = math.huge

local function compare(a, b)
  if a == b then return 0 end
  local la, lb = #a, #b
  local n = la
  if lb < n then n = lb end
  local i = 1
  while i + 15 <= n and sub(a, i, i + 15) == sub(b, i, i + 15) do i = i + 16 end
  while i <= n do
    local x, y = byte(a, i), byte(b, i)
    if x ~= y then
      if x < y then return -1 end
      return 1
    end
    i = i + 1
  end
  if la < lb then return -1 end
  return 1
end

local function num(t)
  local x = tonumber(t)
  if x then return x end
  if t == "inf" then return INF end
  if t == "-inf" then return -INF end
  if t == "nan" or t == "-nan" then return 0 / 0 end
  error("corrupt online state: " .. t .. " is not a number")
end

local function text(x)
  if x ~= x then return "nan" end
  if x == INF then return "inf" end
  if x == -INF then return "-inf" end
  return format("%.17g", x)
end

local function finite(x) return x == x and x ~= INF and x ~= -INF end

-- An entry is "TS KEY PAYLOAD"; its order text "KEY PAYLOAD" sorts byte-wise as (key, payload).
local function orderOf(e) return sub(e, find(e, " ", 1, true) + 1) end
local function tsOf(e) return num(sub(e, 1, find(e, " ", 1, true) - 1)) end

-- addToExpansion: adds x into the expansion p[1..n]; returns its new length.
local function grow(p, n, x)
  if n == 1 and not finite(p[1]) then
    p[1] = p[1] + x
    return 1
  end
  local kept = 0
  for j = 1, n do
    local y = p[j]
    if abs(x) < abs(y) then x, y = y, x end
    local hi = x + y
    if not finite(hi) then
      p[1] = hi
      return 1
    end
    local lo = y - (hi - x)
    if lo ~= 0 then
      kept = kept + 1
      p[kept] = lo
    end
    x = hi
  end
  kept = kept + 1
  p[kept] = x
  return kept
end

local function mergeSum(s, d)
  if d == "" then return s end
  if s == "" then return d end
  local p, n = {}, 0
  for t in gmatch(s, "[^,]+") do
    n = n + 1
    p[n] = num(t)
  end
  for t in gmatch(d, "[^,]+") do n = grow(p, n, num(t)) end
  local out = {}
  for i = 1, n do out[i] = text(p[i]) end
  return concat(out, ",")
end

local function mergeSums(s, d)
  if not find(d, "[^;]") then return s end
  local slots, i = {}, 0
  for t in gmatch(s, "([^;]*);") do
    i = i + 1
    slots[i] = t
  end
  i = 0
  for t in gmatch(d, "([^;]*);") do
    i = i + 1
    slots[i] = mergeSum(slots[i] or "", t)
  end
  return concat(slots, ";") .. ";"
end

local function mergeExtremes(s, d, dirs)
  if not find(d, "[^\\n]") then return s end
  local slots, i = {}, 0
  for e in gmatch(s, "([^\\n]*)\\n") do
    i = i + 1
    slots[i] = e
  end
  i = 0
  for e in gmatch(d, "([^\\n]*)\\n") do
    i = i + 1
    if e ~= "" then
      local kept = slots[i]
      if kept == nil or kept == "" then
        slots[i] = e
      else
        local c = compare(orderOf(e), orderOf(kept))
        local dir = sub(dirs, i, i)
        if (dir == "M" and c > 0) or (dir == "m" and c < 0) then slots[i] = e end
      end
    end
  end
  return concat(slots, "\\n") .. "\\n"
end

local function parseLog(g, raw, ord, ts)
  local n = 0
  for whole, t, o in gmatch(g, "(([^ \\n]*) ([^\\n]*))\\n") do
    n = n + 1
    raw[n] = whole
    ts[n] = t
    ord[n] = o
  end
  return n
end

-- The merged log's text; latestTs is the merged latest's time (nil: no latest, no pruning).
local function mergeLog(sg, dg, latestTs, keepLast, keepWithin)
  if sg == "" and dg == "" then return "" end
  local sraw, sord, sts = {}, {}, {}
  local ns = parseLog(sg, sraw, sord, sts)
  local draw, dord, dts = {}, {}, {}
  local nd = parseLog(dg, draw, dord, dts)
  local raw, ts, n
  if nd == 0 then
    raw, ts, n = sraw, sts, ns
  elseif ns == 0 then
    raw, ts, n = draw, dts, nd
  elseif compare(sord[ns], dord[1]) <= 0 then
    raw, ts, n = sraw, sts, ns
    for j = 1, nd do
      n = n + 1
      raw[n] = draw[j]
      ts[n] = dts[j]
    end
  else
    raw, ts, n = {}, {}, 0
    local i, j = 1, 1
    while i <= ns and j <= nd do
      n = n + 1
      if compare(sord[i], dord[j]) <= 0 then
        raw[n], ts[n] = sraw[i], sts[i]
        i = i + 1
      else
        raw[n], ts[n] = draw[j], dts[j]
        j = j + 1
      end
    end
    while i <= ns do
      n = n + 1
      raw[n], ts[n] = sraw[i], sts[i]
      i = i + 1
    end
    while j <= nd do
      n = n + 1
      raw[n], ts[n] = draw[j], dts[j]
      j = j + 1
    end
  end
  local drop = 0
  if latestTs ~= nil then
    local byCount = n - keepLast
    if byCount > 0 then
      if keepWithin <= 0 then
        drop = byCount
      else
        local cutoff = latestTs - keepWithin
        local lo, hi = 0, byCount
        while lo < hi do
          local mid = floor((lo + hi) / 2)
          if num(ts[mid + 1]) > cutoff then hi = mid else lo = mid + 1 end
        end
        drop = lo
      end
    end
  end
  if drop == 0 then
    if nd == 0 then return sg end
    if ns == 0 then return dg end
  end
  if drop >= n then return "" end
  return concat(raw, "\\n", drop + 1, n) .. "\\n"
end

local updates = ARGV[1]
local at = 1
local function field()
  local tab = find(updates, "\t", at, true)
  if not tab then error("featc merge: truncated update list") end
  local value = sub(updates, at, tab - 1)
  at = tab + 1
  return value
end

local layouts = {}
for k = 1, #KEYS do
  local key = KEYS[k]
  local lt = field()
  local layout = layouts[lt]
  if not layout then
    local dirs, keepLast, keepWithin = match(lt, "^(%a*) (%S+) (%S+)$")
    if not dirs then error("featc merge: bad layout " .. lt) end
    layout = { dirs, num(keepLast), num(keepWithin) }
    layouts[lt] = layout
  end
  local dl = field()
  local dx = field()
  local ds = field()
  local dg = field()
  local cur = redis.call("HMGET", key, "l", "x", "s", "g")
  if not cur[1] then
    local latestTs = nil
    if dl ~= "" then latestTs = tsOf(dl) end
    redis.call("HSET", key, "l", dl, "x", dx, "s", ds, "g", mergeLog("", dg, latestTs, layout[2], layout[3]))
  else
    local sl, sx, ss, sg = cur[1], cur[2] or "", cur[3] or "", cur[4] or ""
    local nl = sl
    if dl ~= "" and (sl == "" or compare(orderOf(dl), orderOf(sl)) > 0) then nl = dl end
    local latestTs = nil
    if nl ~= "" then latestTs = tsOf(nl) end
    local nx = mergeExtremes(sx, dx, layout[1])
    local ns = mergeSums(ss, ds)
    local ng = mergeLog(sg, dg, latestTs, layout[2], layout[3])
    local changes = {}
    if nl ~= sl then table.insert(changes, "l"); table.insert(changes, nl) end
    if nx ~= sx then table.insert(changes, "x"); table.insert(changes, nx) end
    if ns ~= ss then table.insert(changes, "s"); table.insert(changes, ns) end
    if ng ~= sg then table.insert(changes, "g"); table.insert(changes, ng) end
    if #changes > 0 then redis.call("HSET", key, unpack(changes)) end
  end
end
return #KEYS
`;
