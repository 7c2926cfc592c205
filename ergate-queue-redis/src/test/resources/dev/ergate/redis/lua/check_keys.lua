-- Test-only (LuaScript.checkKeys): put in front of every script, it shadows `redis` with a copy
-- whose call and pcall fail a command on a key not declared in KEYS. Redis checks declared keys
-- only on a cluster and only for the slot; this checks every key on any Redis. Comment lines are
-- dropped and the rest joined into one line by LuaScript, so no comment may follow code here.
-- The one exception: lib.lua's call_undeclared (the job key a claim finds in the message it
-- leased, which no caller can declare) exempts its key through ergate_exempt, which only this
-- check has; see start_claimed in lib.lua for why that is safe on a cluster.
local redis = (function(real)
  local declared = {}
  for _, k in ipairs(KEYS) do declared[k] = true end
  local no_keys = { TIME = true, PUBLISH = true }
  local all_keys = { DEL = true, EXISTS = true, UNLINK = true, TOUCH = true }
  local function check(cmd, args)
    local c = string.upper(cmd)
    if no_keys[c] then return end
    local keys
    if all_keys[c] then
      keys = args
    elseif c == 'ZINTERCARD' or c == 'ZUNION' or c == 'ZINTER' or c == 'ZDIFF' then
      keys = {}
      for i = 2, 1 + tonumber(args[1]) do keys[#keys + 1] = args[i] end
    elseif c == 'BLPOP' or c == 'BRPOP' then
      keys = { unpack(args, 1, #args - 1) }
    else
      keys = { args[1] }
    end
    for _, k in ipairs(keys) do
      if not declared[k] then
        error('ERGATE_TEST_UNDECLARED_KEY: ' .. c .. ' on ' .. tostring(k) .. ', not in KEYS')
      end
    end
  end
  local checked = setmetatable({}, { __index = real })
  checked.call = function(cmd, ...) check(cmd, { ... }); return real.call(cmd, ...) end
  checked.pcall = function(cmd, ...) check(cmd, { ... }); return real.pcall(cmd, ...) end
  checked.ergate_exempt = function(k) declared[k] = true end
  return checked
end)(redis)
