-- JSON encoder and decoder written in Lua.  A deterministic document (objects,
-- arrays, strings with escapes, integers, floats, booleans, null) is encoded,
-- decoded and re-encoded many times; every round trip must reproduce the same
-- text.  Object keys are emitted in sorted order so the text does not depend on
-- table iteration order.
-- usage: json.lua [rounds]   (default 60)
local rounds = tonumber(arg and arg[1]) or 60

local byte, char, sub, find, format = string.byte, string.char, string.sub, string.find, string.format
local concat, sort = table.concat, table.sort

local NULL = setmetatable({}, { __tostring = function() return "null" end })

---------------------------------------------------------------- encoder
local escapes = {
  ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
}
local function escape_char(c)
  return escapes[c] or format("\\u%04x", byte(c))
end

local encode_value

local function encode_string(s, out)
  if find(s, '[%c"\\]') then
    s = s:gsub('[%c"\\]', escape_char)
  end
  out[#out + 1] = '"' .. s .. '"'
end

local function is_array(t)
  local n = #t
  if n > 0 then return true, n end
  return next(t) == nil and getmetatable(t) ~= nil, 0
end

local function encode_table(t, out)
  local arr, n = is_array(t)
  if arr then
    out[#out + 1] = "["
    for i = 1, n do
      if i > 1 then out[#out + 1] = "," end
      encode_value(t[i], out)
    end
    out[#out + 1] = "]"
  else
    local keys = {}
    for k in pairs(t) do keys[#keys + 1] = k end
    sort(keys)
    out[#out + 1] = "{"
    for i = 1, #keys do
      local k = keys[i]
      if i > 1 then out[#out + 1] = "," end
      encode_string(k, out)
      out[#out + 1] = ":"
      encode_value(t[k], out)
    end
    out[#out + 1] = "}"
  end
end

function encode_value(v, out)
  local tv = type(v)
  if tv == "string" then
    encode_string(v, out)
  elseif tv == "number" then
    if math.type(v) == "integer" then out[#out + 1] = format("%d", v)
    else out[#out + 1] = format("%.14g", v) end
  elseif tv == "boolean" then
    out[#out + 1] = v and "true" or "false"
  elseif v == NULL then
    out[#out + 1] = "null"
  elseif tv == "table" then
    encode_table(v, out)
  else
    error("cannot encode a " .. tv)
  end
end

local function encode(v)
  local out = {}
  encode_value(v, out)
  return concat(out)
end

---------------------------------------------------------------- decoder
local B_QUOTE, B_BSLASH, B_LBRACE, B_RBRACE = 34, 92, 123, 125
local B_LBRACK, B_RBRACK, B_COMMA, B_COLON = 91, 93, 44, 58

local decode_value

local function skip_ws(s, i)
  local _, e = find(s, "^[ \n\r\t]*", i)
  return e + 1
end

local unescapes = {
  [34] = '"', [92] = "\\", [47] = "/", [98] = "\b", [102] = "\f",
  [110] = "\n", [114] = "\r", [116] = "\t",
}

local function decode_string(s, i)
  -- s:byte(i) is the opening quote
  local j = i + 1
  local parts = nil
  while true do
    local q = find(s, '["\\]', j)
    if not q then error("unterminated string at " .. i) end
    if byte(s, q) == B_QUOTE then
      if parts then
        parts[#parts + 1] = sub(s, j, q - 1)
        return concat(parts), q + 1
      end
      return sub(s, j, q - 1), q + 1
    end
    parts = parts or {}
    parts[#parts + 1] = sub(s, j, q - 1)
    local e = byte(s, q + 1)
    if e == 117 then -- \uXXXX (only code points < 128 are produced by the encoder)
      local code = tonumber(sub(s, q + 2, q + 5), 16)
      parts[#parts + 1] = char(code)
      j = q + 6
    else
      parts[#parts + 1] = unescapes[e] or error("bad escape at " .. q)
      j = q + 2
    end
  end
end

local function decode_number(s, i)
  local _, e = find(s, "^-?%d+%.?%d*[eE]?[-+]?%d*", i)
  local text = sub(s, i, e)
  local n = math.tointeger(tonumber(text))
  if n and not find(text, "[.eE]") then return n, e + 1 end
  return tonumber(text) + 0.0, e + 1
end

local function decode_array(s, i)
  local t = setmetatable({}, { __jsonarray = true })
  local n = 0
  i = skip_ws(s, i + 1)
  if byte(s, i) == B_RBRACK then return t, i + 1 end
  while true do
    local v
    v, i = decode_value(s, i)
    n = n + 1
    t[n] = v
    i = skip_ws(s, i)
    local c = byte(s, i)
    if c == B_RBRACK then return t, i + 1 end
    if c ~= B_COMMA then error("expected ',' or ']' at " .. i) end
    i = skip_ws(s, i + 1)
  end
end

local function decode_object(s, i)
  local t = {}
  i = skip_ws(s, i + 1)
  if byte(s, i) == B_RBRACE then return t, i + 1 end
  while true do
    if byte(s, i) ~= B_QUOTE then error("expected a key at " .. i) end
    local k
    k, i = decode_string(s, i)
    i = skip_ws(s, i)
    if byte(s, i) ~= B_COLON then error("expected ':' at " .. i) end
    i = skip_ws(s, i + 1)
    t[k], i = decode_value(s, i)
    i = skip_ws(s, i)
    local c = byte(s, i)
    if c == B_RBRACE then return t, i + 1 end
    if c ~= B_COMMA then error("expected ',' or '}' at " .. i) end
    i = skip_ws(s, i + 1)
  end
end

function decode_value(s, i)
  local c = byte(s, i)
  if c == B_QUOTE then return decode_string(s, i)
  elseif c == B_LBRACE then return decode_object(s, i)
  elseif c == B_LBRACK then return decode_array(s, i)
  elseif c == 116 then
    if sub(s, i, i + 3) == "true" then return true, i + 4 end
  elseif c == 102 then
    if sub(s, i, i + 4) == "false" then return false, i + 5 end
  elseif c == 110 then
    if sub(s, i, i + 3) == "null" then return NULL, i + 4 end
  else
    return decode_number(s, i)
  end
  error("unexpected character at " .. i)
end

local function decode(s)
  local v, i = decode_value(s, skip_ws(s, 1))
  i = skip_ws(s, i)
  if i <= #s then error("trailing garbage at " .. i) end
  return v
end

---------------------------------------------------------------- document generator
local seed = 12345
local function rand(n) -- LCG, returns 0 .. n-1
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return seed % n
end

local words = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
                "iota", "kappa", "lambda", "mu", "quote\"d", "back\\slash", "tab\tbed",
                "new\nline", "ctrl\1char", "unicode-\u{7f}" }

local function random_string()
  local n = 1 + rand(4)
  local parts = {}
  for i = 1, n do parts[i] = words[1 + rand(#words)] end
  return concat(parts, " ")
end

local function make_item(id)
  local tags = setmetatable({}, { __jsonarray = true })
  for i = 1, rand(5) do tags[i] = words[1 + rand(#words)] end
  local scores = {}
  for i = 1, 1 + rand(6) do scores[i] = (rand(200000) - 100000) / 64 end
  return {
    id = id,
    name = random_string(),
    active = rand(2) == 0,
    parent = rand(3) == 0 and NULL or id // 2,
    price = rand(1000000) / 100 + 0.5,
    tags = tags,
    scores = scores,
    position = { x = rand(1000) - 500, y = rand(1000) - 500, z = rand(100) * 0.25 },
    meta = { created = 1600000000 + rand(100000000), note = random_string(), empty = {} },
  }
end

local doc = { version = 3, title = "benchmark document", items = {} }
for i = 1, 200 do doc.items[i] = make_item(i) end

---------------------------------------------------------------- round trips
local text = encode(doc)
local hash = 0
for r = 1, rounds do
  local v = decode(text)
  local again = encode(v)
  if again ~= text then error("round trip " .. r .. " changed the text") end
  -- fold a few fields of the decoded value into the checksum
  local items = v.items
  hash = (hash * 31 + #again + #items + items[1 + r % #items].id) & 0xffffffff
  text = again
end

local bytesum = 0
for i = 1, #text, 7 do bytesum = (bytesum + byte(text, i) * i) & 0xffffffff end
print("json text length " .. #text .. ", " .. rounds .. " round trips")
print("checksum " .. hash .. " " .. bytesum)
