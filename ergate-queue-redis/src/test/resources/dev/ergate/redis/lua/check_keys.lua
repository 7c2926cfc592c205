-- Test-only (LuaScript.checkKeys): put in front of every script, it shadows `redis` with a table
-- whose call and pcall fail a command on a key not declared in KEYS. Redis checks declared keys
-- only on a cluster and only for the slot; this checks every key on any Redis. Comment lines are
-- dropped and the rest joined into one line by LuaScript, so no comment may follow code here.
-- It works both in a script (EVAL: KEYS is the script's global, this runs at each call) and in a
-- function library (FCALL: this runs once, when the library is loaded, and KEYS is the library's
-- local that each call sets): so the real `redis` is looked up at each command (the one a library
-- sees while it is loaded has no call), and KEYS is read at each check.
-- The one exception: lib.lua's call_undeclared (the job key a claim finds in the message it
-- leased, which no caller can declare) exempts its key through ergate_exempt, which only this
-- check has, for the call it is made in; see start_claimed in lib.lua for why that is safe on a
-- cluster.
local redis = (function()
  local function real() return redis end
  local exempt, exempt_for = {}, nil
  local no_keys = { TIME = true, PUBLISH = true }
  local all_keys = { DEL = true, EXISTS = true, UNLINK = true, TOUCH = true }
  local function declared(k)
    if exempt_for == KEYS and exempt[k] then return true end
    for _, d in ipairs(KEYS) do if d == k then return true end end
    return false
  end
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
      if not declared(k) then
        error('ERGATE_TEST_UNDECLARED_KEY: ' .. c .. ' on ' .. tostring(k) .. ', not in KEYS')
      end
    end
  end
  return {
    call = function(cmd, ...) check(cmd, { ... }); return real().call(cmd, ...) end,
    pcall = function(cmd, ...) check(cmd, { ... }); return real().pcall(cmd, ...) end,
    error_reply = function(...) return real().error_reply(...) end,
    status_reply = function(...) return real().status_reply(...) end,
    sha1hex = function(...) return real().sha1hex(...) end,
    ergate_exempt = function(k)
      if exempt_for ~= KEYS then exempt, exempt_for = {}, KEYS end
      exempt[k] = true
    end
  }
end)()
