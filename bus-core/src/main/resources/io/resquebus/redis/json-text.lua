-- A part, not a script: BusScript puts it in place of the include line of the scripts that need it.
-- A JSON string body as Ruby's json writes it; bytes that are not UTF-8 become U+FFFD and a
-- character cut by the truncation is dropped, so the entry stays valid UTF-8 JSON.
local escapes = { [8] = '\\b', [9] = '\\t', [10] = '\\n', [12] = '\\f', [13] = '\\r', [34] = '\\"', [92] = '\\\\' }
local function json_text(s)
  local parts = {}
  local i, len = 1, #s
  while i <= len do
    local b = string.byte(s, i)
    if b < 128 then
      parts[#parts + 1] = escapes[b] or ((b < 32) and string.format('\\u%04x', b)) or string.char(b)
      i = i + 1
    else
      local size, lo, hi = 0, 128, 191
      if b >= 194 and b <= 223 then size = 2
      elseif b == 224 then size, lo = 3, 160
      elseif b == 237 then size, hi = 3, 159
      elseif b >= 225 and b <= 239 then size = 3
      elseif b == 240 then size, lo = 4, 144
      elseif b == 244 then size, hi = 4, 143
      elseif b >= 241 and b <= 243 then size = 4 end
      local ok = size > 0 and i + size - 1 <= len
      for k = i + 1, i + size - 1 do
        if not ok then break end
        local c = string.byte(s, k)
        if c == nil or c < ((k == i + 1) and lo or 128) or c > ((k == i + 1) and hi or 191) then ok = false end
      end
      if ok then
        parts[#parts + 1] = string.sub(s, i, i + size - 1)
        i = i + size
      elseif size > 0 and i + size - 1 > len then
        break
      else
        parts[#parts + 1] = '\239\191\189'
        i = i + 1
      end
    end
  end
  return table.concat(parts)
end
